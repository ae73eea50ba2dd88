/**
 * A delivery worker process for the chaos suite: the real delivery worker and the real Slack ChatPort
 * (Slack's own Web API client) against the fake Slack Web API the suite runs. Env: REDIS_URL, PREFIX,
 * (or REDIS_SENTINELS, REDIS_SENTINEL_NAME), SLACK_API_URL, CLAIM_TIMEOUT_MS, RATE_MS, SHUTDOWN_DEADLINE_MS. Prints "ready" once it listens; the suite
 * kills it at will, or stops it with SIGTERM as the bot's own processes stop (exit 0 after the deadline).
 */
import { platformCallTimeoutMs } from '../../src/config/config';
import { defaultTranslator } from '../../src/i18n/translator';
import { DeliveryQueue } from '../../src/jobs/delivery/delivery-queue';
import { startDeliveryWorker } from '../../src/jobs/delivery/delivery-worker';
import { silentLogger } from '../../src/logging/logger';
import { SlackChatPort } from '../../src/platforms/slack/slack-chat-port';
import { deliveryClientOptions, SlackClients } from '../../src/platforms/slack/slack-clients';
import {
  closeConnection,
  createCommandConnection,
  createQueueConnection,
  type RedisTarget,
} from '../../src/runtime/redis-connections';
import { closeWorker, exitOnSignals } from '../../src/runtime/shutdown';

const env = process.env;
// REDIS_SENTINELS + REDIS_SENTINEL_NAME (a Sentinel scenario) or REDIS_URL, as the bot reads them.
const target: RedisTarget = env.REDIS_SENTINELS
  ? {
      sentinels: env.REDIS_SENTINELS.split(',').map((node) => {
        const [host, port] = node.split(':');
        return { host, port: Number(port) };
      }),
      name: env.REDIS_SENTINEL_NAME!,
    }
  : { url: env.REDIS_URL! };
const prefix = env.PREFIX!;
const claimTimeoutMs = Number(env.CLAIM_TIMEOUT_MS ?? 4000);
const redis = createCommandConnection(target);
const connection = createQueueConnection(target);
redis.on('error', () => undefined);
connection.on('error', () => undefined);
const t = defaultTranslator();
const clients = new SlackClients({
  redis,
  keyPrefix: prefix,
  clientOptions: deliveryClientOptions(env.SLACK_API_URL, undefined, platformCallTimeoutMs(claimTimeoutMs)),
  botToken: 'xoxb-chaos',
});
const port = new SlackChatPort({ clients, t, locale: 'en', logger: silentLogger });
const queue = new DeliveryQueue({ connection, commands: redis, prefix, backoffMs: 100 });
const worker = startDeliveryWorker({
  connection,
  commands: redis,
  prefix,
  chatPort: (platform) => (platform === 'slack' ? port : undefined),
  notices: queue,
  t,
  logger: silentLogger,
  concurrency: 8,
  claimTimeoutMs,
  lockDurationMs: 1000,
  stalledIntervalMs: 500,
  rateIntervalMs: { slack: Number(env.RATE_MS ?? 0) },
});
worker.on('error', () => undefined);
const shutdownDeadlineMs = Number(env.SHUTDOWN_DEADLINE_MS ?? 1000);
exitOnSignals({
  logger: silentLogger,
  hardDeadlineMs: shutdownDeadlineMs + 5000,
  stop: async () => {
    await closeWorker(worker, shutdownDeadlineMs, silentLogger);
    await queue.close();
    await closeConnection(connection);
    await closeConnection(redis);
  },
});
void worker.waitUntilReady().then(() => console.log('ready'));
