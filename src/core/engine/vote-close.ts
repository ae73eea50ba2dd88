import type { DeliveryRequest } from '../engine-api';
import { gateFrom } from '../flow';
import { findGaps } from '../gaps';
import { renderOutcome, renderOutcomeLine, tr } from '../render';
import { decideVote } from '../vote-policy';
import { jobIds, keys, notifyOf, type EngineContext } from './engine-context';
import { notifyWithLeads } from './review-leads';
import { checklistFor, type ProjectContext } from './project-context';
import type { PersonKeyRef, Review } from './store-ports';
import { counted, eligibleOf, requiredOf, tallyOf, voteMessage } from './vote-view';
import { scheduleWriteBack } from './write-back';

/**
 * Closes a vote once: the ballot box closes first (later clicks are refused), the outcome is decided on
 * the final votes, and only the caller whose compare-and-set on the phase wins records the level, writes
 * the audit trail and posts the outcome. A second closer (two workers, a vote racing the deadline) stops.
 */
export async function closeVote(
  ctx: EngineContext,
  review: Review,
  pc: ProjectContext,
): Promise<Review | undefined> {
  const { stores } = ctx.deps;
  const gate = pc.gate!;
  const votes = await stores.votes.close(review.id);
  const now = ctx.now();
  const decision = decideVote({
    policy: gate.vote,
    eligible: eligibleOf(pc),
    votes: counted(votes),
    revision: review.voteRevision ?? '',
    required: requiredOf(pc),
    openedAt: new Date(review.voteOpenedAt ?? review.openedAt),
    // Deciding on the final votes: the outcome as if the deadline had come.
    deadline: now,
    now,
  });
  if (!decision.decided) return undefined;
  const outcomeLevel =
    decision.outcome === 'advanced'
      ? gate.to
      : decision.outcome === 'switchback'
        ? decision.level
        : gate.from;
  const closed: Review = {
    ...review,
    phase: 'closed',
    outcome: decision.outcome,
    outcomeLevel,
    closedAt: now.toISOString(),
  };
  if (!(await stores.reviews.save(closed, 'voting'))) return undefined;
  await ctx.deps.scheduler.cancel(jobIds.deadline(review.id));
  const at = now.toISOString();
  const base = { projectId: review.projectId, reviewId: review.id, revision: review.voteRevision };
  await ctx.audit({
    ...base,
    actor: 'bot',
    type: 'closed',
    data: { outcome: decision.outcome, level: outcomeLevel },
  });
  if ((decision.outcome === 'advanced' && gate.to !== gate.from) || decision.outcome === 'switchback') {
    const kind = decision.outcome === 'advanced' ? 'advanced' : 'switchback';
    await stores.levels.record(review.projectId, {
      level: outcomeLevel,
      from: gate.from,
      at,
      reviewId: review.id,
      kind,
    });
    await ctx.audit({ ...base, actor: 'bot', type: 'level-recorded', data: { level: outcomeLevel, kind } });
    // After the outcome is safe in Redis: the card catches up in a job of its own, retried on failure.
    if (ctx.deps.cardWriter) await scheduleWriteBack(ctx, closed);
  }
  await postOutcome(ctx, closed, pc, votes);
  return closed;
}

/** `cancel <project>`: closes the open review (either phase) as cancelled. */
export async function cancelReview(
  ctx: EngineContext,
  review: Review,
  pc: ProjectContext,
  by: PersonKeyRef,
): Promise<boolean> {
  const votes = review.phase === 'voting' ? await ctx.deps.stores.votes.close(review.id) : [];
  const closed: Review = {
    ...review,
    phase: 'closed',
    outcome: 'cancelled',
    closedAt: ctx.now().toISOString(),
    closedBy: by,
    outcomeLevel: review.gate.from,
  };
  if (!(await ctx.deps.stores.reviews.save(closed, review.phase))) return false;
  await ctx.deps.scheduler.cancel(jobIds.deadline(review.id));
  await ctx.audit({
    actor: by.key,
    type: 'cancelled',
    projectId: review.projectId,
    reviewId: review.id,
    revision: pc.card.revision,
    data: { who: by.name ?? by.key },
  });
  await postOutcome(ctx, closed, pc, votes);
  return true;
}

async function postOutcome(
  ctx: EngineContext,
  closed: Review,
  pc: ProjectContext,
  votes: Awaited<ReturnType<typeof ctx.deps.stores.votes.votes>>,
) {
  const env = await ctx.channelEnv(closed.conversationId);
  const gate = pc.gate!;
  let nextGaps;
  let nextGate;
  let cardLevel;
  // A new level recorded (advanced, or a switchback): what the next gate from there still needs, and
  // whether the card's own Current Level now says something else.
  const moved = (closed.outcome === 'advanced' && gate.to !== gate.from) || closed.outcome === 'switchback';
  if (moved) {
    const level = closed.outcomeLevel!;
    const next = gateFrom(pc.flow, level);
    if (next) {
      nextGate = { from: next.from, to: next.to };
      nextGaps = findGaps({ ...pc.card, level: next.from }, pc.flow, {
        gateTo: next.to,
        now: ctx.now(),
        system: pc.system && { ...pc.system, own: next.from },
        checklist: await checklistFor(ctx, pc.card),
      }).required;
    }
    // With CARDS_WRITE_BACK the bot corrects the card itself; otherwise its owners are asked to.
    if (pc.card.level !== level && !ctx.deps.cardWriter) {
      cardLevel = { stated: pc.card.level, owners: pc.owners.map((owner) => owner.display) };
    }
  }
  const outcome = renderOutcome(
    {
      review: closed,
      card: pc.card,
      flow: pc.flow,
      votes,
      tally: tallyOf(pc, closed, votes),
      minApprovals: gate.vote.minApprovals,
      nextGaps,
      nextGate,
      cardLevel,
    },
    env,
  );
  const requests: DeliveryRequest[] = [];
  const conversationId = closed.conversationId;
  if (closed.voteOpenedAt) {
    const notify = await notifyWithLeads(ctx, closed, pc.platform);
    const final = await voteMessage(ctx, pc, closed, votes, tr(env, `outcomeWord.${closed.outcome}`));
    requests.push(
      { op: 'update', key: keys.voteUpdate(closed.id, 'final'), of: keys.vote(closed.id), message: final },
      {
        op: 'post',
        key: keys.outcome(closed.id),
        conversationId,
        threadOf: keys.vote(closed.id),
        message: outcome,
        notify,
      },
      {
        op: 'post',
        key: keys.outcomeLine(closed.id),
        conversationId,
        message: renderOutcomeLine(outcome, env),
        notify,
      },
    );
  } else {
    requests.push({
      op: 'post',
      key: keys.outcome(closed.id),
      conversationId,
      message: outcome,
      notify: notifyOf(closed),
    });
  }
  await ctx.deps.delivery.send(requests);
}
