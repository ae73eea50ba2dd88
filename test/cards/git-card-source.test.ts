import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { createGitCardSource, type GitCardSourceOptions } from '../../src/cards/git/git-card-source';
import { createRedisCardCommit } from '../../src/storage/redis/redis-card-commit';
import { createGitRemote, serveSmartHttp, type GitRemote } from '../support/git-remote';
import { testRedisUrl, uniquePrefix } from '../support/redis';

const CARDS = resolve(__dirname, '..', '..', 'cards');
const retina = readFileSync(join(CARDS, 'retina-lesion-detector.md'), 'utf8');
const spotter = readFileSync(join(CARDS, 'keyword-spotter.md'), 'utf8');

const redis = new Redis(testRedisUrl(), { protocol: 2 });
afterAll(() => redis.quit());

describe('cards from a git repository', () => {
  let remote: GitRemote;
  let data: string;
  const sources: Array<{ stop?(): Promise<void> }> = [];
  beforeEach(() => {
    remote = createGitRemote({ 'cards/retina.md': retina, 'cards/spotter.md': spotter, 'README.md': '# repo\n' });
    data = mkdtempSync(join(tmpdir(), 'mltrl-clone-'));
  });
  afterEach(async () => {
    for (const source of sources.splice(0)) await source.stop?.();
    remote.cleanup();
    rmSync(data, { recursive: true, force: true });
  });

  function source(options: Partial<GitCardSourceOptions> = {}, clone = 'one') {
    const made = createGitCardSource({
      remote: { url: remote.url },
      path: 'cards',
      cloneDir: join(data, clone),
      pollSeconds: 0,
      ...options,
    });
    sources.push(made);
    return made;
  }

  it('clones over file://, reads the sub-folder, and a card revision is its last commit', async () => {
    const first = remote.commit({}, 'nothing'); // HEAD moves; the cards' last commit does not
    const cards = source({ webUrl: 'https://forge.example.org/org/cards/blob/{sha}/{path}' });
    await cards.start!();
    const set = await cards.loadAll();
    expect(set.cards.map((card) => card.file).sort()).toEqual(['retina.md', 'spotter.md']);
    const card = (await cards.find('R07.2'))!;
    expect(cards.commit).toBe(first);
    expect(card.revision).toMatch(/^[0-9a-f]{7}$/);
    expect(card.revision).not.toBe(first.slice(0, 7));
    expect(cards.linkOf!(card)).toMatch(
      new RegExp(`^https://forge.example.org/org/cards/blob/${card.revision}[0-9a-f]{33}/cards/retina.md$`),
    );
    expect(cards.health!()).toEqual({ state: 'ok', commit: first });
  });

  it('re-parses only the files a fetched push changed, and says which', async () => {
    const cards = source();
    const heard: string[][] = [];
    cards.onChange!((files) => heard.push(files));
    await cards.start!();
    const spotterBefore = await cards.find('S02.1');
    const sha = remote.commit({ 'cards/retina.md': retina.replace('### Testing status\n', '### Testing status\n\nNightly.\n') });
    expect(await cards.sync()).toEqual(['retina.md']);
    expect(heard).toEqual([['retina.md']]);
    expect(cards.commit).toBe(sha);
    expect((await cards.find('R07.2'))!.revision).toBe(sha.slice(0, 7));
    expect((await cards.find('R07.2'))!.fields['testing-status']!.text).toBe('Nightly.');
    expect(await cards.find('S02.1')).toBe(spotterBefore); // the same parsed object: not read again
    expect(await cards.sync()).toEqual([]); // nothing moved
  });

  it('follows a deleted card and a force-push that rewrites history', async () => {
    const cards = source();
    await cards.start!();
    remote.commit({ 'cards/spotter.md': null });
    expect(await cards.sync()).toEqual(['spotter.md']);
    expect(await cards.find('S02.1')).toBeUndefined();

    const rewritten = remote.forcePush({ 'cards/spotter.md': spotter });
    expect(await cards.sync()).toEqual(['retina.md', 'spotter.md']);
    expect(cards.commit).toBe(rewritten);
    expect(await cards.find('R07.2')).toBeUndefined();
    expect((await cards.find('S02.1'))!.revision).toBe(rewritten.slice(0, 7));
  });

  it('lists the levels a card stated across its history and its prior-level links', async () => {
    const at = (level: number) => spotter.replace(/\| Current Level(\s+)\| 1 /, `| Current Level$1| ${level} `);
    remote.commit({ 'cards/spotter.md': at(4) });
    remote.commit({ 'cards/spotter.md': at(7) });
    remote.commit({ 'cards/spotter.md': at(9).replace('| Main project page', '| Links to prior level cards | [level 3 card](./s02-level-3.md) |\n| Main project page') });
    const cards = source();
    await cards.start!();
    const card = (await cards.find('S02.1'))!;
    expect(card.level).toBe(9);
    expect(await cards.levelHistory!(card)).toEqual([1, 3, 4, 7, 9]);
  });

  it('keeps two processes on one commit: the one behind fetches before it answers', async () => {
    const prefix = uniquePrefix('cards');
    const shared = createRedisCardCommit(redis, prefix);
    const web = source({ shared }, 'web');
    const worker = source({ shared }, 'worker');
    const heardByWeb: string[][] = [];
    const heardByWorker: string[][] = [];
    web.onChange!((files) => heardByWeb.push(files));
    worker.onChange!((files) => heardByWorker.push(files));
    await Promise.all([web.start!(), worker.start!()]);
    expect(await shared.get()).toBe(web.commit);

    const sha = remote.commit({ 'cards/spotter.md': spotter.replace('| 1 ', '| 2 ') });
    await web.sync(); // the webhook reached the web process only
    expect(await shared.get()).toBe(sha);
    expect(worker.commit).not.toBe(sha);
    expect((await worker.find('S02.1'))!.level).toBe(2); // fetched first
    expect(worker.commit).toBe(sha);
    // Only the process that recorded the commit first tells its engine.
    expect(heardByWeb).toEqual([['spotter.md']]);
    expect(heardByWorker).toEqual([]);
    await redis.del(`${prefix}:cards:commit`);
  });

  it('over smart HTTP with a token; an unreachable remote degrades without losing the last good commit', async () => {
    const http = await serveSmartHttp(remote.root, { token: 'tok-3f9a' });
    try {
      const url = `${http.url}/cards.git`;
      const refused = source({ remote: { url, token: 'wrong-token-77' } }, 'refused');
      const error = await refused.start!().catch((e: Error) => e);
      expect(String(error)).toContain(`cannot clone the card repository ${url}`);
      expect(String(error)).not.toContain('wrong-token-77');

      const cards = source({ remote: { url, token: 'tok-3f9a' } }, 'http');
      await cards.start!();
      expect(http.requests.every((request) => request.path.startsWith('/cards.git'))).toBe(true);
      expect((await cards.find('R07.2'))?.projectId).toBe('R07.2');
      const good = cards.commit;

      await http.close();
      remote.commit({ 'cards/spotter.md': null });
      expect(await cards.sync()).toEqual([]);
      const health = cards.health!();
      expect(health.state).toBe('degraded');
      expect(health.commit).toBe(good);
      expect(health.lastError).toContain(`fetch from ${url} failed`);
      expect(health.lastError).not.toContain('tok-3f9a');
      expect((await cards.find('S02.1'))?.projectId).toBe('S02.1'); // the last good commit still serves
    } finally {
      await http.close().catch(() => undefined);
    }
  });
});
