import type { ActionEvent, EngineReply } from '../events';
import type { PostedMessage } from '../ports';
import {
  decodeAction,
  formatWhen,
  renderLine,
  reviewIdOfValue,
  roleWords,
  type ActionValue,
} from '../render';
import { checkVote } from '../vote-policy';
import { keys, platformFor, safeId, type EngineContext } from './engine-context';
import { notifyWithLeads, reviewLeads } from './review-leads';
import { completedLevels, findActor } from './project-context';
import { eligibilityOf } from './electorate';
import { decideAndClose, recheck } from './recheck';
import type { Review, VoteRecord } from './store-ports';
import { voteMessage } from './vote-view';
import { snoozeProject } from './review-commands';

const MAX_REASON = 500;

/**
 * A click on one of the engine's buttons: vote, snooze, not my project, open the portfolio. Every click
 * is checked here.
 */
export async function handleAction(ctx: EngineContext, event: ActionEvent): Promise<EngineReply> {
  const value = decodeAction(event.value);
  if (!value) return refuseUnreadable(ctx, event);
  if (event.reason !== undefined && event.reason.length > MAX_REASON) {
    return ctx.reply(event.actor, 'error', 'parse.reason-too-long', { max: MAX_REASON });
  }
  if (value.kind === 'portfolio') {
    const digest = ctx.deps.digest;
    return digest
      ? { ephemeral: [await digest.portfolio(event.actor)] }
      : ctx.reply(event.actor, 'notice', 'reply.noDigest');
  }
  // A button of a review that has closed (or, for a snooze, whose reminders ended) only says so.
  if (value.reviewId) {
    const review = await ctx.deps.stores.reviews.get(value.reviewId);
    if (!review) return ctx.refuse(event.actor, 'badActionNoProject');
    if (review.phase === 'closed') return reviewClosed(ctx, event, review, value.kind === 'vote');
    if (value.kind === 'snooze' && review.nudges.escalated)
      return ctx.refuse(event.actor, 'snoozeEscalated', { id: review.projectId });
  }
  if (value.kind === 'snooze')
    return snoozeProject(ctx, event.actor, value.projectId, value.days * 86_400_000);
  if (value.kind === 'not-mine') return notMine(ctx, event, value.reviewId);
  return vote(ctx, event, value);
}

async function reviewClosed(
  ctx: EngineContext,
  event: ActionEvent,
  review: Review,
  onVote: boolean,
): Promise<EngineReply> {
  const env = ctx.actorEnv(event.actor);
  const params = {
    id: review.projectId,
    gate: `${review.gate.from} -> ${review.gate.to}`,
    when: review.closedAt ? formatWhen(review.closedAt, env) : '-',
    outcome: env.t(`engine:outcomeWord.${review.outcome ?? 'cancelled'}`, {}, env.locale),
  };
  const seenAs = onVote ? seenWhere(event) : undefined;
  if (seenAs) {
    // Live buttons on a closed vote: its final update may have missed this message because its post
    // ended "uncertain". The click says where it is; the worker fixes it only in that case.
    const text = env.t('engine:vote.closedHere', params, env.locale);
    await ctx.deps.delivery.send([
      {
        op: 'update',
        key: keys.voteUpdate(review.id, `seen-${safeId(seenAs.messageId)}`),
        of: keys.vote(review.id),
        message: renderLine('vote', text, env.locale),
        seenAs,
        onlyIfLost: true,
      },
    ]);
  }
  return ctx.refuse(event.actor, 'reviewClosed', params);
}

/**
 * A button value that does not decode (tampered with, or from no version of the bot): refused in one
 * line; when it still names a review, audited against that review's project.
 */
async function refuseUnreadable(ctx: EngineContext, event: ActionEvent): Promise<EngineReply> {
  const reviewId = reviewIdOfValue(event.value);
  const review = reviewId ? await ctx.deps.stores.reviews.get(reviewId) : undefined;
  if (!review) return ctx.refuse(event.actor, 'badActionNoProject');
  await ctx.audit({
    actor: ctx.actorRef(event.actor).key,
    type: 'refused',
    projectId: review.projectId,
    reviewId: review.id,
    data: { command: event.actionId.slice(0, 40), reason: 'unreadable-button' },
  });
  return ctx.refuse(event.actor, 'badAction', { id: review.projectId });
}

/** Where the clicked message is, as the platform told us (for a vote message whose place was lost). */
function seenWhere(event: ActionEvent): PostedMessage | undefined {
  return event.messageId ? { conversationId: event.conversationId, messageId: event.messageId } : undefined;
}

