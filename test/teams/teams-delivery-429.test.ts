import type { Worker } from 'bullmq';
import { waitFor } from '../jobs/support/recording-chat-port';
import { DeliveryQueue } from '../../src/jobs/delivery/delivery-queue';
import { startDeliveryWorker } from '../../src/jobs/delivery/delivery-worker';
import { defaultTranslator } from '../../src/i18n/translator';
import { silentLogger } from '../../src/logging/logger';
import { createQueueConnection } from '../../src/runtime/redis-connections';
import { FakeBotConnector } from '../support/fake-bot-connector';
import { testRedisUrl } from '../support/redis';
import { CHANNEL, installInTeam, type TeamsUser } from './support/teams-activities';
import { startTeamsTestApp, type TeamsTestApp } from './support/teams-test-app';
import { TeamsEngine } from './support/teams-engine';
import { encodeConversationId } from '../../src/platforms/teams/conversation-id';

const sam: TeamsUser = {
  id: '29:1sam-aad',
  name: 'Sam Okafor',
  aadObjectId: '00000000-0000-4000-8000-000000000005',
};

let connector: FakeBotConnector;
let app: TeamsTestApp;
let queue: DeliveryQueue;
let worker: Worker;
let connection: ReturnType<typeof createQueueConnection>;

beforeAll(async () => {
  connector = await new FakeBotConnector().start();
  app = await startTeamsTestApp({ engine: new TeamsEngine() });
  connection = createQueueConnection({ url: testRedisUrl() }, 'teams-429-test');
  queue = new DeliveryQueue({ connection, commands: app.redis, prefix: app.keyPrefix, backoffMs: 100 });
  worker = startDeliveryWorker({
    connection,
    commands: app.redis,
    prefix: app.keyPrefix,
    chatPort: (platform) => (platform === 'teams' ? app.platform.chat : undefined),
    notices: queue,
    t: defaultTranslator('en'),
    logger: silentLogger,
    rateIntervalMs: { teams: 0 },
  });
});

afterAll(async () => {
  await worker.close();
  await queue.close();
  await app.stop();
  await connection.quit();
  await connector.stop();
});

test('a 429 from the connector delays the message but neither loses nor duplicates it', async () => {
  await app.send(installInTeam(connector.url, sam));
  connector.fail('post', 429, { 'Retry-After': '1' });
  const text = 'ML readiness digest · week 48: no changes; 2 gates waiting.';
  await queue.send([
    {
      op: 'post',
      key: 'digest:ml-reviews:2026-W48',
      conversationId: encodeConversationId(CHANNEL),
      message: { kind: 'digest', text, blocks: [{ type: 'text', text }] },
    },
  ]);
  // The same request again (an at-least-once job retried upstream) adds nothing.
  await queue.send([
    {
      op: 'post',
      key: 'digest:ml-reviews:2026-W48',
      conversationId: encodeConversationId(CHANNEL),
      message: { kind: 'digest', text, blocks: [{ type: 'text', text }] },
    },
  ]);
  const posted = () => connector.of('post').filter((call) => JSON.stringify(call.body).includes('week 48'));
  await connector.waitFor(() => posted().length > 0, 15000);
  expect(connector.failures).toHaveLength(1);
  // The refused attempt, then the one after Retry-After; count once the queue is drained.
  await waitFor(
    async () => {
      const counts = await queue.queue.getJobCounts('waiting', 'active', 'delayed');
      return counts.waiting + counts.active + counts.delayed === 0;
    },
    15000,
    'the delivery queue drained',
  );
  expect(posted()).toHaveLength(1);
});
