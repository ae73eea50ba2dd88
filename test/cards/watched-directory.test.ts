import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWatchedCardDirectory } from '../../src/cards/watched-directory';
import { createRedisStores } from '../../src/storage/redis';
import { waitFor } from '../jobs/support/recording-chat-port';
import { startAppHarness, type AppHarness } from '../support/app-harness';
import { completeRetina } from '../engine/harness';
import { readFileSync } from 'node:fs';

/** Collects the batches of changed files a listener hears. */
function collector() {
  const batches: string[][] = [];
  return { batches, listener: (files: string[]) => batches.push(files) };
}

describe('the watched card directory', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mltrl-watch-'));
    mkdirSync(join(dir, 'team'));
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, 'a.md'), '# A\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports changed card files once per burst of writes, relative to the folder', async () => {
    // A generous debounce keeps the five writes one burst even on a loaded machine.
    const cards = createWatchedCardDirectory(dir, { debounceMs: 1000 });
    const { batches, listener } = collector();
    cards.onChange!(listener);
    await cards.start!();
    try {
      writeFileSync(join(dir, 'a.md'), '# A1\n');
      writeFileSync(join(dir, 'a.md'), '# A2\n');
      writeFileSync(join(dir, 'team', 'b.md'), '# B\n');
      writeFileSync(join(dir, 'notes.txt'), 'not a card');
      writeFileSync(join(dir, '.git', 'HEAD.md'), 'hidden');
      await waitFor(async () => batches.flat().includes('team/b.md'), 15000, 'the change batch');
      expect(batches.flat().sort()).toEqual(['a.md', 'team/b.md']);

      const before = batches.length;
      unlinkSync(join(dir, 'a.md'));
      await waitFor(async () => batches.length > before, 15000, 'the delete batch');
      expect(batches.slice(before)).toEqual([['a.md']]);
    } finally {
      await cards.stop!();
    }
  });

  it('stops reporting after stop', async () => {
    const cards = createWatchedCardDirectory(dir, { debounceMs: 50 });
    const { batches, listener } = collector();
    cards.onChange!(listener);
    await cards.start!();
    await cards.stop!();
    writeFileSync(join(dir, 'a.md'), '# changed\n');
    // A marker watcher started after the edit proves the file system settled, without a fixed sleep.
    const marker = createWatchedCardDirectory(dir, { debounceMs: 50 });
    const seen = collector();
    marker.onChange!(seen.listener);
    await marker.start!();
    writeFileSync(join(dir, 'z.md'), '# Z\n');
    await waitFor(async () => seen.batches.length > 0, 15000, 'the marker');
    await marker.stop!();
    expect(batches).toEqual([]);
  });
});

describe('the running app re-checks a review when its card file changes', () => {
  let harness: AppHarness;
  beforeAll(async () => {
    harness = await startAppHarness();
  });
  afterAll(() => harness.stop());

  it('opens the vote after the owner fixes the card, with nobody typing anything', async () => {
    const reviews = createRedisStores(harness.app.redis, harness.app.keyPrefix).reviews;
    await harness.app.engine.handle({
      type: 'command',
      actor: { platform: 'playground', userId: 'lee', name: 'Lee' },
      conversationId: 'playground:ml-reviews',
      text: 'review R07.2',
    });
    expect((await reviews.openForProject('R07.2'))?.phase).toBe('gaps');
    const file = join(harness.cardsDir, 'retina-lesion-detector.md');
    writeFileSync(file, completeRetina(readFileSync(file, 'utf8')));
    const review = await waitFor(
      async () => (await reviews.openForProject('R07.2'))?.phase === 'voting',
      15000,
      'the vote to open',
    );
    expect(review).toBe(true);
  });
});
