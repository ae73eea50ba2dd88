import Redis from 'ioredis';
import { run } from '../../src/cli/audit-command';
import type { AuditEvent } from '../../src/core/engine/store-ports';
import { queuePrefix } from '../../src/jobs/job-ids';
import { RedisAuditLog } from '../../src/storage/redis';
import { testRedisUrl, uniquePrefix } from '../support/redis';

/** The hash-chained audit trail in a real Redis, and `mltrl-bot audit verify|export` against it. */
const redis = new Redis(testRedisUrl(), { protocol: 2 });
const names: string[] = [];
afterAll(async () => {
  for (const name of names) {
    const keys = await redis.keys(`${queuePrefix(name)}:*`);
    if (keys.length) await redis.del(...keys);
  }
  await redis.quit();
});

const event = (i: number, projectId = 'R07.2'): AuditEvent => ({
  at: new Date(Date.UTC(2026, 10, 23, 9, i)).toISOString(),
  actor: i % 2 ? 'priya' : 'bot',
  type: i % 2 ? 'voted' : 'nudged',
  projectId,
  reviewId: 'r1',
  data: { who: 'Priya Nair', choice: 'approve', note: 'comma, "quoted"' },
});

async function setUp() {
  const name = uniquePrefix('audit');
  names.push(name);
  const log = new RedisAuditLog(redis, queuePrefix(name));
  for (let i = 0; i < 5; i++) await log.append(event(i));
  await log.append(event(9, 'D11.4'));
  const lines: string[] = [];
  const env = { REDIS_URL: testRedisUrl(), REDIS_PREFIX: name };
  const cli = async (...args: string[]) => {
    lines.length = 0;
    const code = await run(args, env, (text) => lines.push(text));
    return { code, text: lines.join('\n') };
  };
  return { name, log, key: `${queuePrefix(name)}:audit:R07.2`, cli };
}

/** Rewrites a stream with the same ids, letting `change` edit the entries (what someone with Redis access could do). */
async function rewrite(
  key: string,
  change: (entries: Array<[string, string[]]>) => Array<[string, string[]]>,
) {
  const entries = (await redis.xrange(key, '-', '+')) as Array<[string, string[]]>;
  await redis.del(key);
  for (const [id, fields] of change(entries)) await redis.xadd(key, id, ...fields);
}

test('concurrent appends keep one unbroken chain per project, and verify says it is intact', async () => {
  const { log, cli } = await setUp();
  await Promise.all(Array.from({ length: 20 }, (_, i) => log.append(event(10 + i))));
  expect((await log.listByProject('R07.2')).length).toBe(25);
  const verified = await cli('verify');
  expect(verified).toEqual({ code: 0, text: 'audit trail intact: 26 entries in 2 project chain(s)' });
});

test('verify names an entry edited by hand in Redis', async () => {
  const { key, cli } = await setUp();
  let changedId = '';
  await rewrite(key, (entries) =>
    entries.map(([id, fields], i) => {
      if (i !== 2) return [id, fields];
      changedId = id;
      return [id, fields.map((field) => field.replace('"choice":"approve"', '"choice":"request-changes"'))];
    }),
  );
  const verified = await cli('verify');
  expect(verified.code).toBe(1);
  expect(verified.text).toContain(
    `R07.2: entry ${changedId} (nudged at 2026-11-23T09:02:00.000Z) was changed`,
  );
});

test('verify names the entry after a removed one, and an inserted one', async () => {
  const { key, cli } = await setUp();
  const ids = (await redis.xrange(key, '-', '+')).map(([id]) => id);
  await redis.xdel(key, ids[1]);
  let verified = await cli('verify', '--project', 'R07.2');
  expect(verified.code).toBe(1);
  expect(verified.text).toContain(`entry ${ids[2]}`);
  expect(verified.text).toContain('an entry was removed before it, or it was inserted');

  await rewrite(key, (entries) => [
    ...entries.slice(0, 2),
    [`${entries[1][0].split('-')[0]}-99`, ['e', JSON.stringify(event(7)), 'p', 'forged', 'h', 'forged']],
    ...entries.slice(2),
  ]);
  verified = await cli('verify');
  expect(verified.code).toBe(1);
  expect(verified.text).toMatch(/-99 \(voted at [^)]*\) was changed/);
});

test('export writes the trail as JSON or CSV, by project and date, with the chain hashes', async () => {
  const { cli } = await setUp();
  const json = await cli('export', '--format', 'json');
  const rows = JSON.parse(json.text) as Array<Record<string, unknown>>;
  expect(rows).toHaveLength(6);
  expect(rows[0]).toMatchObject({ projectId: 'R07.2', type: 'nudged', prev: '' });
  expect(rows[1].prev).toBe(rows[0].hash);
  const csv = await cli('export', '--project', 'R07.2', '--since', '2026-11-23T09:03:00Z', '--format', 'csv');
  const lines = csv.text.split('\n');
  expect(lines[0]).toBe('id,at,projectId,reviewId,actor,type,revision,data,prev,hash');
  expect(lines).toHaveLength(3);
  expect(lines[1]).toContain(
    '"{""who"":""Priya Nair"",""choice"":""approve"",""note"":""comma, \\""quoted\\""""}"',
  );
  expect((await cli('export', '--format', 'xml')).code).toBe(2);
});

describe('the audit length policy (AUDIT_MAX_ENTRIES / AUDIT_MAX_AGE_DAYS) keeps a chain anchor', () => {
  test('trims the oldest entries, verify checks the rest from the anchor, and still sees removals', async () => {
    const { log, key, cli, name } = await setUp();
    const now = new Date('2026-11-23T10:00:00Z');
    // R07.2 has entries at 09:00..09:04; keep 3. D11.4 has one entry: the newest entry always stays.
    const removed = await log.trim({ maxAgeDays: 0, maxEntries: 3 }, now);
    expect(Object.fromEntries(removed)).toEqual({ 'R07.2': 2 });
    expect((await log.listByProject('R07.2')).map((entry) => entry.at.slice(11, 16))).toEqual([
      '09:02',
      '09:03',
      '09:04',
    ]);
    const anchor = await log.anchorOf('R07.2');
    expect(anchor).toMatchObject({ count: 2, at: now.toISOString() });
    expect(await cli('verify')).toEqual({
      code: 0,
      text: 'audit trail intact: 4 entries in 2 project chain(s), checked from the anchors of 2 trimmed by the length policy',
    });

    // Appends go on linking to the newest entry; a second trim by age moves the anchor on and adds up.
    await log.append(event(30));
    const later = await log.trim({ maxAgeDays: 1, maxEntries: 0 }, new Date('2026-11-24T09:03:30Z'));
    expect(Object.fromEntries(later)).toEqual({ 'R07.2': 2 });
    expect((await log.anchorOf('R07.2'))?.count).toBe(4);
    expect((await cli('verify')).code).toBe(0);

    // Removing the oldest kept entry by hand (without the anchor moving) is named.
    const ids = (await redis.xrange(key, '-', '+')).map(([id]) => id);
    await redis.xdel(key, ids[0]);
    const verified = await cli('verify', '--project', 'R07.2');
    expect(verified.code).toBe(1);
    expect(verified.text).toContain(`entry ${ids[1]}`);

    // Without an anchor at all, a chain that starts mid-way is named too (its first entries were removed).
    await redis.del(`${queuePrefix(name)}:audit-anchor:R07.2`);
    expect((await cli('verify', '--project', 'R07.2')).code).toBe(1);
  });
});
