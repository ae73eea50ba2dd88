import type { CommandEvent, EngineReply } from '../events';
import type { EngineContext } from './engine-context';
import { actorIsAdmin, knownFlows } from './project-context';

/** Audit entries about a conversation rather than one project sit under this project id. */
export const NO_PROJECT = '*';

/**
 * `flow`: which flow reviews started in this conversation follow; `flow use <name>`: admins choose it.
 * A card's own `Flow` row still wins. An unknown name is refused (and audited), never stored.
 */
export async function flowCommand(
  ctx: EngineContext,
  event: CommandEvent,
  use?: string,
): Promise<EngineReply> {
  const { actor, conversationId } = event;
  const { flows, stores } = ctx.deps;
  const current = await stores.channels.flow(conversationId);
  if (use === undefined) {
    const flow = (current && flows.get(current)?.name) ?? flows.defaultFlow().name;
    return ctx.reply(actor, 'notice', current ? 'reply.flowIs' : 'reply.flowDefault', {
      flow,
      known: knownFlows(ctx),
    });
  }
  const by = ctx.actorRef(actor).key;
  if (!actorIsAdmin(ctx, actor)) {
    await ctx.audit({
      actor: by,
      type: 'refused',
      projectId: NO_PROJECT,
      data: { command: 'flow use', reason: 'not-admin' },
    });
    return ctx.refuse(actor, 'notAllowedFlow');
  }
  const flow = flows.get(use);
  if (!flow) {
    await ctx.audit({
      actor: by,
      type: 'refused',
      projectId: NO_PROJECT,
      data: { command: 'flow use', reason: 'unknown-flow', flow: use },
    });
    return ctx.refuse(actor, 'unknownFlowName', { flow: use, known: knownFlows(ctx) });
  }
  await stores.channels.setFlow(conversationId, flow.name);
  await ctx.audit({
    actor: by,
    type: 'flow-chosen',
    projectId: NO_PROJECT,
    data: { conversationId, flow: flow.name, ...(current ? { was: current } : {}) },
  });
  return ctx.reply(actor, 'notice', 'reply.flowChosen', { flow: flow.name });
}
