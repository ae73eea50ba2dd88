import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { testRedisUrl, uniquePrefix } from '../support/redis';
import { exitOf } from '../jobs/support/child-worker';

jest.setTimeout(150000);

const REPO = resolve(__dirname, '..', '..');

function runCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [join(REPO, 'bin', 'mltrl-bot.js'), ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, output: () => ({ stdout, stderr }) };
}

async function waitForLine(
  read: () => string,
  pattern: RegExp,
  timeoutMs = 60000,
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = read().match(pattern);
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`no line matching ${pattern} in:\n${read()}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

describe('mltrl-bot start', () => {
  const prefix = uniquePrefix('cli');
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mltrl-cli-'));
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    const redis = new Redis(testRedisUrl(), { protocol: 2 });
    const keys = await redis.keys(`{${prefix}}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('prints the playground address, answers /healthz, and exits 0 on SIGTERM', async () => {
    const { child, output } = runCli(['start'], {
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: prefix,
      PORT: '0',
      DATA_DIR: join(dir, 'data'),
      SHUTDOWN_DEADLINE_MS: '3000',
    });
    try {
      const [, url] = await waitForLine(() => output().stdout, /Playground: (http:\/\/127\.0\.0\.1:\d+)/);
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      child.kill('SIGTERM');
      expect(await exitOf(child, 10000)).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('a bad setting stops it with every problem listed and status 1', async () => {
    const { child, output } = runCli(['worker'], {
      REDIS_URL: 'http://nope',
      PORT: 'eighty',
      DEFAULT_TZ: 'Mars/Olympus',
    });
    expect(await exitOf(child, 60000)).toBe(1);
    const { stderr } = output();
    expect(stderr).toMatch(/REDIS_URL/);
    expect(stderr).toMatch(/PORT/);
    expect(stderr).toMatch(/DEFAULT_TZ/);
  });

  it('starts the embedded redis-server when REDIS_URL is unset, and stops it on SIGTERM', async () => {
    const { child, output } = runCli(['start'], {
      REDIS_URL: '',
      PORT: '0',
      DATA_DIR: join(dir, 'data'),
      SHUTDOWN_DEADLINE_MS: '3000',
    });
    try {
      const [, url] = await waitForLine(() => output().stdout, /Playground: (http:\/\/127\.0\.0\.1:\d+)/);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exitOf(child, 10000)).toBe(0);
      const socket = new Redis({
        path: join(dir, 'data', 'redis.sock'),
        lazyConnect: true,
        retryStrategy: () => null,
      });
      await expect(socket.connect()).rejects.toBeDefined();
      socket.disconnect();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
