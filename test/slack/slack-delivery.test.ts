import Redis from 'ioredis';
import { waitFor } from '../jobs/support/recording-chat-port';
import { buildApp, type App } from '../../src/app/build-app';
import { loadConfig } from '../../src/config/config';
import type { DeliveryRequest } from '../../src/core/engine-api';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fake-slack-api';
import { recordingLogger } from '../support/recording-logger';
import { testRedisUrl, uniquePrefix } from '../support/redis';
import { SIGNING_SECRET } from './support/slack-test-app';

/** The whole app (real delivery queue and workers on real Redis) delivering to the fake Slack Web API. */
let fake: FakeSlackApi;
let app: App;
let logger: ReturnType<typeof recordingLogger>;

beforeEach(async () => {
  fake = await startFakeSlackApi();
  logger = recordingLogger();
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
    logger,
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
  await app.delivery.send(Array.from({ length: 12 }, (_, index) => post(index)));
  // Sending the same requests again (an at-least-once engine job running twice) adds nothing.
  await app.delivery.send(Array.from({ length: 12 }, (_, index) => post(index)));
  const posts = () => fake.calls('chat.postMessage');
  await fake.waitFor(() => posts().filter((call) => !call.failed).length >= 12, 20000);
  // Wait until the queue is drained (nothing waiting, running or delayed), then count once.
  await waitFor(
    async () => {
      const counts = await app.delivery.queue.getJobCounts('waiting', 'active', 'delayed');
      return counts.waiting + counts.active + counts.delayed === 0;
    },
    15000,
    'the delivery queue drained',
  );
  const delivered = new Map<string, number>();
  for (const call of posts().filter((one) => !one.failed)) {
    const text = String(call.args.text);
    delivered.set(text, (delivered.get(text) ?? 0) + 1);
  }
  // Every message reached Slack exactly once; six attempts were refused with 429 on the way.
  expect(delivered.size).toBe(12);
  expect([...delivered.values()].every((count) => count === 1)).toBe(true);
  expect(posts().filter((call) => call.failed === 'http-429')).toHaveLength(6);
  // Each refusal put its job back for Slack's Retry-After (1 s) instead of retrying at once.
  const delays = logger.with('platform rate limit: delivery delayed');
  expect(delays).toHaveLength(6);
  expect(delays.every((line) => line.fields.retryAfterMs === 1000)).toBe(true);
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
