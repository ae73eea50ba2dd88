import { createMemoryStores } from '../../src/storage/memory/memory-stores';
import { command, completeRetina, makeHarness } from './harness';

/** State changes outside the vote itself are audit entries too: failed deliveries, refused digest commands. */
describe('audit entries', () => {
  it('files a failed delivery under the project of the review its key names', async () => {
    const h = makeHarness({ stores: createMemoryStores() });
    h.cards.edit('retina-lesion-detector.md', completeRetina);
    await command(h, 'sam', 'review R07.2');
    const review = (await h.stores.reviews.openForProject('R07.2'))!;
    await h.engine.deliveryFailed!({
      key: `review-${review.id}-nudge-voters-r1-priya`,
      op: 'dm',
      reason: 'user_not_found',
      userId: 'priya',
    });
    await h.engine.deliveryFailed!({ key: 'digest-playground:x-2026-W48', op: 'post', reason: 'gave_up' });
    const entry = (await h.stores.audit.listByProject('R07.2')).find((e) => e.type === 'delivery-failed');
    expect(entry).toMatchObject({
      actor: 'bot',
      reviewId: review.id,
      data: { key: `review-${review.id}-nudge-voters-r1-priya`, op: 'dm', reason: 'user_not_found' },
    });
    const elsewhere = (await h.stores.audit.listByProject('*')).filter((e) => e.type === 'delivery-failed');
    expect(elsewhere.map((e) => e.data?.reason)).toEqual(['gave_up']);
    expect((await command(h, 'sam', 'history R07.2')).ephemeral[0].text).toContain(
      'a message could not be delivered (user_not_found)',
    );
  });

  it('audits a refused digest command', async () => {
    const h = makeHarness({ stores: createMemoryStores() });
    const reply = await command(h, 'ana', 'digest subscribe');
    expect(reply.ephemeral[0].text).toBe('Only admins can manage digests.');
    const refused = (await h.stores.audit.listByProject('*')).filter((e) => e.type === 'refused');
    expect(refused.map((e) => [e.actor, e.data])).toEqual([
      ['ana', { command: 'digest subscribe', reason: 'not-admin' }],
    ]);
  });
});
