import type { Actor, CommandEvent, EngineReply } from '../events';
import { keys, type EngineContext } from './engine-context';
import { gapReportMessage } from './gap-report-message';
import { scheduleFirstNudges } from './nudges';
import { actorIsAdmin, findActor, knownFlows, loadProject, type ProjectContext } from './project-context';
import { recheck } from './recheck';
import { ownersOf } from './review-owners';
import type { Review } from './store-ports';
import { standing } from './standing';

/** "No project R7.2. Did you mean R07.2?" */
export function noProject(ctx: EngineContext, actor: Actor, id: string, suggestion?: string): EngineReply {
  return suggestion
    ? ctx.refuse(actor, 'noProjectSuggest', { id, suggestion })
    : ctx.refuse(actor, 'noProject', { id });
}

function newReviewId(): string {
  return `r${globalThis.crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

/**
 * `review <project>`: starts the review of the next gate, or re-shows the open one (never two open
 * reviews for one project: the store enforces it atomically). Owners, reviewers and admins only.
 */
export async function startReview(
  ctx: EngineContext,
  event: CommandEvent,
  projectId: string,
): Promise<EngineReply> {
  const { actor } = event;
  const channelFlow = await ctx.deps.stores.channels.flow(event.conversationId);
  const lookup = await loadProject(ctx, projectId, actor.platform, undefined, channelFlow);
  if (!lookup.found) return noProject(ctx, actor, projectId, lookup.suggestion);
  const pc = lookup.context;
  const id = pc.card.projectId;
  if (pc.unknownFlow) {
    return ctx.refuse(actor, 'unknownFlow', { id, flow: pc.unknownFlow, known: knownFlows(ctx) });
  }
  const allowed = findActor(ctx, actor, [...pc.owners, ...pc.reviewers]) || actorIsAdmin(ctx, actor);
  if (!allowed) return ctx.refuse(actor, 'notAllowedReview', { id });
  const open = await ctx.deps.stores.reviews.openForProject(id);
  if (open) return reshow(ctx, actor, open);
  if (!pc.gate || !pc.report) return ctx.refuse(actor, 'noGate', { id, level: pc.level });

  const now = ctx.now().toISOString();
  await ctx.deps.stores.levels.recordEntry(id, pc.card.level, now);
  const review: Review = {
    id: newReviewId(),
    projectId: id,
    flowName: pc.flow.name,
    gate: { from: pc.gate.from, to: pc.gate.to },
    phase: 'gaps',
    requestedBy: ctx.actorRef(actor),
    conversationId: event.conversationId,
    openedAt: now,
    cardFile: pc.card.file,
    cardRevision: pc.card.revision,
    nudges: { target: 'owners', round: 0, escalated: false },
    owners: ownersOf(pc.owners),
  };
  const created = await ctx.deps.stores.reviews.create(review);
  if (!created.created) return reshow(ctx, actor, created.review);
  await ctx.audit({
    actor: review.requestedBy.key,
    type: 'review-started',
    projectId: id,
    reviewId: review.id,
    revision: pc.card.revision,
    data: {
      who: review.requestedBy.name ?? review.requestedBy.key,
      gate: `${review.gate.from} -> ${review.gate.to}`,
    },
  });
  if (pc.report.ok) {
    await recheck(ctx, review);
  } else {
    await reportGaps(ctx, review, pc, event);
  }
  const gate = `${review.gate.from} -> ${review.gate.to}`;
  return ctx.reply(actor, 'notice', 'reply.reviewStarted', { gate, id });
}

async function reportGaps(
  ctx: EngineContext,
  review: Review,
  pc: ProjectContext,
  event: CommandEvent,
): Promise<void> {
  const nextReminder = await scheduleFirstNudges(ctx, review, pc);
  const message = await gapReportMessage(ctx, review, pc, nextReminder);
  await ctx.deps.delivery.send([
    {
      op: 'post',
      key: keys.gapReport(review.id, pc.card.revision),
      conversationId: review.conversationId,
      message,
      notify: {
        platform: event.actor.platform,
        userId: event.actor.userId,
        conversationId: event.conversationId,
      },
    },
  ]);
  await ctx.audit({
    actor: 'bot',
    type: 'gaps-reported',
    projectId: review.projectId,
    reviewId: review.id,
    revision: pc.card.revision,
    data: { count: pc.report!.required.length },
  });
}

/**
 * `review` on a project with an open review: re-check the card, then answer once, privately, with where
 * the review stands (the status view under an "already open" line), never a second copy of the vote.
 */
async function reshow(ctx: EngineContext, actor: Actor, open: Review): Promise<EngineReply> {
  const { review, pc } = await recheck(ctx, open);
  const gate = `${review.gate.from} -> ${review.gate.to}`;
  const env = ctx.actorEnv(actor);
  const reply = ctx.reply(actor, 'notice', 'reply.reviewOpen', {
    gate,
    id: review.projectId,
    phase: env.t(`engine:phase.${review.phase}`, {}, env.locale),
  });
  if (!pc) return reply;
  // The re-check may just have closed it (deadline passed, outcome settled): then the status says so.
  if (review.phase === 'closed') return { ephemeral: [await standing(ctx, actor, pc, undefined)] };
  return { ephemeral: [await standing(ctx, actor, pc, review, reply.ephemeral[0].text)] };
}
