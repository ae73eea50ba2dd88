import { renderLine } from '../render';
import { keys, type EngineContext } from './engine-context';
import { gapReportMessage } from './gap-report-message';
import { updateVoteSummary } from './vote-summary';
import type { ProjectContext } from './project-context';
import { recheck } from './recheck';
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

/** Deleted, renamed to another project ID, or unreadable: say which file (and line) once, change nothing. */
async function cardUnavailable(ctx: EngineContext, review: Review): Promise<void> {
  const env = await ctx.channelEnv(review.conversationId);
  const { errors } = await ctx.deps.cards.loadAll();
  const error = errors.find((candidate) => candidate.file === review.cardFile);
  const text = error
    ? env.t(
        'engine:cardSource.unreadable',
        {
          id: review.projectId,
          file: review.cardFile,
          line: error.line ?? '-',
          problem: env.t(`cards:error.${error.code}`, { file: error.file, ...error.params }, env.locale),
        },
        env.locale,
      )
    : env.t('engine:cardSource.missing', { id: review.projectId, file: review.cardFile }, env.locale);
  const problem = error ? `unreadable-${error.code}-${error.line ?? 0}` : 'missing';
  await ctx.deps.delivery.send([
    {
      op: 'post',
      key: `review-${review.id}-card-${problem}`,
      conversationId: review.conversationId,
      threadOf:
        review.phase === 'voting' ? keys.vote(review.id) : keys.gapReport(review.id, review.cardRevision),
      message: renderLine('error', text),
    },
  ]);
}
