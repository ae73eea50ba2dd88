import { createMemoryStores } from '../../src/storage/memory/memory-stores';
import { click, command, completeRetina, makeHarness } from './harness';

/**
 * A vote click's new card shows the ballot the record answered with (read in the same atomic step), so
 * no second read is needed. When that ballot lacks the vote (another click changed it in between, or the
 * records ran in another order), the ballot is read again, so the new card never leaves out the vote it
 * answers.
 */
test('the card shows the ballot the record answered with; one without the vote is read again', async () => {
  const stores = createMemoryStores();
  const h = makeHarness({ stores });
  h.cards.edit('retina-lesion-detector.md', completeRetina);
  await command(h, 'sam', 'review R07.2');

  const ballot = stores.votes.ballot.bind(stores.votes);
  const record = stores.votes.record.bind(stores.votes);
  let reads = 0;
  let stale = true;
  // While `stale`, the record answers with the ballot as it was before the vote.
  stores.votes.record = async (reviewId, vote) => {
    const before = await ballot(reviewId);
    const result = await record(reviewId, vote);
    return stale ? { ...result, ballot: before } : result;
  };
  stores.votes.ballot = async (reviewId) => {
    reads++;
    return ballot(reviewId);
  };

  const reply = await click(h, 'priya', 'vote-approve');
  expect(reads).toBe(1);
  expect(reply.updated?.text).toContain('<@priya> approved');

  // Answered with the ballot as recorded: no read.
  reads = 0;
  stale = false;
  const again = await click(h, 'li', 'vote-abstain');
  expect(reads).toBe(0);
  expect(again.updated?.text).toContain('<@li> abstained');
});
