import Redis from 'ioredis';
import { buildApp, type App } from '../../src/app/build-app';
import { loadConfig } from '../../src/config/config';
import type { DeliveryRequest } from '../../src/core/engine-api';
import { MessageLedger, type LedgerEntry } from '../../src/jobs/delivery/message-ledger';
import { silentLogger } from '../../src/logging/logger';
import { waitFor } from '../jobs/support/recording-chat-port';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fake-slack-api';
import { testRedisUrl, uniquePrefix } from '../support/redis';
import { SIGNING_SECRET } from './support/slack-test-app';

/**
 * Ambiguous Slack answers: Slack stored a post but answered 500, or answered after the client gave up.
 * The delivery queue must look the post up (message metadata in conversations.history / replies) instead
 * of posting it again, and a reply threaded under such a post must still arrive, once, in its thread.
 * DELIVERY_CLAIM_TIMEOUT_MS=4000: the Slack client gives up after 1 s, the worker after 2 s.
 */
let fake: FakeSlackApi;
let app: App;
let ledger: MessageLedger;

beforeEach(async () => {
  fake = await startFakeSlackApi();
  app = await buildApp({
    config: loadConfig({
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: uniquePrefix('slackamb'),
      PORT: '0',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_API_URL: fake.apiUrl,
      LOG_LEVEL: 'error',
      DELIVERY_CLAIM_TIMEOUT_MS: '4000',
    }),
    roles: { web: false, worker: true },
    logger: silentLogger,
    workers: { rateIntervalMs: { slack: 20 } },
  });
  ledger = new MessageLedger(app.redis, `${app.keyPrefix}:deliv:ledger:`);
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

const text = (value: string) => ({
  kind: 'notice' as const,
  text: value,
  blocks: [{ type: 'text' as const, text: value }],
});
const vote: DeliveryRequest = {
  op: 'post',
  key: 'review:r1:vote',
  conversationId: 'slack:T0001:C0REVIEWS',
  message: text('the vote'),
  notify: { platform: 'slack', userId: 'USAM', conversationId: 'slack:T0001:C0REVIEWS', leads: ['ULEE'] },
};
const summary: DeliveryRequest = {
  op: 'post',
  key: 'review:r1:vote-summary',
  conversationId: 'slack:T0001:C0REVIEWS',
  threadOf: 'review:r1:vote',
  message: text('the card summary'),
};

const settled = (keys: string[]) =>
  waitFor(
    async () => {
      const entries = await ledger.getMany(keys);
      return entries.every((entry) => entry && entry.state !== 'claimed') && (entries as LedgerEntry[]);
    },
    25000,
    `${keys.join(', ')} settled`,
  );
const storedTexts = () => fake.messages().map((message) => message.text);

test('stored but answered 500: found by its metadata, not posted again; its thread reply lands under it', async () => {
  fake.fail('chat.postMessage', { status: 500, stored: true }, 1);
  await app.delivery.send([vote, summary]);
  const [voteEntry, summaryEntry] = await settled([vote.key, summary.key]);
  expect(storedTexts()).toEqual(['the vote', 'the card summary']);
  const [parent, reply] = fake.messages();
  expect(parent.metadata).toEqual({
    event_type: 'mltrl_delivery',
    event_payload: { delivery_key: 'review:r1:vote' },
  });
  expect(voteEntry).toMatchObject({ state: 'posted', message: { messageId: parent.ts } });
  expect(reply.thread_ts).toBe(parent.ts);
  expect(summaryEntry).toMatchObject({ state: 'posted', message: { messageId: reply.ts } });
  expect(fake.calls('conversations.history').length).toBeGreaterThan(0);
});

test('answered after the client gave up: found, not posted again', async () => {
  fake.fail('chat.postMessage', { delayMs: 1500 }, 1);
  await app.delivery.send([vote]);
  const [entry] = await settled([vote.key]);
  expect(storedTexts()).toEqual(['the vote']);
  expect(entry).toMatchObject({ state: 'posted', message: { messageId: fake.messages()[0].ts } });
});

test('a thread reply answered ambiguously is looked up in conversations.replies', async () => {
  await app.delivery.send([vote]);
  await settled([vote.key]);
  fake.fail('chat.postMessage', { status: 500, stored: true }, 1);
  await app.delivery.send([summary]);
  await settled([summary.key]);
  expect(storedTexts()).toEqual(['the vote', 'the card summary']);
  expect(fake.calls('conversations.replies').at(-1)?.args).toMatchObject({
    channel: 'C0REVIEWS',
    ts: fake.messages()[0].ts,
  });
});

test('a 500 that stored nothing: looked up, not found, posted once', async () => {
  fake.fail('chat.postMessage', { status: 500 }, 1);
  await app.delivery.send([vote]);
  const [entry] = await settled([vote.key]);
  expect(entry).toMatchObject({ state: 'posted' });
  expect(storedTexts()).toEqual(['the vote']);
  expect(fake.calls('chat.postMessage')).toHaveLength(2);
});

test('a DM answered 500 after it was stored: found in the DM history', async () => {
  fake.fail('chat.postMessage', { status: 500, stored: true }, 1);
  const dm: DeliveryRequest = {
    op: 'dm',
    key: 'nudge:r1:sam:1',
    platform: 'slack',
    userId: 'USAM',
    message: text('a reminder'),
  };
  await app.delivery.send([dm]);
  const [entry] = await settled([dm.key]);
  expect(storedTexts()).toEqual(['a reminder']);
  expect(entry).toMatchObject({ state: 'posted', message: { messageId: fake.messages()[0].ts } });
});

test('when Slack cannot be asked: the parent is uncertain, nothing is posted twice, requester and lead are told', async () => {
  fake.fail('chat.postMessage', { status: 500, stored: true }, 1);
  fake.fail('conversations.history', { error: 'missing_scope' }, 1);
  await app.delivery.send([vote, summary]);
  const [voteEntry, summaryEntry] = await settled([vote.key, summary.key]);
  expect(voteEntry).toEqual({ state: 'uncertain' });
  expect(summaryEntry).toEqual({ state: 'failed', reason: 'parent_not_posted' });
  expect(fake.messages().filter((message) => message.channel === 'C0REVIEWS')).toHaveLength(1);
  await fake.waitFor(
    (calls) =>
      calls.some((call) => call.method === 'chat.postEphemeral') &&
      calls.filter((call) => call.method === 'chat.postMessage' && call.args.channel === 'DLEE').length > 0,
  );
  const notice = fake.calls('chat.postEphemeral')[0];
  expect(notice.args).toMatchObject({ channel: 'C0REVIEWS', user: 'USAM' });
  expect(String(notice.args.text)).toMatch(/could not find it/);
});
