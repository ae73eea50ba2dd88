import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { exitOf } from '../jobs/support/child-worker';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server';

jest.setTimeout(180000);

/**
 * A wrong Redis password, at LOG_LEVEL=debug: at start-up (the bot stops with a one-line reason) and
 * after a password rotation while it runs (ioredis reconnects with the old password, again and again).
 * Neither password appears in any line of output, in any form.
 */
const REPO = resolve(__dirname, '..', '..');
const PASSWORD = 'redis-right-pw-31d8e0';
const WRONG = 'redis-wrong-pw-9b44c2';
const ROTATED = 'redis-rotated-pw-5ac117';

let redis: PrivateRedis;
let dir: string;
beforeAll(async () => {
  redis = await startPrivateRedis({ args: ['--requirepass', PASSWORD] });
  dir = mkdtempSync(join(tmpdir(), 'mltrl-wrongpw-'));
});
afterAll(async () => {
  // The rotation test leaves the server on the new password; stop() kills the process either way.
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function startBot(password: string, name: string): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [join(REPO, 'bin', 'mltrl-bot.js'), 'start'], {
    cwd: REPO,
    env: {
      ...process.env,
      REDIS_URL: redis.url.replace('redis://', `redis://:${password}@`),
      LOG_LEVEL: 'debug',
      PLAYGROUND: 'true',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      PORT: '0',
      DATA_DIR: join(dir, name),
      SHUTDOWN_DEADLINE_MS: '3000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** Waits for the output to show `pattern` (or the process to end), never for a fixed time. */
async function waitForOutput(bot: ReturnType<typeof startBot>, pattern: RegExp, limitMs: number) {
  const deadline = Date.now() + limitMs;
  while (!pattern.test(bot.output()) && bot.child.exitCode === null && Date.now() < deadline)
    await new Promise((done) => setTimeout(done, 100));
  if (!pattern.test(bot.output())) throw new Error(`no ${pattern} in:\n${bot.output().slice(-3000)}`);
}

function expectNoPassword(output: string): void {
  for (const secret of [PASSWORD, WRONG, ROTATED]) {
    expect(output).not.toContain(secret);
    // Pieces too: a password cut by a line wrap or quoted in a command dump still leaks.
    expect(output).not.toContain(secret.slice(0, 12));
    expect(output).not.toContain(Buffer.from(secret).toString('base64').slice(0, 16));
  }
}

test('a wrong password at start-up: a one-line reason, a non-zero exit, no password anywhere', async () => {
  const bot = startBot(WRONG, 'wrong');
  try {
    const code = await exitOf(bot.child, 80000);
    expect(code).not.toBe(0);
  } finally {
    if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
  }
  const output = bot.output();
  expect(output).toMatch(/debug/);
  expect(output).toContain('Redis refused the password');
  expect(output).toMatch(/check the password in REDIS_URL/);
  expectNoPassword(output);
});

test('a password rotated under a running bot: reconnects fail loudly, no password anywhere', async () => {
  const bot = startBot(PASSWORD, 'rotated');
  const admin = new Redis(redis.url, { password: PASSWORD, lazyConnect: true });
  try {
    await waitForOutput(bot, /Playground: http:\/\/127\.0\.0\.1:\d+/, 80000);
    await admin.connect();
    // The rotation: a new password, and every client dropped so each one logs in again with the old one.
    await admin.config('SET', 'requirepass', ROTATED);
    await admin.call('CLIENT', 'KILL', 'TYPE', 'normal');
    await waitForOutput(bot, /WRONGPASS/, 60000);
    bot.child.kill('SIGTERM');
    await exitOf(bot.child, 20000).catch(() => undefined);
  } finally {
    if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
    admin.disconnect();
  }
  expectNoPassword(bot.output());
});
