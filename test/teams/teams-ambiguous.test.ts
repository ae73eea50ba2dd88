import type { Worker } from 'bullmq';
import type { DeliveryRequest } from '../../src/core/engine-api';
import { DeliveryQueue } from '../../src/jobs/delivery/delivery-queue';
import { startDeliveryWorker } from '../../src/jobs/delivery/delivery-worker';
import { MessageLedger, type LedgerEntry } from '../../src/jobs/delivery/message-ledger';
import { defaultTranslator } from '../../src/i18n/translator';
import { silentLogger } from '../../src/logging/logger';
import { encodeConversationId } from '../../src/platforms/teams/conversation-id';
import { createQueueConnection } from '../../src/runtime/redis-connections';
import { waitFor } from '../jobs/support/recording-chat-port';
import { FakeBotConnector } from '../support/fake-bot-connector';
import { testRedisUrl } from '../support/redis';
import { CHANNEL, installInTeam, type TeamsUser } from './support/teams-activities';
import { startTeamsTestApp, type TeamsTestApp } from './support/teams-test-app';
import { TeamsEngine } from './support/teams-engine';

/**
 * Ambiguous Bot Connector answers: it kept the activity but answered 500, or answered after the worker's
 * deadline. The connector cannot list a conversation's messages, so the Teams port only knows what it
 * recorded itself: a late answer it still recorded is found; a post kept behind a 500 is not posted twice,
 * the key ends "uncertain", and the requester is told. A post that
 * never left (refused with 429 or 403 first) is still posted normally.
 */
const sam: TeamsUser = {
  id: '29:1sam-aad',
  name: 'Sam Okafor',
  aadObjectId: '00000000-0000-4000-8000-000000000005',
};

let connector: FakeBotConnector;
let app: TeamsTestApp;
let queue: DeliveryQueue;
let worker: Worker;
let ledger: MessageLedger;
let connection: ReturnType<typeof createQueueConnection>;

beforeAll(async () => {
  connector = await new FakeBotConnector().start();
  app = await startTeamsTestApp({ engine: new TeamsEngine() });
  connection = createQueueConnection({ url: testRedisUrl() }, 'teams-ambiguous-test');
  queue = new DeliveryQueue({ connection, commands: app.redis, prefix: app.keyPrefix, backoffMs: 100 });
  ledger = new MessageLedger(app.redis, `${app.keyPrefix}:deliv:ledger:`);
  worker = startDeliveryWorker({
    connection,
    commands: app.redis,
    prefix: app.keyPrefix,
    chatPort: (platform) => (platform === 'teams' ? app.platform.chat : undefined),
    notices: queue,
    t: defaultTranslator('en'),
    logger: silentLogger,
    rateIntervalMs: { teams: 0 },
    claimTimeoutMs: 3000,
  });
  await app.send(installInTeam(connector.url, sam));
});

afterAll(async () => {
  await worker.close();
  await queue.close();
  await app.stop();
  await connection.quit();
  await connector.stop();
});

const post = (key: string, text: string): DeliveryRequest => ({
  op: 'post',
  key,
  conversationId: encodeConversationId(CHANNEL),
  message: { kind: 'notice', text, blocks: [{ type: 'text', text }] },
  notify: { platform: 'teams', userId: sam.id },
});
const posted = (text: string) =>
  connector.of('post').filter((call) => JSON.stringify(call.body).includes(text));
const settled = (key: string) =>
  waitFor(
    async () => {
      const entry = await ledger.get(key);
      return entry && entry.state !== 'claimed' ? entry : undefined;
    },
    20000,
    `${key} settled`,
  ) as Promise<LedgerEntry>;

test('kept but answered 500: posted once, marked uncertain, the requester told', async () => {
  connector.fail('post', 500, {}, 1, { stored: true });
  const key = 'review:r1:outcome';
  await queue.send([post(key, 'outcome one')]);
  expect(await settled(key)).toEqual({ state: 'uncertain' });
  expect(posted('outcome one')).toHaveLength(1);
  // Teams has no ephemeral messages: the notice is a 1:1 message to the requester.
  await connector.waitFor(
    () => connector.calls.some((call) => JSON.stringify(call.body).includes('could not find it')),
    10000,
  );
});

test('answered after the worker gave up: the late answer is recorded and found, not posted again', async () => {
  connector.answerLate('post', 2500);
  const key = 'review:r2:outcome';
  await queue.send([post(key, 'outcome two')]);
  const entry = await settled(key);
  expect(posted('outcome two')).toHaveLength(1);
  expect(entry).toMatchObject({
    state: 'posted',
    message: { messageId: posted('outcome two')[0].responseId },
  });
});

test('refused with 403 before it was kept: not ambiguous, fails for good and says why', async () => {
  connector.fail('post', 403);
  const key = 'review:r9:gone';
  await queue.send([post(key, 'never kept')]);
  expect(await settled(key)).toMatchObject({ state: 'failed' });
  expect(posted('never kept')).toHaveLength(0);
});
