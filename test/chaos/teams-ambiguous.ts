import type { DeliveryRequest, Engine } from '../../src/core/engine-api';
import { DeliveryQueue } from '../../src/jobs/delivery/delivery-queue';
import { startDeliveryWorker } from '../../src/jobs/delivery/delivery-worker';
import { MessageLedger, type LedgerEntry } from '../../src/jobs/delivery/message-ledger';
import { defaultTranslator } from '../../src/i18n/translator';
import { silentLogger } from '../../src/logging/logger';
import { encodeConversationId } from '../../src/platforms/teams/conversation-id';
import { createQueueConnection } from '../../src/runtime/redis-connections';
import { FakeBotConnector } from '../support/fake-bot-connector';
import { startPrivateRedis } from '../support/redis-server';
import { CHANNEL, installInTeam } from '../teams/support/teams-activities';
import { startTeamsTestApp } from '../teams/support/teams-test-app';
import type { ScenarioResult } from './chaos';

/** Nothing but the install reaches an engine here; every message comes from the delivery queue. */
const noEngine: Engine = {
  handle: async () => ({ ephemeral: [] }),
  runJob: async () => undefined,
  cardsChanged: async () => undefined,
  home: async () => ({ kind: 'portfolio', text: '', blocks: [] }),
};

/**
 * The Teams variants of the ambiguous answer: the Bot Connector keeps a post and answers 500, or keeps it
 * and answers after the worker's deadline. Teams cannot list a conversation's messages, so the port only
 * knows what it marked itself before sending: a late answer is found; a post kept behind a 500 ends
 * "uncertain" (not posted again, the requester told). Counted at the fake connector by the post's text.
 */
export async function teamsAmbiguous(answers: number): Promise<ScenarioResult> {
  const started = Date.now();
  const redis = await startPrivateRedis();
  const previousRedisUrl = process.env.TEST_REDIS_URL;
  process.env.TEST_REDIS_URL = redis.url;
  const connector = await new FakeBotConnector().start();
  const app = await startTeamsTestApp({ engine: noEngine });
  const connection = createQueueConnection({ url: redis.url }, 'chaos-teams');
  const queue = new DeliveryQueue({ connection, commands: app.redis, prefix: app.keyPrefix, backoffMs: 100 });
  const ledger = new MessageLedger(app.redis, `${app.keyPrefix}:deliv:ledger:`);
  const worker = startDeliveryWorker({
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
  const sam = { id: '29:1sam-aad', name: 'Sam Okafor', aadObjectId: '00000000-0000-4000-8000-000000000005' };
  let stored500 = 0;
  let late = 0;
  let lost = 0;
  let duplicated = 0;
  let uncertain = 0;
  let told: number;
  try {
    await app.send(installInTeam(connector.url, sam));
    for (let trial = 0; trial < answers; trial++) {
      if (trial % 2 === 0) {
        connector.fail('post', 500, {}, 1, { stored: true });
        stored500 += 1;
      } else {
        connector.answerLate('post', 2500);
        late += 1;
      }
      const text = `chaos teams outcome ${trial}`;
      const request: DeliveryRequest = {
        op: 'post',
        key: `chaos:teams:${trial}`,
        conversationId: encodeConversationId(CHANNEL),
        message: { kind: 'notice', text, blocks: [{ type: 'text', text }] },
        notify: { platform: 'teams', userId: sam.id },
      };
      await queue.send([request]);
      let entry: LedgerEntry | undefined;
      const until = Date.now() + 60000;
      while (!(entry && entry.state !== 'claimed')) {
        if (Date.now() > until) throw new Error(`${request.key} did not settle`);
        await new Promise((done) => setTimeout(done, 100));
        entry = await ledger.get(request.key);
      }
      const copies = connector.of('post').filter((call) => JSON.stringify(call.body).includes(text)).length;
      if (copies === 0) lost += 1;
      if (copies > 1) duplicated += 1;
      if (entry.state === 'uncertain') uncertain += 1;
    }
    // Each uncertain post told its requester (a 1:1 message, Teams has no ephemeral ones).
    const until = Date.now() + 60000;
    const notices = () =>
      connector.calls.filter((call) => JSON.stringify(call.body).includes('could not find it')).length;
    while (notices() < uncertain && Date.now() < until) await new Promise((done) => setTimeout(done, 100));
    told = notices();
  } finally {
    await worker.close();
    await queue.close();
    await app.stop();
    await connection.quit();
    await connector.stop();
    await redis.stop();
    if (previousRedisUrl === undefined) delete process.env.TEST_REDIS_URL;
    else process.env.TEST_REDIS_URL = previousRedisUrl;
  }
  return {
    name: 'Teams: kept but answered 500, or answered after the deadline',
    trials: answers,
    expected: answers,
    lost,
    duplicated,
    misthreaded: 0,
    uncertain,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    notes: { 'kept+500': stored500, 'answered late': late, 'requesters told': told },
  };
}
