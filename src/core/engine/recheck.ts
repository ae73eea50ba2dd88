import { platformOf } from '../events';
import { renderLine } from '../render';
import { decideVote } from '../vote-policy';
import { keys, type EngineContext } from './engine-context';
import { clickContext } from './context-memo';
import { contextFor, type ProjectContext } from './project-context';
import { notifyWithLeads } from './review-leads';
import { keepReviewCurrent } from './review-owners';
import type { Review, VoteRecord } from './store-ports';
import { closeVote } from './vote-close';
import { expandNewGroups, openVote, requiredRevisions } from './vote-open';
import { counted, eligibleOf, requiredOf, voteMessage } from './vote-view';

/**
 * Re-reads the card of an open review and moves it on: gaps phase with nothing required missing opens
 * the vote; during the vote a changed required section makes earlier votes stale; a vote whose outcome
 * is settled (or whose deadline passed) closes. Called on every job run, every vote and `review` again.
 */
export async function recheck(
  ctx: EngineContext,
  stored: Review,
  /** A vote click: the context is reused while nothing it was computed from changed (context-memo.ts). */
  options: { click?: boolean } = {},
): Promise<{ review: Review; pc?: ProjectContext }> {
  const card = await ctx.deps.cards.find(stored.projectId);
  if (!card) return { review: stored };
  const context = options.click ? clickContext : contextFor;
  // During the vote, the votes are read in the same round trip as the project's state.
  const [pc, votes] = await Promise.all([
    context(ctx, card, platformOf(stored.conversationId), stored.gate, stored.flowName, stored.groups),
    stored.phase === 'voting' ? ctx.deps.stores.votes.votes(stored.id) : undefined,
  ]);
  // The owners and file as read now (and the end of a pause): what a later "card gone" notice names.
  const review = await keepReviewCurrent(ctx, stored, pc);
  if (!pc.gate) return { review, pc };
  if (review.phase === 'gaps') {
    if (pc.report?.ok) return { review: (await openVote(ctx, review, pc)) ?? review, pc };
    return { review, pc };
  }
  if (review.phase !== 'voting') return { review, pc };
  const grouped = await expandNewGroups(ctx, review, pc);
  const current = (await markStale(ctx, grouped.review, grouped.pc)) ?? grouped.review;
  const closed = await decideAndClose(ctx, current, grouped.pc, votes);
  return { review: closed ?? current, pc: grouped.pc };
}

/**
 * Closes the vote when the policy says it is decided (or the deadline passed). `votes`: the current
 * votes when the caller has just read them (else they are read here).
 */
export async function decideAndClose(
  ctx: EngineContext,
  review: Review,
  pc: ProjectContext,
  current?: VoteRecord[],
): Promise<Review | undefined> {
  const votes = current ?? (await ctx.deps.stores.votes.votes(review.id));
  return voteDecided(ctx, review, pc, votes) ? closeVote(ctx, review, pc) : undefined;
}

/** Whether the vote policy says these votes settle the vote (or its deadline has passed). */
export function voteDecided(
  ctx: EngineContext,
  review: Review,
  pc: ProjectContext,
  votes: VoteRecord[],
): boolean {
  const decision = decideVote({
    policy: pc.gate!.vote,
    eligible: eligibleOf(pc),
    votes: counted(votes),
    revision: review.voteRevision ?? '',
    required: requiredOf(pc),
    openedAt: new Date(review.voteOpenedAt ?? review.openedAt),
    deadline: new Date(review.voteDeadline ?? review.openedAt),
    now: ctx.now(),
  });
  return decision.decided;
}

/** A required section changed while voting: votes bind to the new revision, earlier voters are asked again. */
async function markStale(
  ctx: EngineContext,
  review: Review,
  pc: ProjectContext,
): Promise<Review | undefined> {
  const now = requiredRevisions(pc);
  const before = review.voteFieldRevisions ?? {};
  const changed = (Object.keys(now) as Array<keyof typeof now>).filter(
    (key) => (before[key] ?? '') !== now[key],
  );
  if (changed.length === 0 || review.voteRevision === pc.card.revision) return undefined;
  const updated: Review = {
    ...review,
    voteRevision: pc.card.revision,
    voteFieldRevisions: now,
    cardRevision: pc.card.revision,
  };
  if (!(await ctx.deps.stores.reviews.save(updated, 'voting'))) return undefined;
  const votes = await ctx.deps.stores.votes.votes(review.id);
  const staleVoters = pc.voters.filter((voter) => votes.some((vote) => vote.voter.key === voter.key));
  const labels = changed.map((key) => pc.card.fields[key]?.label ?? key);
  const env = await ctx.channelEnv(review.conversationId);
  const sections = labels.join(', ');
  const text = staleVoters.length
    ? env.t(
        'engine:stale.text',
        { sections, voters: staleVoters.map((v) => v.display).join(', ') },
        env.locale,
      )
    : env.t('engine:stale.noVoters', { sections, revision: pc.card.revision }, env.locale);
  await ctx.audit({
    actor: 'bot',
    type: 'votes-stale',
    projectId: review.projectId,
    reviewId: review.id,
    revision: pc.card.revision,
    data: { sections, voters: staleVoters.length },
  });
  await ctx.deps.delivery.send([
    {
      op: 'post',
      key: keys.stale(review.id, pc.card.revision),
      conversationId: review.conversationId,
      threadOf: keys.vote(review.id),
      message: renderLine('vote-stale', text, env.locale),
      notify: await notifyWithLeads(ctx, review, pc.platform),
    },
    {
      op: 'update',
      key: keys.voteUpdate(review.id, `stale-${pc.card.revision}`),
      of: keys.vote(review.id),
      message: await voteMessage(ctx, pc, updated, votes),
    },
  ]);
  return updated;
}
