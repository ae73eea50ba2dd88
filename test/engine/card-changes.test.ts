import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHANNEL, command, completeRetina, makeHarness } from './harness';

const FILE = 'retina-lesion-detector.md';
const CARDS = join(__dirname, '..', '..', 'cards');

describe('a card change re-checks its open review at once (no job, no command)', () => {
  it('opens the vote when the last gap is fixed after the escalation', async () => {
    const h = makeHarness();
    await command(h, 'lee', 'review R07.2');
    // Every reminder round and the escalation run; afterwards no job is left for the review.
    for (const day of ['2026-11-24', '2026-11-26', '2026-12-02', '2026-12-03', '2026-12-10']) {
      h.clock.set(`${day}T10:00:00Z`);
      await h.scheduler.runDue(h.engine, h.clock.now());
    }
    expect(h.delivery.find('-escalate-owners')).toHaveLength(1);
    expect([...h.scheduler.jobs.keys()]).toEqual([]);

    h.cards.edit(FILE, completeRetina);
    await h.engine.cardsChanged([FILE]);
    const vote = h.delivery.find('-vote')[0];
    expect(vote?.message.kind).toBe('vote');
    expect((await h.stores.reviews.openForProject('R07.2'))?.phase).toBe('voting');
  });

  it('the edit that opens the vote also updates the gap report: it no longer lists what was missing', async () => {
    const h = makeHarness();
    await command(h, 'sam', 'review R07.2');
    const report = h.delivery.find('-gaps-')[0];
    expect(report.message.text).toContain('Testing status: empty');

    h.cards.edit(FILE, completeRetina);
    await h.engine.cardsChanged([FILE]);
    expect((await h.stores.reviews.openForProject('R07.2'))?.phase).toBe('voting');
    const updates = h.delivery.requests.filter(
      (request) => request.op === 'update' && request.of === report.key,
    );
    expect(updates).toHaveLength(1);
    expect(updates[0].message.text).toContain('The card has everything this gate requires.');
    expect(updates[0].message.text).not.toContain('Testing status: empty');
    expect(updates[0].message.text).not.toContain('I will remind you');
  });

  it('updates the gap report in place while gaps remain, once per revision', async () => {
    const h = makeHarness();
    await command(h, 'sam', 'review R07.2');
    const report = h.delivery.find('-gaps-')[0];
    expect(report.message.text).toContain('Testing status: empty');

    h.cards.edit(FILE, (text) =>
      text.replace('### Testing status\n', '### Testing status\n\nNightly held-out evaluation.\n'),
    );
    await h.engine.cardsChanged([FILE]);
    await h.engine.cardsChanged([FILE]);
    const updates = h.delivery.requests.filter((request) => request.op === 'update');
    expect(updates).toHaveLength(2);
    expect(new Set(updates.map((update) => update.key)).size).toBe(1);
    const update = updates[0]!;
    expect(update.op === 'update' && update.of).toBe(report.key);
    expect(update.message.text).toContain('Code repo & docs: still the template text');
    expect(update.message.text).not.toContain('Testing status: empty');
    expect((await h.stores.reviews.openForProject('R07.2'))?.phase).toBe('gaps');
  });

  it('updates the gap report with the same lines as the first report (one builder)', async () => {
    const h = makeHarness();
    h.cards.set(
      'retina-image-quality-gate.md',
      readFileSync(join(CARDS, 'retina-image-quality-gate.md'), 'utf8'),
    );
    await command(h, 'sam', 'review R07.2');
    const first = h.delivery.find('-gaps-')[0]!.message.text.split('\n');
    // The first report names the system level and the owners' next reminder; the update must too.
    expect(first.some((line) => /system/i.test(line))).toBe(true);
    expect(first.some((line) => /\(next: /.test(line))).toBe(true);

    h.cards.edit(FILE, (text) =>
      text.replace('### Testing status\n', '### Testing status\n\nNightly held-out evaluation.\n'),
    );
    await h.engine.cardsChanged([FILE]);
    const update = h.delivery.requests.find((request) => request.op === 'update')!;
    const revision = (line: string) => line.replace(/revision \S+/, 'revision ?');
    const expected = first.filter((line) => !line.includes('Testing status: empty')).map(revision);
    expect(update.message.text.split('\n').map(revision)).toEqual(expected);
  });

  it('ignores files without an open review', async () => {
    const h = makeHarness();
    await command(h, 'sam', 'review R07.2');
    const before = h.delivery.requests.length;
    await h.engine.cardsChanged(['other-card.md']);
    await h.engine.cardsChanged([]);
    expect(h.delivery.requests.length).toBe(before);
  });

  it('pauses a review whose card is deleted, names its owners once in its thread, and resumes when it is back', async () => {
    const h = makeHarness();
    await command(h, 'sam', 'review R07.2');
    const review = (await h.stores.reviews.openForProject('R07.2'))!;
    // The owners are stored when the review starts, so they can be named once the card is gone.
    expect(review.owners?.map((owner) => owner.key)).toEqual(['ana', 'sam']);
    const good = h.cards.texts.get(FILE)!;
    h.cards.texts.delete(FILE);
    await h.engine.cardsChanged([FILE]);
    await h.engine.cardsChanged([FILE]); // the next poll or push: no second notice
    expect(h.delivery.find('-card-missing')).toHaveLength(1);
    const notice = h.delivery.find('-card-missing')[0]!;
    expect(notice.op === 'post' && notice.conversationId).toBe(CHANNEL);
    expect(notice.op === 'post' && notice.threadOf).toBe(h.delivery.find('-gaps-')[0]!.key);
    const mentions = review.owners!.map((owner) => (owner.userId ? `<@${owner.userId}>` : owner.name));
    expect(notice.message.text).toBe(
      `${mentions.join(', ')}: the card of R07.2 (retina-lesion-detector.md) is gone or no longer names R07.2. ` +
        'The review is paused until the card is back.',
    );
    const paused = (await h.stores.reviews.openForProject('R07.2'))!;
    expect(paused).toMatchObject({ phase: 'gaps', cardGoneCount: 1, owners: review.owners });
    expect(paused.cardGoneSince).toBeDefined();

    // Back, complete: the pause ends (said once) and the review moves on.
    h.cards.set(FILE, completeRetina(good));
    await h.engine.cardsChanged([FILE]);
    await h.engine.cardsChanged([FILE]);
    expect(h.delivery.find('-card-back-')).toHaveLength(1);
    const resumed = (await h.stores.reviews.openForProject('R07.2'))!;
    expect(resumed.phase).toBe('voting');
    expect(resumed.cardGoneSince).toBeUndefined();

    // Gone again later: a second pause is a second notice, still naming the owners.
    h.cards.texts.delete(FILE);
    await h.engine.cardsChanged([FILE]);
    expect(h.delivery.find('-card-missing')).toHaveLength(2);
    expect(h.delivery.find('-card-missing-2')[0]!.message.text).toContain(mentions.join(', '));
  });

  it('names the owners stored on the review even when they changed on the card before it went away', async () => {
    const h = makeHarness();
    await command(h, 'sam', 'review R07.2');
    h.cards.edit(FILE, (text) => text.replace('| Ana Lima, @sam ', '| Priya Nair, @sam '));
    await h.engine.cardsChanged([FILE]);
    expect((await h.stores.reviews.openForProject('R07.2'))!.owners?.map((o) => o.key)).toEqual([
      'priya',
      'sam',
    ]);
    h.cards.texts.delete(FILE);
    await h.engine.cardsChanged([FILE]);
    const text = h.delivery.find('-card-missing')[0]!.message.text;
    expect(text).toMatch(/^(<@priya>|Priya Nair), (<@sam>|Sam Okafor): /);
    expect(text).not.toMatch(/ana|Ana Lima/);
  });

  it('a review stored before owners were kept (no owners field) still pauses, and learns them on its next re-check', async () => {
    const h = makeHarness();
    await command(h, 'sam', 'review R07.2');
    const { owners: _dropped, ...old } = (await h.stores.reviews.openForProject('R07.2'))!;
    expect(await h.stores.reviews.save(old, 'gaps')).toBe(true);
    h.cards.edit(FILE, (text) => text.replace('### Testing status\n', '### Testing status\n\nNightly.\n'));
    await h.engine.cardsChanged([FILE]);
    expect((await h.stores.reviews.openForProject('R07.2'))!.owners?.map((o) => o.key)).toEqual([
      'ana',
      'sam',
    ]);
  });

  it('names the file and line of a card that cannot be read, keeps the state, resumes on the next good commit', async () => {
    const h = makeHarness();
    await command(h, 'sam', 'review R07.2');
    const good = h.cards.texts.get(FILE)!;
    h.cards.edit(FILE, (text) => text.replace(/\| Current Level[^\n]*\n/, '| Current Level | soon |\n'));
    await h.engine.cardsChanged([FILE]);
    const broken = h.delivery.find('-card-unreadable')[0];
    expect(broken?.message.text).toMatch(/cannot be read \(retina-lesion-detector\.md, line \d+\)/);
    expect(broken?.message.text).toContain('soon');
    expect((await h.stores.reviews.openForProject('R07.2'))?.phase).toBe('gaps');

    h.cards.set(FILE, completeRetina(good));
    await h.engine.cardsChanged([FILE]);
    expect((await h.stores.reviews.openForProject('R07.2'))?.phase).toBe('voting');
  });
});
