import type { OutboundMessage } from '../../src/core/messages';
import { command, completeRetina, makeHarness } from '../engine/harness';

/**
 * The vote message the real engine posts in a channel (read by many people), and the vote deadline it
 * names: the input of the "times in each reader's zone" tests of every platform.
 */
export async function channelVote(): Promise<{ vote: OutboundMessage; deadline: Date }> {
  const h = makeHarness();
  h.cards.edit('retina-lesion-detector.md', completeRetina);
  await command(h, 'sam', 'review R07.2');
  const vote = h.delivery.find('-vote').find((request) => request.message.kind === 'vote');
  const [review] = await h.stores.reviews.listOpen();
  if (!vote || !review?.voteDeadline) throw new Error('no vote with a deadline posted');
  return { vote: vote.message, deadline: new Date(review.voteDeadline) };
}
