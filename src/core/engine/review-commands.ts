import type { CardKey } from '../card';
import type { Actor, EngineReply } from '../events';
import { formatWhen } from '../render';
import { platformFor, type EngineContext } from './engine-context';
import { actorIsAdmin, findActor, loadProject, type ProjectContext } from './project-context';
import type { Review } from './store-ports';
import { recheck } from './recheck';
import { noProject } from './review-start';
import { cancelReview } from './vote-close';

/** `cancel <project>`: owners and admins close the open review as cancelled. */
export async function cancelProject(
  ctx: EngineContext,
  actor: Actor,
  projectId: string,
): Promise<EngineReply> {
  const lookup = await loadProject(ctx, projectId, actor.platform);
  if (!lookup.found) return noProject(ctx, actor, projectId, lookup.suggestion);
  const id = lookup.context.card.projectId;
  const open = await ctx.deps.stores.reviews.openForProject(id);
  if (!open) return ctx.refuse(actor, 'noReview', { id });
  const lookupForReview = await loadProject(
    ctx,
    id,
    platformFor(open.conversationId),
    open.gate,
    open.flowName,
    open.groups,
  );
  const pc = lookupForReview.found ? lookupForReview.context : lookup.context;
  if (!findActor(ctx, actor, lookup.context.owners) && !actorIsAdmin(ctx, actor))
    return ctx.refuse(actor, 'notAllowedCancel', { id });
  await cancelReview(ctx, open, pc, ctx.actorRef(actor));
  return ctx.reply(actor, 'notice', 'reply.cancelled', { id, gate: `${open.gate.from} -> ${open.gate.to}` });
}

/** `snooze <project> <duration>` and the Snooze buttons: owners pause reminders (audited). */
export async function snoozeProject(
  ctx: EngineContext,
  actor: Actor,
  projectId: string,
  durationMs: number,
): Promise<EngineReply> {
  const lookup = await loadProject(ctx, projectId, actor.platform);
  if (!lookup.found) return noProject(ctx, actor, projectId, lookup.suggestion);
  const id = lookup.context.card.projectId;
  if (!findActor(ctx, actor, lookup.context.owners)) return ctx.refuse(actor, 'notAllowedSnooze', { id });
  const open = await ctx.deps.stores.reviews.openForProject(id);
  // After the escalation the bot is silent anyway: a snooze would only claim to pause something.
  if (open?.nudges.escalated) return ctx.refuse(actor, 'snoozeEscalated', { id });
  const by = ctx.actorRef(actor);
  const until = new Date(ctx.now().getTime() + durationMs).toISOString();
  await ctx.deps.stores.snoozes.set({ projectId: id, until, by: by.key });
  await ctx.audit({
    actor: by.key,
    type: 'snoozed',
    projectId: id,
    reviewId: open?.id,
    data: { who: by.name ?? by.key, until },
  });
  return ctx.reply(actor, 'notice', 'reply.snoozed', {
    id,
    until: formatWhen(until, ctx.actorEnv(actor)),
  });
}

/**
 * What `waive` and `waive ... off` share: the project, the permission (its reviewers and admins), its open
 * review, and the gate a waiver applies to (the open review's, else the card's next gate).
 */
async function waiverTarget(
  ctx: EngineContext,
  actor: Actor,
  project: string,
): Promise<
  | { refused: EngineReply }
  | {
      pc: ProjectContext;
      id: string;
      open: Review | undefined;
      gate: { from: number; to: number } | undefined;
    }
> {
  const lookup = await loadProject(ctx, project, actor.platform);
  if (!lookup.found) return { refused: noProject(ctx, actor, project, lookup.suggestion) };
  const pc = lookup.context;
  const id = pc.card.projectId;
  if (!findActor(ctx, actor, pc.reviewers) && !actorIsAdmin(ctx, actor))
    return { refused: ctx.refuse(actor, 'notAllowedWaive', { id }) };
  const open = await ctx.deps.stores.reviews.openForProject(id);
  const gate = open?.gate ?? (pc.gate ? { from: pc.gate.from, to: pc.gate.to } : undefined);
  return { pc, id, open, gate };
}

/** `waive <project> <key> <days> <reason>`: reviewers and admins let the gate go without one section. */
export async function waiveSection(
  ctx: EngineContext,
  actor: Actor,
  input: { project: string; key: CardKey; days: number; reason: string },
): Promise<EngineReply> {
  const target = await waiverTarget(ctx, actor, input.project);
  if ('refused' in target) return target.refused;
  const { pc, id, open, gate } = target;
  if (!gate) return ctx.refuse(actor, 'noGate', { id, level: pc.level });
  const flowGate = pc.flow.gates.find((g) => g.from === gate.from && g.to === gate.to);
  const label = pc.card.fields[input.key]?.label ?? input.key;
  const gateText = `${gate.from} -> ${gate.to}`;
  if (!flowGate?.required.some((requirement) => requirement.key === input.key)) {
    return ctx.refuse(actor, 'notRequired', { label, gate: gateText });
  }
  const by = ctx.actorRef(actor);
  const until = new Date(ctx.now().getTime() + input.days * 86_400_000).toISOString();
  await ctx.deps.stores.waivers.add(id, gate, {
    key: input.key,
    until,
    by: by.name ?? by.key,
    reason: input.reason,
  });
  await ctx.audit({
    actor: by.key,
    type: 'waived',
    projectId: id,
    reviewId: open?.id,
    revision: pc.card.revision,
    data: { who: by.name ?? by.key, key: input.key, until, reason: input.reason },
  });
  // The waiver may complete the card for this gate: the open review moves on at once.
  if (open) await recheck(ctx, open);
  return ctx.reply(actor, 'notice', 'reply.waived', {
    label,
    gate: gateText,
    id,
    until: formatWhen(until, ctx.actorEnv(actor)),
  });
}

/** `waive <project> <key> off`: reviewers and admins withdraw a waiver (audited); the gate needs it again. */
export async function withdrawWaiver(
  ctx: EngineContext,
  actor: Actor,
  input: { project: string; key: CardKey },
): Promise<EngineReply> {
  const target = await waiverTarget(ctx, actor, input.project);
  if ('refused' in target) return target.refused;
  const { pc, id, open, gate } = target;
  const label = pc.card.fields[input.key]?.label ?? input.key;
  if (!gate || !(await ctx.deps.stores.waivers.remove(id, gate, input.key)))
    return ctx.refuse(actor, 'noWaiver', { label, id });
  const by = ctx.actorRef(actor);
  await ctx.audit({
    actor: by.key,
    type: 'waiver-withdrawn',
    projectId: id,
    reviewId: open?.id,
    revision: pc.card.revision,
    data: { who: by.name ?? by.key, key: input.key },
  });
  if (open) await recheck(ctx, open);
  return ctx.reply(actor, 'notice', 'reply.waiverWithdrawn', {
    label,
    id,
    gate: `${gate.from} -> ${gate.to}`,
  });
}
