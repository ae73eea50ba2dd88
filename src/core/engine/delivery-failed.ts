import type { DeliveryFailure } from '../engine-api';
import type { EngineContext } from './engine-context';
import { NO_PROJECT } from './flow-command';

/**
 * The review a delivery key belongs to: engine keys start `review-<id>-` and go on with what the message
 * is (`-vote`, `-gaps-`, `-nudge-`, ...). Keys of other senders (digests, delegations) name no review.
 */
const REVIEW_KEY = /^review-(.+?)-(?:gaps|vote|stale|outcome|nudge|escalate|notmine)/;

/** A message that failed for good is a state change too: audited under its review's project. */
export async function deliveryFailed(ctx: EngineContext, failure: DeliveryFailure): Promise<void> {
  const reviewId = failure.key.match(REVIEW_KEY)?.[1];
  const review = reviewId ? await ctx.deps.stores.reviews.get(reviewId) : undefined;
  await ctx.audit({
    actor: 'bot',
    type: 'delivery-failed',
    projectId: review?.projectId ?? NO_PROJECT,
    ...(review ? { reviewId: review.id } : {}),
    data: {
      key: failure.key,
      op: failure.op,
      reason: failure.reason,
      ...(failure.conversationId ? { conversationId: failure.conversationId } : {}),
      ...(failure.userId ? { userId: failure.userId } : {}),
    },
  });
}