async function vote(
  ctx: EngineContext,
  event: ActionEvent,
  value: Extract<ActionValue, { kind: 'vote' }>,
): Promise<EngineReply> {
  const { actor } = event;
  const stored = await ctx.deps.stores.reviews.get(value.reviewId);
  if (!stored) return ctx.refuse(actor, 'badActionNoProject');
  const id = stored.projectId;
  if (stored.phase === 'gaps') return ctx.refuse(actor, 'notVoting', { id });
  // Re-read the card first: a changed required section moves the revision votes bind to. The levels the
  // project completed (for switchbacks and the buttons) are read meanwhile.
  const [{ review, pc }, completed] = await Promise.all([
    stored.phase === 'voting' ? recheck(ctx, stored) : { review: stored, pc: undefined },
    completedLevels(ctx, id),
  ]);
  if (!pc?.gate) return ctx.refuse(actor, 'closed', { id });
  const eligibility = eligibilityOf(actor, pc, ctx.deps.people);
  const voter = 'voter' in eligibility ? eligibility.voter : undefined;
  const refusal = checkVote({
    closed: review.phase !== 'voting',
    clickedElsewhere: event.conversationId !== review.conversationId,
    // The revision the message showed when clicked; a card saved just before the click (noticed by the
    // re-read above) still counts as the one shown, as before the buttons carried it.
    buttonRevision: value.revision === stored.voteRevision ? review.voteRevision : value.revision,
    revision: review.voteRevision,
    isOwner: !!findActor(ctx, actor, pc.owners),
    isEligible: !!voter,
    outsideRoles: 'refusal' in eligibility && eligibility.refusal === 'not-voter-role',
    choice: value.choice,
    switchbackTo: value.level,
    reason: event.reason,
    gate: pc.gate,
    completedLevels: completed,
  });
  if (refusal) {
    await ctx.audit({
      actor: ctx.actorRef(actor).key,
      type: 'refused',
      projectId: id,
      reviewId: review.id,
      data: { command: `vote ${value.choice}`, reason: refusal },
    });
    const env = ctx.actorEnv(actor);
    return ctx.refuse(actor, refusal, {
      id,
      level: value.level ?? '',
      revision: review.voteRevision ?? '',
      gate: `${pc.gate.from} -> ${pc.gate.to}`,
      roles: roleWords(pc.gate.vote.voterRoles ?? [], env),
    });
  }
  const record: VoteRecord = {
    voter: { key: voter!.key, platform: actor.platform, userId: actor.userId, name: voter!.name },
    choice: value.choice,
    revision: review.voteRevision ?? pc.card.revision,
    at: ctx.now().toISOString(),
  };
  if (value.level !== undefined) record.switchbackTo = value.level;
  const reason = event.reason?.trim();
  if (reason) record.reason = reason;
  const result = await ctx.deps.stores.votes.record(review.id, record);
  if (result.status === 'closed') return ctx.refuse(actor, 'closed', { id });
  const env = ctx.actorEnv(actor);
  const choice = env.t(`engine:status.${value.choice}`, { level: value.level }, env.locale);
  // The audit entry and the votes after this one in one round trip (the entry is written before any close).
  const [votes] = await Promise.all([
    ctx.deps.stores.votes.votes(review.id),
    result.status === 'unchanged'
      ? undefined
      : ctx.audit({
          actor: voter!.key,
          type: result.status === 'changed' ? 'vote-changed' : 'voted',
          projectId: id,
          reviewId: review.id,
          revision: record.revision,
          data: { who: voter!.name, choice: value.choice, ...(reason ? { reason } : {}) },
        }),
  ]);
  // Decide on the card just read (no second re-read): this vote may settle the outcome.
  const closedNow = await decideAndClose(ctx, review, pc, votes);
  // Another click may have closed the vote meanwhile: show the stored state, not this call's view.
  // A closing ballot box means the final version of the message is on its way: no interim update.
  const [reread, closedBox, votesNow] = await Promise.all([
    ctx.deps.stores.reviews.get(review.id),
    ctx.deps.stores.votes.isClosed(review.id),
    closedNow ? ctx.deps.stores.votes.votes(review.id) : votes,
  ]);
  const latest = reread ?? review;
  const closedWord = latest.outcome
    ? env.t(`engine:outcomeWord.${latest.outcome}`, {}, env.locale)
    : undefined;
  const updated = await voteMessage(ctx, pc, latest, votesNow, closedWord, completed);
  const closing = latest.phase !== 'voting' || closedBox;
  if (!closing && result.status !== 'unchanged') {
    await ctx.deps.delivery.send([
      {
        op: 'update',
        key: keys.voteUpdate(review.id, result.seq),
        of: keys.vote(review.id),
        message: updated,
        ...(seenWhere(event) ? { seenAs: seenWhere(event) } : {}),
      },
    ]);
  }
  const key =
    result.status === 'changed'
      ? 'reply.voteChanged'
      : result.status === 'unchanged'
        ? 'reply.voteUnchanged'
        : 'reply.voteRecorded';
  const reply = ctx.reply(actor, 'notice', key, { id, choice });
  return { ...reply, updated };
}

/**
 * "Not my project": the review lead hears of it as the escalation would tell them (the directory's
 * leads, else whoever requested the review), the clicker is told who was told, and it is audited.
 */
async function notMine(ctx: EngineContext, event: ActionEvent, reviewId: string): Promise<EngineReply> {
  const review = await ctx.deps.stores.reviews.get(reviewId);
  if (!review) return ctx.refuse(event.actor, 'badActionNoProject');
  const platform = platformFor(review.conversationId);
  const by = ctx.actorRef(event.actor);
  const who = by.name ?? event.actor.name ?? event.actor.userId;
  const notify = await notifyWithLeads(ctx, review, platform);
  const { leads } = await reviewLeads(ctx, review, platform);
  const recipients = notify.leads?.length ? notify.leads : [review.requestedBy.userId];
  const requests = [];
  for (const userId of recipients) {
    // A private message to each lead, in their language.
    const env = await ctx.platformUserEnv({ platform, userId });
    const text = env.t(
      'engine:reply.notMineLead',
      { who: `<@${event.actor.userId}> (${who})`, id: review.projectId },
      env.locale,
    );
    requests.push({
      op: 'dm' as const,
      key: `${keys.notMine(review.id, by.key)}-${safeId(userId)}`,
      platform,
      userId,
      message: renderLine('notice', text, env.locale),
    });
  }
  await ctx.deps.delivery.send(requests);
  await ctx.audit({
    actor: by.key,
    type: 'not-mine',
    projectId: review.projectId,
    reviewId: review.id,
    data: { who },
  });
  const told = notify.leads?.length ? leads.join(', ') : `<@${review.requestedBy.userId}>`;
  return ctx.reply(event.actor, 'notice', 'reply.notMine', { id: review.projectId, lead: told });
}
