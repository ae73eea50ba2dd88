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
import { personForActor } from '../person-match';
import { checkVote } from '../vote-policy';
import { keys, platformFor, safeId, type EngineContext } from './engine-context';
import { notifyWithLeads, reviewLeads } from './review-leads';
import { levelEvidence } from './project-context';
import { recheck, voteDecided } from './recheck';
import { closeVote } from './vote-close';
import { sameVote, type RecordVoteStatus, type Review, type VoteRecord } from './store-ports';
import { ballotOf, ballotRefusal } from './ballot';
import { lastMinute } from '../delegation';
import { voteMessage } from './vote-view';
import { snoozeProject } from './review-commands';

const MAX_REASON = 500;

/**
 * A click on one of the engine's buttons: vote, snooze, not my project, open the portfolio. Every click
 * is checked here.
 */
/** A second identical click within this window (a double click, a redelivery) is answered, not acted on. */
const CLICK_MEMORY_SECONDS = 600;

/**
 * Button actions are idempotent by (message, actor, action, value, card revision): the vote buttons carry
 * the revision in their value. A vote is made idempotent by the ballot box itself, which records it once,
 * atomically, and answers with the vote as it stands ("already recorded"). Every other button is
 * remembered here: one `SET ... GET` per click (src/storage/redis/redis-click-ledger.ts), shared by every
 * process; a refused click is forgotten, so repeating it gets the reason again.
 */
export async function handleAction(ctx: EngineContext, event: ActionEvent): Promise<EngineReply> {
  const value = decodeAction(event.value);
  const reviewId = value && 'reviewId' in value ? value.reviewId : undefined;
  const named = reviewId ? ctx.deps.stores.reviews.get(reviewId) : undefined;
  if (value?.kind === 'vote') return act(ctx, event, value, await named);
  const { clicks } = ctx.deps.stores;
  const scope = JSON.stringify([event.conversationId, event.messageId ?? '', ctx.actorRef(event.actor).key]);
  const fingerprint = JSON.stringify([event.actionId, event.value, event.reason?.trim() ?? '']);
  // The review the button names is read in the same round trip as the click's memory (a read acts on
  // nothing, so it need not wait for the repeat check).
  const [repeat, clicked] = await Promise.all([
    clicks.repeated(scope, fingerprint, CLICK_MEMORY_SECONDS),
    named,
  ]);
  if (repeat) return ctx.reply(event.actor, 'notice', 'reply.clickRepeated');
  const reply = await act(ctx, event, value, clicked);
  if (reply.ephemeral.some((message) => message.kind === 'error')) await clicks.forget(scope);
  return reply;
}

async function act(
  ctx: EngineContext,
  event: ActionEvent,
  /** The button's value, as handleAction decoded it. */
  value: ActionValue | undefined,
  /** The review the button names, as handleAction read it. */
  named: Review | undefined,
): Promise<EngineReply> {
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
    if (!named) return ctx.refuse(event.actor, 'badActionNoProject');
    if (named.phase === 'closed') return reviewClosed(ctx, event, named, value.kind === 'vote');
    if (value.kind === 'snooze' && named.nudges.escalated)
      return ctx.refuse(event.actor, 'snoozeEscalated', { id: named.projectId });
  }
  if (value.kind === 'snooze')
    return snoozeProject(ctx, event.actor, value.projectId, value.days * 86_400_000);
  // A not-mine value always names its review, so `named` was checked above.
  if (value.kind === 'not-mine') return notMine(ctx, event, named!);
  return vote(ctx, event, value, named);
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
  const review = await auditRefusedAction(ctx, event, 'unreadable-button');
  if (!review) return ctx.refuse(event.actor, 'badActionNoProject');
  return ctx.refuse(event.actor, 'badAction', { id: review.projectId });
}

/** Audits a refused click against the review its value names (if any); returns that review. */
export async function auditRefusedAction(
  ctx: EngineContext,
  event: ActionEvent,
  reason: string,
): Promise<Review | undefined> {
  const reviewId = reviewIdOfValue(event.value);
  const review = reviewId ? await ctx.deps.stores.reviews.get(reviewId) : undefined;
  if (!review) return undefined;
  await ctx.audit({
    actor: ctx.actorRef(event.actor).key,
    type: 'refused',
    projectId: review.projectId,
    reviewId: review.id,
    data: { command: event.actionId.slice(0, 40), reason },
  });
  return review;
}

