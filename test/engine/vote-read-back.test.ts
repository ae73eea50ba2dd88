import { createMemoryStores } from '../../src/storage/memory/memory-stores';
import { click, command, completeRetina, makeHarness } from './harness';

/**
 * A vote click records the vote and reads the ballot back in the same round trip. When the read comes
 * back without the vote just recorded (Redis ran the reads first, e.g. after it had to be sent a script
 * again), the ballot is read once more, so the new card never leaves out the vote it answers.
 */
test('a ballot read back without the new vote is read again; the card shows the vote', async () => {
  const stores = createMemoryStores();
  const h = makeHarness({ stores });
  h.cards.edit('retina-lesion-detector.md', completeRetina);
  await command(h, 'sam', 'review R07.2');

  const ballot = stores.votes.ballot.bind(stores.votes);
  const record = stores.votes.record.bind(stores.votes);
  let reads = 0;
  let stale = true;
  let before: Awaited<ReturnType<typeof ballot>> | undefined;
  // While `stale`, the first read answers with the ballot as it was before the vote.
  stores.votes.record = async (reviewId, vote) => {
    before = stale ? await ballot(reviewId) : undefined;
    return record(reviewId, vote);
  };
  stores.votes.ballot = async (reviewId) => {
    reads++;
    return reads === 1 && before ? before : ballot(reviewId);
  };

  const reply = await click(h, 'priya', 'vote-approve');
  expect(reads).toBe(2);
  expect(reply.updated?.text).toContain('<@priya> approved');

  // Read back as recorded: one read.
  reads = 0;
  stale = false;
  const again = await click(h, 'li', 'vote-abstain');
  expect(reads).toBe(1);
  expect(again.updated?.text).toContain('<@li> abstained');
});
