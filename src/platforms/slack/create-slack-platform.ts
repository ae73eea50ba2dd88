import type { Express } from 'express';
import { platformCallTimeoutMs } from '../../config/config';
import type { PlatformAdapter, PlatformDeps } from '../platform';
import { redisReplayGuard } from '../../runtime/replay-guard';
import { createBoltApp } from './create-bolt-app';
import { AfterAckQueue } from './listeners/after-ack';
import { registerListeners } from './register-listeners';
import { RedisInstallationStore } from './redis-installation-store';
import { SlackChatPort } from './slack-chat-port';
import { deliveryClientOptions, SlackClients } from './slack-clients';
import { toSlackLogger } from './slack-logger';
import { SlackPeople } from './slack-people';

const SHUTDOWN_DRAIN_MS = 5000;

/**
 * The Slack platform: a Bolt app for inbound requests (HTTP at POST /slack/events, or Socket Mode),
 * a ChatPort for the delivery workers and PlatformPeople for resolving card people.
 */
export function createSlackPlatform(deps: PlatformDeps): PlatformAdapter {
  const { config, redis, keyPrefix, logger } = deps;
  const slackLogger = toSlackLogger(logger);
  const clientOptions = deliveryClientOptions(
    config.SLACK_API_URL,
    slackLogger,
    platformCallTimeoutMs(config.DELIVERY_CLAIM_TIMEOUT_MS),
  );
  const oauth = Boolean(config.SLACK_CLIENT_ID) && !config.SLACK_APP_TOKEN;
  if (config.SLACK_CLIENT_ID && config.SLACK_APP_TOKEN) {
    logger.warn(
      'slack: OAuth install is not available in Socket Mode; using SLACK_BOT_TOKEN for one workspace',
    );
  }
  const installations = oauth ? new RedisInstallationStore(redis, keyPrefix) : undefined;
  const clients = new SlackClients({
    redis,
    keyPrefix,
    clientOptions,
    botToken: oauth ? undefined : config.SLACK_BOT_TOKEN,
    installations,
  });
  const chat = new SlackChatPort({ clients, t: deps.t, locale: config.DEFAULT_LOCALE, logger });
  const people = new SlackPeople(clients, redis, keyPrefix, logger);
  const bolt = createBoltApp({
    config,
    logger: slackLogger,
    clientOptions,
    installations,
    seen: redisReplayGuard(redis, keyPrefix),
    onSocketAck: deps.metrics && ((seconds) => deps.metrics!.slackAck.observe({ status: 'socket' }, seconds)),
  });
  const afterAck = new AfterAckQueue();
  registerListeners(bolt.app, {
    engine: deps.engine,
    t: deps.t,
    defaultLocale: config.DEFAULT_LOCALE,
    logger,
    people,
    clients,
    chat,
    installations,
    afterAck,
  });
  return {
    name: 'slack',
    chat,
    people,
    mount(app: Express) {
      if (bolt.router) app.use(bolt.router);
    },
    async start() {
      if (bolt.socketMode) await bolt.app.start();
    },
    async stop() {
      if (bolt.socketMode) await bolt.app.stop();
      // Acknowledged requests still owe their private answers: give them a moment before Redis closes.
      await afterAck.drain(SHUTDOWN_DRAIN_MS);
    },
  };
}
