import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import {
  exportState,
  importState,
  parseStateDump,
  StateDumpError,
  type StateDump,
} from '../../src/backup/state-dump';
import { createRedisStores } from '../../src/storage/redis';
import { startAppHarness, type AppHarness } from '../support/app-harness';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server';

const root = join(__dirname, '..', '..');

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'bin', 'mltrl-bot.js'), ...args],
      { cwd: root, env: { ...process.env, ...env } },
      (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 99) : 0, stderr }),
    );
  });
}

/** A dump's keys without time-to-live (it shrinks between two reads). */
const withoutTtl = (dump: StateDump) => dump.keys.map(({ ttlMs: _ttl, ...rest }) => rest);

describe('mltrl-bot export / import', () => {
  let harness: AppHarness;
  let fresh: PrivateRedis;
  let target: Redis;
  let dir: string;
  beforeAll(async () => {
    harness = await startAppHarness({ roles: { web: false, worker: false } });
    fresh = await startPrivateRedis();
    target = new Redis(fresh.url);
    dir = mkdtempSync(join(tmpdir(), 'mltrl-export-'));
    // Real state: an open review (review record, audit entries, a reminder job waiting in its queue).
    await harness.app.engine.handle({
      type: 'command',
      actor: { platform: 'playground', userId: 'lee', name: 'Lee' },
      conversationId: 'playground:ml-reviews',
      text: 'review R07.2',
    });
  });
  afterAll(async () => {
    target.disconnect();
    await fresh.stop();
    await harness.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores everything into a fresh Redis: reviews, audit, scheduled jobs, key for key', async () => {
    const prefix = harness.keyPrefix;
    const env = { REDIS_PREFIX: prefix.slice(1, -1), CARDS_DIR: harness.cardsDir, LOG_LEVEL: 'error' };
    const file = join(dir, 'state.json');
    const exported = await cli(['export', '--out', file], { ...env, REDIS_URL: process.env.TEST_REDIS_URL! });
    expect(exported).toMatchObject({ code: 0, stderr: expect.stringMatching(/exported \d+ keys/) });
    const dump = parseStateDump(JSON.parse(readFileSync(file, 'utf8')));
    expect(dump.keys.some((entry) => entry.type === 'stream')).toBe(true);

    const imported = await cli(['import', file], { ...env, REDIS_URL: fresh.url });
    expect(imported).toMatchObject({ code: 0, stderr: expect.stringMatching(/imported \d+ keys/) });

    expect(withoutTtl(await exportState(target, prefix))).toEqual(withoutTtl(dump));
    const before = createRedisStores(harness.app.redis, prefix);
    const after = createRedisStores(target, prefix);
    const review = await after.reviews.openForProject('R07.2');
    expect(review).toEqual(await before.reviews.openForProject('R07.2'));
    expect(review?.phase).toBe('gaps');
    expect(await after.audit.listByProject('R07.2')).toEqual(await before.audit.listByProject('R07.2'));
    expect((await after.audit.listByProject('R07.2')).length).toBeGreaterThan(0);
    const queue = new Queue(harness.app.scheduler.queue.name, { connection: target.duplicate(), prefix });
    try {
      const delayed = await queue.getDelayed();
      expect(delayed.map((job) => job.id).sort()).toEqual(
        (await harness.app.scheduler.queue.getDelayed()).map((job) => job.id).sort(),
      );
      expect(delayed.length).toBeGreaterThan(0);
    } finally {
      await queue.close();
    }

    // A second import would mix two states: refused unless --replace.
    const again = await cli(['import', file], { ...env, REDIS_URL: fresh.url });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds \d+ keys .*--replace/);
  });

  it('binary values and time-to-live survive; --replace clears what was there', async () => {
    const source = harness.app.redis;
    const prefix = '{dump-binary}';
    await source.set(`${prefix}:png`, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]), 'PX', 600000);
    await source.zadd(`${prefix}:z`, 1.5, 'a', 2, 'b');
    const dump = await exportState(source, prefix);
    expect(dump.keys.find((entry) => entry.key === ':png')).toMatchObject({ value: { b64: 'iVBOR/8A' } });
    await target.set(`${prefix}:stale`, 'x');
    await expect(importState(target, prefix, dump)).rejects.toThrow(StateDumpError);
    expect(await importState(target, prefix, dump, { replace: true })).toEqual({ keys: 2, deleted: 1 });
    expect(await target.getBuffer(`${prefix}:png`)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]),
    );
    expect(await target.pttl(`${prefix}:png`)).toBeGreaterThan(0);
    expect(
      ((await target.call('ZRANGE', `${prefix}:z`, '0', '-1', 'WITHSCORES')) as string[]).flat(),
    ).toEqual(['a', '1.5', 'b', '2']);
    expect(await target.exists(`${prefix}:stale`)).toBe(0);
    await source.del(`${prefix}:png`, `${prefix}:z`);
  });

  it('a file that is not a dump is refused before Redis is touched', () => {
    expect(() => parseStateDump({ format: 'other' })).toThrow(/not an mltrl-bot state dump/);
    expect(() =>
      parseStateDump({
        format: 'mltrl-bot-state',
        version: 1,
        keys: [{ key: ':x', type: 'module', value: 1 }],
      }),
    ).toThrow(/bad entry/);
  });
});
