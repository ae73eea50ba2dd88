import Redis from 'ioredis';
import { buildApp, type App } from '../../src/app/build-app';
import { loadConfig } from '../../src/config/config';
import type { DeliveryRequest } from '../../src/core/engine-api';
import { silentLogger } from '../../src/logging/logger';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fake-slack-api';
import { testRedisUrl, uniquePrefix } from '../support/redis';
import { SIGNING_SECRET } from './support/slack-test-app';

/** The whole app (real delivery queue and workers on real Redis) delivering to the fake Slack Web API. */
let fake: FakeSlackApi;
let app: App;

beforeEach(async () => {
  fake = await startFakeSlackApi();
  app = await buildApp({
    config: loadConfig({
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: uniquePrefix('slackdel'),
      PORT: '0',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_API_URL: fake.apiUrl,
      LOG_LEVEL: 'error',
    }),
    roles: { web: true, worker: true },
    logger: silentLogger,
    workers: { rateIntervalMs: { slack: 20 } },
  });
});

afterEach(async () => {
  const prefix = app.keyPrefix;
  await app.stop();
  await fake.close();
  const redis = new Redis(testRedisUrl());
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

function post(index: number): DeliveryRequest {
  const text = `message ${index}`;
  return {
    op: 'post',
    key: `test:burst:${index}`,
    conversationId: `slack:T0001:C${index % 3}`,
    message: { kind: 'notice', text, blocks: [{ type: 'text', text }] },
  };
}

test('a burst of 429s delays delivery but loses and duplicates nothing', async () => {
  fake.fail('chat.postMessage', { status: 429, retryAfter: 1 }, 6);
  const started = Date.now();
  await app.delivery.send(Array.from({ length: 12 }, (_, index) => post(index)));
  // Sending the same requests again (an at-least-once engine job running twice) adds nothing.
  await app.delivery.send(Array.from({ length: 12 }, (_, index) => post(index)));
  const okPosts = () => fake.calls('chat.postMessage').length - 6;
  await fake.waitFor(() => okPosts() >= 12, 20000);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const texts = fake
    .calls('chat.postMessage')
    .slice()
    .map((call) => String(call.args.text));
  const delivered = new Map<string, number>();
  for (const text of texts) delivered.set(text, (delivered.get(text) ?? 0) + 1);
  expect(delivered.size).toBe(12);
  // Each message reached Slack once plus the attempts that were refused with 429: 18 calls in all.
  expect(texts).toHaveLength(18);
  const limited = fake
    .calls('chat.postMessage')
    .slice(0, 6)
    .map((call) => String(call.args.text));
  for (const text of limited) expect(delivered.get(text)).toBe(2);
  // The refused ones waited for Retry-After (1 s) before their second try.
  const lastCall = fake.calls('chat.postMessage').at(-1)!;
  expect(lastCall.at - started).toBeGreaterThanOrEqual(1000);
});

test('channel_not_found fails for good and tells the requester privately', async () => {
  fake.fail('chat.postMessage', { error: 'channel_not_found' }, 1);
  await app.delivery.send([
    {
      ...post(1),
      conversationId: 'slack:T0001:C0GONE',
      notify: { platform: 'slack', userId: 'USAM', conversationId: 'slack:T0001:C0REVIEWS' },
    } as DeliveryRequest,
  ]);
  const calls = await fake.waitFor((all) => all.some((call) => call.method === 'chat.postEphemeral'));
  expect(calls.filter((call) => call.method === 'chat.postMessage')).toHaveLength(1);
  const notice = calls.find((call) => call.method === 'chat.postEphemeral')!;
  expect(notice.args).toMatchObject({ channel: 'C0REVIEWS', user: 'USAM' });
  expect(String(notice.args.text)).toMatch(/./);
});
