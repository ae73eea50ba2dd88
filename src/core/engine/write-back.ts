import type { EngineJob } from '../engine-api';
import type { CardDecision } from '../ports';
import { renderLine } from '../render';
import { keys, type EngineContext } from './engine-context';
import type { Review } from './store-ports';

/**
 * CARDS_WRITE_BACK: after an advanced or switchback outcome is safe in Redis, a job writes the decision
 * into the card (level cell and a dated decision record), through `deps.cardWriter`. A failure never
 * touches the recorded outcome: the thread hears once that the card is not updated yet, and the job
 * throws so the queue retries; success posts the commit or pull-request link in the thread.
 */
export async function scheduleWriteBack(ctx: EngineContext, review: Review): Promise<void> {
  const job: EngineJob = { id: `write-back-${review.id}`, kind: 'write-back', reviewId: review.id };
  await ctx.deps.scheduler.schedule(job, ctx.now());
}

export async function runWriteBack(ctx: EngineContext, job: EngineJob): Promise<void> {
  const writer = ctx.deps.cardWriter;
  const review = await ctx.deps.stores.reviews.get(job.reviewId);
  if (!writer || !review || review.phase !== 'closed') return;
  if (review.outcome !== 'advanced' && review.outcome !== 'switchback') return;
  const threadKey = review.voteOpenedAt ? keys.vote(review.id) : keys.outcome(review.id);
  const [votes, threadUrl] = await Promise.all([
    ctx.deps.stores.votes.votes(review.id),
    // Without a link the record names the conversation and review; a failed look-up is no reason to wait.
    ctx.deps.messageLinks?.linkTo(threadKey).catch(() => undefined),
  ]);
  const decision: CardDecision = {
    reviewId: review.id,
    projectId: review.projectId,
    file: review.cardFile,
    gate: review.gate,
    outcome: review.outcome,
    level: review.outcomeLevel ?? review.gate.to,
    revision: review.voteRevision ?? review.cardRevision,
    at: review.closedAt ?? ctx.now().toISOString(),
    votes: votes.map((vote) => ({
      voter: vote.voter.name ?? vote.voter.key,
      choice: vote.choice,
      reason: vote.reason,
      switchbackTo: vote.switchbackTo,
    })),
    conversationId: review.conversationId,
    ...(threadUrl ? { threadUrl } : {}),
  };
  const env = await ctx.channelEnv(review.conversationId);
  const where = { conversationId: review.conversationId, threadOf: threadKey };
  let result: { url?: string; commit?: string };
  try {
    result = await writer.write(decision);
  } catch (error) {
    await ctx.deps.delivery.send([
      {
        op: 'post',
        key: `review-${review.id}-write-back-failed`,
        ...where,
        message: renderLine('error', env.t('engine:writeBack.failed', { id: review.projectId }, env.locale)),
      },
    ]);
    throw error;
  }
  const link = result.url ?? result.commit?.slice(0, 7) ?? '';
  const key = writer.mode === 'commit' ? 'engine:writeBack.committed' : 'engine:writeBack.pullRequest';
  await ctx.deps.delivery.send([
    {
      op: 'post',
      key: `review-${review.id}-write-back`,
      ...where,
      message: renderLine(
        'notice',
        env.t(key, { id: review.projectId, level: decision.level, link }, env.locale),
      ),
    },
  ]);
}
