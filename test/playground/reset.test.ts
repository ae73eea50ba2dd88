import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { startAppHarness, type AppHarness } from '../support/app-harness';
import { testRedisUrl, uniquePrefix } from '../support/redis';

/**
 * The playground's reset, through its API against the whole app and through `npm run playground:reset`
 * (the script), with a playground running and with none: the bot's keys under its prefix go, the clock
 * is back to now, nothing outside the prefix is touched, and never when Slack or Teams are configured.
 */
const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

let harness: AppHarness;
let redis: Redis;

beforeAll(async () => {
  harness = await startAppHarness();
  redis = new Redis(testRedisUrl());
}, 60_000);
afterAll(async () => {
  redis?.disconnect();
  await harness?.stop();
});

async function api(path: string, body?: unknown) {
  const response = await fetch(`${harness.baseUrl}/playground/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function messagesIn(conversation: string, as: string): Promise<unknown[]> {
  const { body } = await api(`/conversations/${conversation}/messages?as=${as}`);
  return body.messages as unknown[];
}

function script(env: Record<string, string>) {
  return run(
    process.execPath,
    [join(ROOT, 'bin', 'run-ts.js'), join(ROOT, 'scripts', 'playground-reset.ts')],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'error', ...env },
    },
  ).then(
    (done) => ({ code: 0, out: done.stdout, err: done.stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      out: error.stdout,
      err: error.stderr,
    }),
  );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const clockDriftMs = () => Math.abs(harness.clock.now().getTime() - Date.now());

test('the API reset clears reviews, messages and the moved clock; the ceremony starts over', async () => {
  const outside = `${uniquePrefix('other')}:kept`;
  await redis.set(outside, 'not the playground');
  await api('/conversations/playground:ml-reviews/commands', { as: 'sam', text: '/mltrl review R07.2' });
  await harness.clock.advance(3 * 86_400_000);
  expect(await messagesIn('playground:ml-reviews', 'sam')).not.toHaveLength(0);
  expect(clockDriftMs()).toBeGreaterThan(2 * 86_400_000);

  // Only a JSON body resets (a form on another site cannot send one).
  const refused = await api('/reset', {});
  expect(refused.status).toBe(400);
  expect(await messagesIn('playground:ml-reviews', 'sam')).not.toHaveLength(0);

  const reset = await api('/reset', { confirm: true });
  expect(reset.status).toBe(200);
  expect(Math.abs(Date.parse(reset.body.now as string) - Date.now())).toBeLessThan(60_000);
  expect(clockDriftMs()).toBeLessThan(60_000);
  expect(await messagesIn('playground:ml-reviews', 'sam')).toEqual([]);
  expect(await messagesIn('playground:dm-sam', 'sam')).toEqual([]);
  const left = await redis.keys(`${harness.keyPrefix.replace(/[{}]/g, '\\$&')}*`);
  expect(left.sort()).toEqual(
    [`${harness.keyPrefix}:clock:offset:epoch`, `${harness.keyPrefix}:portfolio:link-secret`].sort(),
  );
  expect(await redis.get(outside)).toBe('not the playground');
  await redis.del(outside);

  // The review of R07.2 opens again, as on a first run.
  const again = await api('/conversations/playground:ml-reviews/commands', {
    as: 'sam',
    text: '/mltrl review R07.2',
  });
  expect(JSON.stringify(again.body)).toContain('Started the 3 -> 4 review of R07.2');
});

test('`npm run playground:reset` asks the running playground to reset', async () => {
  await harness.clock.advance(86_400_000);
  const result = await script({
    HOST: '127.0.0.1',
    PORT: String(new URL(harness.baseUrl).port),
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: harness.app.config.REDIS_PREFIX,
  });
  expect(result.err).toBe('');
  expect(result.out).toContain(`the playground at ${harness.baseUrl} was reset`);
  expect(result.code).toBe(0);
  expect(clockDriftMs()).toBeLessThan(60_000);
});

test('with no playground running, the script clears the Redis it would use, only under its prefix', async () => {
  const prefix = uniquePrefix('pgreset');
  const mine = [
    `{${prefix}}:reviews:r1`,
    `{${prefix}}:playground:conv:ml-reviews`,
    `{${prefix}}:clock:offset`,
  ];
  const other = `{${uniquePrefix('neighbour')}}:reviews:r1`;
  for (const key of [...mine, other]) await redis.set(key, '1');
  await redis.set(`{${prefix}}:clock:offset`, String(5 * 86_400_000));

  const result = await script({
    PORT: String(await freePort()),
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: prefix,
  });
  expect(result.err).toBe('');
  expect(result.out).toContain(`deleted 3 keys under {${prefix}}; the clock is back to now`);
  expect(result.code).toBe(0);
  for (const key of mine) expect(await redis.exists(key)).toBe(0);
  expect(await redis.get(other)).toBe('1');
  expect(await redis.get(`{${prefix}}:clock:offset:epoch`)).toMatch(/^[0-9a-f-]{36}$/);
  await redis.del(other, `{${prefix}}:clock:offset:epoch`);
});

test('the script refuses when Slack is configured, and deletes nothing', async () => {
  const prefix = uniquePrefix('pgslack');
  await redis.set(`{${prefix}}:reviews:r1`, '1');
  const result = await script({
    PORT: String(await freePort()),
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: prefix,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 'test-signing-secret',
  });
  expect(result.code).toBe(1);
  expect(result.err).toContain("Slack or Teams credentials are set, so this data is not the playground's");
  expect(await redis.get(`{${prefix}}:reviews:r1`)).toBe('1');
  await redis.del(`{${prefix}}:reviews:r1`);
});
