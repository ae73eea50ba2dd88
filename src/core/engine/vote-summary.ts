import type { OutboundMessage } from '../messages';
import { renderVoteSummary } from '../render';
import { keys, type EngineContext } from './engine-context';
import { cardUrl } from './nudges';
import type { ProjectContext } from './project-context';
import type { Review } from './store-ports';

/** The card summary in the vote's thread, for its first post and every in-place update. */
export async function voteSummaryMessage(
  ctx: EngineContext,
  review: Review,
  pc: ProjectContext,
): Promise<OutboundMessage> {
  return renderVoteSummary(
    {
      card: pc.card,
      gate: pc.gate!,
      flow: pc.flow,
      owners: pc.owners,
      voters: pc.voters,
      waivers: pc.waivers,
      cardUrl: cardUrl(ctx, pc),
      cardUrlIsCard: ctx.deps.cards.linkOf?.(pc.card) !== undefined,
    },
    await ctx.channelEnv(review.conversationId),
  );
}

/**
 * The card changed during the vote: the summary in the thread shows it as it is now (once per revision;
 * the delivery key dedupes repeats). Whether votes go stale is `recheck`'s business, not this one's.
 */
export async function updateVoteSummary(
  ctx: EngineContext,
  review: Review,
  pc: ProjectContext,
): Promise<void> {
  if (review.phase !== 'voting' || !pc.gate) return;
  await ctx.deps.delivery.send([
    {
      op: 'update',
      key: `${keys.voteSummary(review.id)}-u${pc.card.revision}`,
      of: keys.voteSummary(review.id),
      message: await voteSummaryMessage(ctx, review, pc),
    },
  ]);
}
