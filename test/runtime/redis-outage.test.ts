import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { exitOf, killHard } from '../jobs/support/child-worker';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server';

jest.setTimeout(180000);

/**
 * The bot against a Redis of its own that goes away and comes back: every log line stays one JSON
 * object (no "[ioredis] Unhandled error event", no multi-line stack), the bot reconnects by itself and
 * /readyz is 503 while it is down and /healthz says what happened meanwhile. A wrong password stops start-up with a clear message.
 */
const REPO = resolve(__dirname, '..', '..');

function start(env: Record<string, string>): { child: ChildProcess; out: () => string; err: () => string } {
  const child = spawn(process.execPath, [join(REPO, 'bin', 'mltrl-bot.js'), 'start'], {
    cwd: REPO,
    env: {
      ...process.env,
      PORT: '0',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      SHUTDOWN_DEADLINE_MS: '2000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, out: () => stdout, err: () => stderr };
}

async function waitUntil<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 60000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

let dir: string;
let redis: PrivateRedis | undefined;
let bot: ReturnType<typeof start> | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mltrl-outage-'));
});
afterEach(async () => {
  await killHard(bot?.child);
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
  bot = undefined;
  redis = undefined;
});

test('Redis stopped and started again: logs stay JSON lines, the bot reconnects, /healthz tells', async () => {
  const redisDir = join(dir, 'redis');
  redis = await startPrivateRedis();
  const { port } = redis;
  bot = start({ REDIS_URL: redis.url, DATA_DIR: join(dir, 'data') });
  const healthUrl = (
    await waitUntil(() => bot!.out().match(/Health: (\S+)/) ?? undefined, 'the health address')
  )[1];
  expect((await fetch(healthUrl)).status).toBe(200);

  await redis.stop();
  await waitUntil(() => bot!.err().includes('redis: connection lost'), 'the outage logged');
  // Several reconnect attempts fail while it is down.
  await waitUntil(
    () => (bot!.err().match(/ECONNREFUSED|connection error/g) ?? []).length >= 1,
    'a failed reconnect',
  );
  const readyUrl = healthUrl.replace(/healthz$/, 'readyz');
  expect((await fetch(readyUrl)).status).toBe(503);

  mkdirSync(redisDir, { recursive: true });
  redis = await startPrivateRedis({ port, dir: redisDir });
  await waitUntil(() => bot!.err().includes('redis: connection back'), 'the reconnect logged');
  const health = await waitUntil(async () => {
    if ((await fetch(readyUrl)).status !== 200) return undefined;
    const response = await fetch(healthUrl);
    return (
      response.status === 200 &&
      ((await response.json()) as { redis?: { outages: number; lastOutage?: { to?: string } } })
    );
  }, '/readyz ready again');
  expect(health.redis).toMatchObject({
    state: 'up',
    outages: 1,
    lastOutage: { from: expect.any(String), to: expect.any(String) },
  });

  bot.child.kill('SIGTERM');
  expect(await exitOf(bot.child, 20000)).toBe(0);
  const lines = bot
    .err()
    .split('\n')
    .filter((line) => line.trim() !== '');
  const notJson = lines.filter((line) => {
    try {
      return typeof JSON.parse(line) !== 'object';
    } catch {
      return true;
    }
  });
  expect(notJson).toEqual([]);
  expect(lines.length).toBeGreaterThan(2);
});

test('a wrong Redis password stops start-up with a clear message', async () => {
  redis = await startPrivateRedis({ args: ['--requirepass', 'the-right-one'] });
  bot = start({
    REDIS_URL: redis.url.replace('redis://', 'redis://:the-wrong-one@'),
    DATA_DIR: join(dir, 'data'),
  });
  expect(await exitOf(bot.child, 60000)).toBe(1);
  expect(bot.err()).toMatch(/Redis refused the password .*REDIS_URL or REDIS_PASSWORD/);
  expect(bot.err()).not.toContain('the-wrong-one');
});
