import { renderLine, type RenderEnv } from '../render';
import { keys, type EngineContext } from './engine-context';
import { gapReportMessage } from './gap-report-message';
import { updateVoteSummary } from './vote-summary';
import type { ProjectContext } from './project-context';
import { recheck } from './recheck';
import { ownerMention, threadOf } from './review-owners';
import type { Review } from './store-ports';

/**
 * Card files changed under the bot (an edit in CARDS_DIR, a fetched push): the open reviews of those
 * files are re-checked now, not at their next job. Gaps phase: the gap report is updated in place, or the
 * vote opens once nothing required is missing; voting: a changed required section marks votes stale and
 * a settled vote closes (both in `recheck`). A card that is gone or unreadable pauses its review: the
 * review keeps its state, the thread hears about it once per problem, and the next good version resumes.
 */
export async function cardsChanged(ctx: EngineContext, files: string[]): Promise<void> {
  if (files.length === 0) return;
  const changed = new Set(files);
  const open = (await ctx.deps.stores.reviews.listOpen()).filter((review) => changed.has(review.cardFile));
  for (const review of open) await recheckChanged(ctx, review);
}

async function recheckChanged(ctx: EngineContext, review: Review): Promise<void> {
  const card = await ctx.deps.cards.find(review.projectId);
  if (!card) {
    await cardUnavailable(ctx, review);
    return;
  }
  const { review: after, pc } = await recheck(ctx, review);
  if (after.phase === 'gaps' && pc?.report && !pc.report.ok) await updateGapReport(ctx, after, pc);
  // The edit that completed the card opened the vote: the gap report stops listing what was missing
  // ("The card has everything this gate requires"), so no message in the channel says otherwise.
  if (review.phase === 'gaps' && after.phase === 'voting' && pc?.report?.ok)
    await updateGapReport(ctx, review, pc);
  // During the vote the summary in its thread follows the card (the first post named another revision).
  if (after.phase === 'voting' && pc && pc.card.revision !== review.voteRevision)
    await updateVoteSummary(ctx, after, pc);
}

/**
 * The gap report posted when the review started (keyed by the revision of that moment, which the gaps
 * phase keeps in `cardRevision`) shows the gaps of the card as it is now.
 */
async function updateGapReport(ctx: EngineContext, review: Review, pc: ProjectContext): Promise<void> {
  if (pc.card.revision === review.cardRevision) return;
  const message = await gapReportMessage(ctx, review, pc);
  await ctx.deps.delivery.send([
    {
      op: 'update',
      key: `${keys.gapReport(review.id, review.cardRevision)}-u${pc.card.revision}`,
      of: keys.gapReport(review.id, review.cardRevision),
      message,
    },
  ]);
}

/**
 * Deleted, renamed to another project ID, or unreadable: say which file (and line), change nothing else.
 * A card that is gone pauses the review: its owners (as stored on the review) are named and mentioned,
 * once per disappearance; the next re-check that finds the card again ends the pause.
 */
async function cardUnavailable(ctx: EngineContext, review: Review): Promise<void> {
  const env = await ctx.channelEnv(review.conversationId);
  const { errors } = await ctx.deps.cards.loadAll();
  const error = errors.find((candidate) => candidate.file === review.cardFile);
  if (!error) {
    await cardGone(ctx, review, env);
    return;
  }
  const text = env.t(
    'engine:cardSource.unreadable',
    {
      id: review.projectId,
      file: review.cardFile,
      line: error.line ?? '-',
      problem: env.t(`cards:error.${error.code}`, { file: error.file, ...error.params }, env.locale),
    },
    env.locale,
  );
  await ctx.deps.delivery.send([
    {
      op: 'post',
      key: `review-${review.id}-card-unreadable-${error.code}-${error.line ?? 0}`,
      conversationId: review.conversationId,
      threadOf: threadOf(review),
      message: renderLine('error', text),
    },
  ]);
}

/**
 * The pause notice. Its key counts the disappearances, derived from the stored review, so two processes
 * (or a poll after a push) that see the same disappearance send the same key and it goes out once.
 * Sent before the pause is saved: a crash in between sends the same key again, never a second notice.
 */
async function cardGone(ctx: EngineContext, review: Review, env: RenderEnv): Promise<void> {
  const already = review.cardGoneSince !== undefined;
  const count = already ? (review.cardGoneCount ?? 1) : (review.cardGoneCount ?? 0) + 1;
  const owners = (review.owners ?? []).map(ownerMention);
  const params = { id: review.projectId, file: review.cardFile, owners: owners.join(', ') };
  const text = env.t(
    owners.length ? 'engine:cardSource.missingOwners' : 'engine:cardSource.missing',
    params,
    env.locale,
  );
  await ctx.deps.delivery.send([
    {
      op: 'post',
      key: `review-${review.id}-card-missing-${count}`,
      conversationId: review.conversationId,
      threadOf: threadOf(review),
      message: renderLine('error', text),
    },
  ]);
  if (already) return;
  const paused: Review = { ...review, cardGoneSince: ctx.now().toISOString(), cardGoneCount: count };
  await ctx.deps.stores.reviews.save(paused, review.phase);
}
