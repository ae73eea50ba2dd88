import type { CardDecision, CardWriter } from '../../src/core/ports';
import { CHANNEL, click, command, completeRetina, makeHarness } from './harness';

/** A card writer that fails while `failures` lasts, then records what it wrote. */
class FlakyWriter implements CardWriter {
  readonly mode = 'pull-request' as const;
  readonly written: CardDecision[] = [];
  constructor(public failures: number) {}
  async write(decision: CardDecision) {
    if (this.failures-- > 0) throw new Error('forge unreachable');
    this.written.push(decision);
    return { url: 'https://forge.example.org/org/cards/pull/7' };
  }
}

describe('decisions written back into the card', () => {
  it('after an advance: the outcome stays recorded through failures, the thread hears once, then gets the link', async () => {
    const writer = new FlakyWriter(2);
    const asked: string[] = [];
    const messageLinks = {
      async linkTo(key: string) {
        asked.push(key);
        return `https://chat.example.org/thread/${key}`;
      },
    };
    const h = makeHarness({ cardWriter: writer, messageLinks });
    h.cards.edit('retina-lesion-detector.md', completeRetina);
    await command(h, 'sam', 'review R07.2');
    await click(h, 'priya', 'vote-approve');
    await click(h, 'li', 'vote-approve', { reason: 'good work' });
    expect(await h.stores.levels.get('R07.2')).toBe(4);
    const review = (await h.stores.reviews.listClosed({ projectId: 'R07.2' }))[0]!;
    const job = h.scheduler.jobs.get(`write-back-${review.id}`)!.job;

    await expect(h.engine.runJob(job)).rejects.toThrow('forge unreachable');
    await expect(h.engine.runJob(job)).rejects.toThrow('forge unreachable');
    expect(await h.stores.levels.get('R07.2')).toBe(4);
    const failed = h.delivery.find('-write-back-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.op === 'post' && failed[0]!.threadOf).toBe(`review-${review.id}-vote`);
    expect(failed[0]!.message.text).toContain('could not be updated yet');

    await h.engine.runJob(job);
    expect(writer.written).toHaveLength(1);
    expect(writer.written[0]).toMatchObject({
      reviewId: review.id,
      projectId: 'R07.2',
      file: 'retina-lesion-detector.md',
      gate: { from: 3, to: 4 },
      outcome: 'advanced',
      level: 4,
      revision: review.voteRevision,
      conversationId: CHANNEL,
      // The decision record links the vote's thread, where the ballots were cast.
      threadUrl: `https://chat.example.org/thread/review-${review.id}-vote`,
    });
    expect(asked).toContain(`review-${review.id}-vote`);
    expect(writer.written[0]!.votes.map((vote) => vote.choice)).toEqual(['approve', 'approve']);
    const done = h.delivery
      .find(`review-${review.id}-write-back`)
      .filter((request) => !request.key.endsWith('failed'));
    expect(done[0]!.message.text).toContain('https://forge.example.org/org/cards/pull/7');
  });

  it('schedules nothing without a writer, and nothing for changes requested', async () => {
    const none = makeHarness();
    none.cards.edit('retina-lesion-detector.md', completeRetina);
    await command(none, 'sam', 'review R07.2');
    await click(none, 'priya', 'vote-approve');
    await click(none, 'li', 'vote-approve');
    expect([...none.scheduler.jobs.keys()].some((id) => id.startsWith('write-back-'))).toBe(false);

    const h = makeHarness({ cardWriter: new FlakyWriter(0) });
    h.cards.edit('retina-lesion-detector.md', completeRetina);
    await command(h, 'sam', 'review R07.2');
    await click(h, 'priya', 'vote-request-changes', { reason: 'more tests' });
    await click(h, 'li', 'vote-request-changes', { reason: 'more tests' });
    expect((await h.stores.reviews.listClosed({ projectId: 'R07.2' }))[0]?.outcome).toBe('changes-requested');
    expect([...h.scheduler.jobs.keys()].some((id) => id.startsWith('write-back-'))).toBe(false);
  });
});
