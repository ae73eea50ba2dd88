import type { Card } from '../card';
import type { Command } from '../commands';
import type { Actor, CommandEvent, EngineReply } from '../events';
import type { OutboundMessage } from '../messages';
import { cappedList, renderHistory, textOf, tr } from '../render';
import { actorIsAdmin, contextFor, findActor, loadProject } from './project-context';
import { standing } from './standing';
import { channelLanguageLine } from './language-command';
import type { EngineContext } from './engine-context';
import { noProject } from './review-start';
import { NO_PROJECT } from './flow-command';

/**
 * `status [project]`: one project's state, or the caller's projects, with the language this channel's
 * messages are in. Only to the caller.
 */
export async function status(
  ctx: EngineContext,
  actor: Actor,
  projectId: string | undefined,
  conversationId: string,
): Promise<EngineReply> {
  const reply = await statusReply(ctx, actor, projectId, conversationId);
  const line = await channelLanguageLine(ctx, ctx.actorEnv(actor), conversationId);
  return { ...reply, ephemeral: reply.ephemeral?.map((message) => withContext(message, line)) };
}

async function statusReply(
  ctx: EngineContext,
  actor: Actor,
  projectId: string | undefined,
  conversationId: string,
): Promise<EngineReply> {
  if (!projectId) return myProjects(ctx, actor);
  const channelFlow = await ctx.deps.stores.channels.flow(conversationId);
  const lookup = await loadProject(ctx, projectId, actor.platform, undefined, channelFlow);
  if (!lookup.found) return noProject(ctx, actor, projectId, lookup.suggestion);
  const open = await ctx.deps.stores.reviews.openForProject(lookup.context.card.projectId);
  const pc = open
    ? await contextFor(ctx, lookup.context.card, actor.platform, open.gate, open.flowName, open.groups)
    : lookup.context;
  return { ephemeral: [await standing(ctx, actor, pc, open)] };
}

function withContext(message: OutboundMessage, line: string): OutboundMessage {
  if (message.kind !== 'status') return message;
  return {
    ...message,
    text: `${message.text}\n${line}`,
    blocks: [...message.blocks, { type: 'context', text: line }],
  };
}

/** The cards that name the actor as owner or reviewer. */
export async function cardsOf(ctx: EngineContext, actor: Actor): Promise<Card[]> {
  const { cards } = await ctx.deps.cards.loadAll();
  const mine: Card[] = [];
  for (const card of cards) {
    const pc = await contextFor(ctx, card, actor.platform);
    if (findActor(ctx, actor, [...pc.owners, ...pc.reviewers])) mine.push(card);
  }
  return mine;
}

async function myProjects(ctx: EngineContext, actor: Actor): Promise<EngineReply> {
  const env = ctx.actorEnv(actor);
  const mine = await cardsOf(ctx, actor);
  if (mine.length === 0) return ctx.reply(actor, 'status', 'statusView.mineNone');
  const lines: string[] = [];
  for (const card of mine) {
    const open = await ctx.deps.stores.reviews.openForProject(card.projectId);
    const level = (await ctx.deps.stores.levels.get(card.projectId)) ?? card.level;
    const next = open
      ? tr(env, 'statusView.mineOpen', {
          gate: `${open.gate.from} -> ${open.gate.to}`,
          phase: tr(env, `phase.${open.phase}`),
        })
      : tr(env, 'statusView.mineIdle');
    lines.push(tr(env, 'statusView.mineLine', { id: card.projectId, name: card.name, level, next }));
  }
  const blocks = [
    { type: 'header' as const, text: tr(env, 'statusView.mineTitle') },
    cappedList(lines, env, { hint: '/mltrl portfolio' }),
  ];
  return { ephemeral: [{ kind: 'status', text: textOf(blocks), blocks, locale: env.locale }] };
}

/** `history <project>`: the audit trail, newest last, capped. */
export async function history(ctx: EngineContext, actor: Actor, projectId: string): Promise<EngineReply> {
  const card = await ctx.deps.cards.find(projectId);
  const id = card?.projectId ?? projectId;
  const events = await ctx.deps.stores.audit.listByProject(id);
  if (!card && events.length === 0) {
    const lookup = await loadProject(ctx, projectId, actor.platform);
    return noProject(ctx, actor, projectId, lookup.found ? undefined : lookup.suggestion);
  }
  return { ephemeral: [renderHistory(id, events, ctx.actorEnv(actor))] };
}

/** `portfolio` and `digest ...`: authorization here, the work in the digest port. */
export async function digestCommand(
  ctx: EngineContext,
  event: CommandEvent,
  command: Extract<Command, { name: 'digest' | 'portfolio' }>,
): Promise<EngineReply> {
  const { actor } = event;
  const digest = ctx.deps.digest;
  if (command.name === 'portfolio') {
    return digest
      ? { ephemeral: [await digest.portfolio(actor, command.filter)] }
      : ctx.reply(actor, 'notice', 'reply.noDigest');
  }
  if (!actorIsAdmin(ctx, actor)) {
    await ctx.audit({
      actor: ctx.actorRef(actor).key,
      type: 'refused',
      projectId: NO_PROJECT,
      data: { command: `digest ${command.action}`, reason: 'not-admin' },
    });
    return ctx.refuse(actor, 'notAllowedDigest');
  }
  if (!digest) return ctx.reply(actor, 'notice', 'reply.noDigest');
  const conversationId = event.conversationId;
  if (command.action === 'subscribe') {
    return {
      ephemeral: [
        await digest.subscribe({
          conversationId,
          schedule: command.schedule,
          tz: command.tz,
          quietWeek: command.quietWeek,
          by: actor,
        }),
      ],
    };
  }
  if (command.action === 'unsubscribe')
    return { ephemeral: [await digest.unsubscribe(conversationId, actor)] };
  return { ephemeral: [await digest.postNow(conversationId, actor)] };
}
