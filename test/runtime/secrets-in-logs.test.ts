import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { exitOf } from '../jobs/support/child-worker';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server';

jest.setTimeout(180000);

/**
 * The bot started with a secret in every secret variable and LOG_LEVEL=debug runs a ceremony in the
 * playground; none of the secrets appears anywhere in its output.
 */
const REPO = resolve(__dirname, '..', '..');
const REDIS_PASSWORD = 'redis-pw-7f3a9c';
const SECRETS: Record<string, string> = {
  SLACK_BOT_TOKEN: 'xoxb-secret-bot-token-51c2',
  SLACK_SIGNING_SECRET: 'slack-signing-secret-88d1',
  clientSecret: 'teams-client-secret-0b7e',
};

let redis: PrivateRedis;
let dir: string;
beforeAll(async () => {
  redis = await startPrivateRedis({ args: ['--requirepass', REDIS_PASSWORD] });
  dir = mkdtempSync(join(tmpdir(), 'mltrl-secrets-'));
});
afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('no secret reaches the log at LOG_LEVEL=debug through a whole ceremony', async () => {
  const child = spawn(process.execPath, [join(REPO, 'bin', 'mltrl-bot.js'), 'start'], {
    cwd: REPO,
    env: {
      ...process.env,
      ...SECRETS,
      REDIS_URL: redis.url.replace('redis://', `redis://:${REDIS_PASSWORD}@`),
      LOG_LEVEL: 'debug',
      PLAYGROUND: 'true',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      PORT: '0',
      DATA_DIR: join(dir, 'data'),
      SHUTDOWN_DEADLINE_MS: '3000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    const deadline = Date.now() + 80000;
    let url: string | undefined;
    while (!url && Date.now() < deadline && child.exitCode === null) {
      url = /Playground: (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      await new Promise((done) => setTimeout(done, 100));
    }
    if (!url) throw new Error(output.slice(-3000));
    const say = (as: string, text: string) =>
      fetch(`${url}/playground/api/conversations/playground:ml-reviews/commands`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ as, text: `/mltrl ${text}` }),
      });
    expect((await say('sam', 'review R07.2')).status).toBe(200);
    expect((await say('lee', 'digest now')).status).toBe(200);
    expect((await say('sam', 'status R07.2')).status).toBe(200);
    // A signed-looking Slack request with a wrong signature is refused and logged.
    await fetch(`${url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-signature': 'v0=00',
        'x-slack-request-timestamp': '1',
      },
      body: '{}',
    });
    await new Promise((done) => setTimeout(done, 1500));
    child.kill('SIGTERM');
    await exitOf(child, 15000);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  expect(output).toMatch(/debug/);
  for (const secret of [REDIS_PASSWORD, ...Object.values(SECRETS)]) expect(output).not.toContain(secret);
});