/** Where the clicked message is, as the platform told us (for a vote message whose place was lost). */
function seenWhere(event: ActionEvent): PostedMessage | undefined {
  return event.messageId ? { conversationId: event.conversationId, messageId: event.messageId } : undefined;
}

async function vote(
  ctx: EngineContext,
  event: ActionEvent,
  value: Extract<ActionValue, { kind: 'vote' }>,
  /** The review as handleAction just read it (the same read; not read a second time). */
  clicked?: Review,
): Promise<EngineReply> {
  const { actor } = event;
  const stored = clicked?.id === value.reviewId ? clicked : await ctx.deps.stores.reviews.get(value.reviewId);
  if (!stored) return ctx.refuse(actor, 'badActionNoProject');
  const id = stored.projectId;
  if (stored.phase === 'gaps') return ctx.refuse(actor, 'notVoting', { id });
  // Re-read the card first: a changed required section moves the revision votes bind to. The levels the
  // project completed (for switchbacks and the buttons) are read meanwhile.
  const [{ review, pc }, evidence, delegations, channelEnv] = await Promise.all([
    stored.phase === 'voting' ? recheck(ctx, stored, { click: true }) : { review: stored, pc: undefined },
    levelEvidence(ctx, id),
    ctx.deps.stores.delegations.all(),
    ctx.channelEnv(stored.conversationId),
  ]);
  if (!pc?.gate) return ctx.refuse(actor, 'closed', { id });
  const ballot = ballotOf(ctx, actor, pc, delegations);
  const refusal =
    ballotRefusal(ballot) ??
    checkVote({
      closed: review.phase !== 'voting',
      clickedElsewhere: event.conversationId !== review.conversationId,
      // The revision the message showed when clicked; a card saved just before the click (noticed by the
      // re-read above) still counts as the one shown, as before the buttons carried it.
      buttonRevision: value.revision === stored.voteRevision ? review.voteRevision : value.revision,
      revision: review.voteRevision,
      isOwner: ballot.isOwner,
      isEligible: ballot.voters.length > 0,
      outsideRoles: ballot.outsideRoles,
      choice: value.choice,
      switchbackTo: value.level,
      reason: event.reason,
      gate: pc.gate,
      completedLevels: evidence.completed,
    });
  if (refusal) {
    const key = refusal === 'own-gate' && ballot.delegated.length ? 'delegate-own-gate' : refusal;
    await ctx.audit({
      actor: ctx.actorRef(actor).key,
      type: 'refused',
      projectId: id,
      reviewId: review.id,
      data: { command: `vote ${value.choice}`, reason: key },
    });
    const ended = ballot.ended[0];
    const env = ctx.actorEnv(actor);
    return ctx.refuse(actor, key, {
      id,
      level: value.level ?? '',
      revision: review.voteRevision ?? '',
      voter: ballot.delegated[0]?.voter.name ?? ended?.fromName ?? '',
      until: ended ? formatWhen(lastMinute(ended), env) : '',
      gate: `${pc.gate.from} -> ${pc.gate.to}`,
      roles: roleWords(pc.gate.vote.voterRoles ?? [], env),
    });
  }
  const revision = review.voteRevision ?? pc.card.revision;
  const reason = event.reason?.trim();
  const by = ctx.actorRef(actor);
  // Shown beside the vote: the directory's name where it knows the delegate (display names are editable).
  const byName = personForActor(actor, ctx.deps.people)?.name ?? by.name ?? actor.userId;
  const records = ballot.voters.map(({ voter, delegation }) => {
    const record: VoteRecord = {
      voter: {
        key: voter.key,
        platform: actor.platform,
        userId: voter.userId ?? actor.userId,
        name: voter.name,
      },
      choice: value.choice,
      revision,
      at: ctx.now().toISOString(),
    };
    if (delegation) record.by = { ...by, name: byName };
    if (value.level !== undefined) record.switchbackTo = value.level;
    if (reason) record.reason = reason;
    return record;
  });
  // One record per person the click speaks for: the actor's own vote and those they hold as a delegate.
  // Each record answers with the ballot it left; the review is read in the same round trip, sent after
  // the records: the stores share one Redis connection, which answers in order, so it shows the state
  // these votes left (or a later one).
  const [results, storedNow] = await Promise.all([
    Promise.all(records.map((record) => ctx.deps.stores.votes.record(review.id, record))),
    ctx.deps.stores.reviews.get(review.id),
  ]);
  if (results.some((r) => r.status === 'closed')) return ctx.refuse(actor, 'closed', { id });
  // The ballot that holds every vote of this click: the last record's, unless a script the server had to
  // be sent again changed their order. None does when another click changed one of these votes in between:
  // the ballot is then read again, and the card shows it as it is now.
  const { votes, closed: closedBox } =
    results
      .map((result) => result.ballot)
      .reverse()
      .find((ballot) =>
        records.every((record) =>
          ballot.votes.some((vote) => vote.voter.key === record.voter.key && sameVote(vote, record)),
        ),
      ) ?? (await ctx.deps.stores.votes.ballot(review.id));
  const env = ctx.actorEnv(actor);
  const choice = env.t(`engine:status.${value.choice}`, { level: value.level }, env.locale);
  const audited = Promise.all(
    records.map((record, i) =>
      results[i].status === 'unchanged'
        ? undefined
        : ctx.audit({
            actor: record.voter.key,
            type: results[i].status === 'changed' ? 'vote-changed' : 'voted',
            projectId: id,
            reviewId: review.id,
            revision: record.revision,
            data: {
              who: record.voter.name ?? record.voter.key,
              choice: value.choice,
              ...(record.by ? { by: record.by.name ?? record.by.key } : {}),
              ...(reason ? { reason } : {}),
            },
          }),
    ),
  );
  audited.catch(() => undefined); // awaited below; not unhandled meanwhile
  const seq = Math.max(...results.map((r) => r.seq));
  const result = { status: statusOf(results.map((r) => r.status)), seq };
  // Another click may have closed the vote meanwhile: the message shows the stored state, not this call's
  // view; a closing ballot box means its final version is on the way.
  // Decide on the card just read (no second re-read): this vote may settle the outcome. The audit entries
  // are written before a close; when it closed, the review and votes are read again as closing left them.
  let closedNow: Review | undefined;
  if (voteDecided(ctx, review, pc, votes)) {
    await audited;
    closedNow = await closeVote(ctx, review, pc);
  }
  const [reread, votesNow] = closedNow
    ? await Promise.all([ctx.deps.stores.reviews.get(review.id), ctx.deps.stores.votes.votes(review.id)])
    : [storedNow, votes];
  const latest = reread ?? review;
  const closedWord = latest.outcome
    ? env.t(`engine:outcomeWord.${latest.outcome}`, {}, env.locale)
    : undefined;
  const updated = await voteMessage(ctx, pc, latest, votesNow, closedWord, {
    evidence,
    env: channelEnv,
    delegations,
  });
  const closing = latest.phase !== 'voting' || closedBox || !!closedNow;
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
  await audited;
  const lines = ballot.voters.map(({ voter, delegation }, i) => {
    const status = results[i].status;
    if (delegation) return env.t('engine:reply.voteFor', { id, choice, voter: voter.name }, env.locale);
    const key =
      status === 'changed'
        ? 'reply.voteChanged'
        : status === 'unchanged'
          ? 'reply.voteUnchanged'
          : 'reply.voteRecorded';
    return env.t(`engine:${key}`, { id, choice }, env.locale);
  });
  return { ephemeral: [renderLine('notice', lines.join('\n'), env.locale)], updated };
}

/** One status for several records: any counted change moves the message; 'changed' wins over 'recorded'. */
function statusOf(statuses: RecordVoteStatus[]): RecordVoteStatus {
  if (statuses.includes('changed')) return 'changed';
  if (statuses.includes('recorded')) return 'recorded';
  return 'unchanged';
}

/**
 * "Not my project": the review lead hears of it as the escalation would tell them (the directory's
 * leads, else whoever requested the review), the clicker is told who was told, and it is audited.
 */
async function notMine(ctx: EngineContext, event: ActionEvent, review: Review): Promise<EngineReply> {
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
