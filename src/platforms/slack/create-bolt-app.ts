import {
  App,
  ExpressReceiver,
  SocketModeReceiver,
  type Authorize,
  type Logger as SlackLogger,
} from '@slack/bolt';
import { timeSocketModeAcks } from './socket-ack-timing';
import type { WebClientOptions } from '@slack/web-api';
import { Router, type RequestHandler } from 'express';
import type { Config } from '../../config/config';
import { markRefusal } from '../../observability/request-middleware';
import type { RedisInstallationStore } from './redis-installation-store';
import type { ReplayGuard } from '../../runtime/replay-guard';
import { checkSlackBodies, storeUnavailableOf } from './check-slack-body';

export const SLACK_EVENTS_PATH = '/slack/events';

/** Events API types with a listener (register-listeners.ts); other signed events are acknowledged at once. */
export const HANDLED_EVENT_TYPES = ['app_home_opened', 'app_mention', 'app_uninstalled', 'tokens_revoked'];

/** Bot scopes the app asks for at OAuth install (the manifest lists the same). */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'channels:history',
  'groups:history',
  'im:history',
  'im:write',
  'users:read',
  'users:read.email',
  'usergroups:read',
  'files:write',
  'app_mentions:read',
];

const FIVE_MINUTES_SECONDS = 5 * 60;
/** Slack's largest payloads (a view submission, a 50-block message in block_actions) stay far below this. */
export const SLACK_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Bolt refuses timestamps older than five minutes; this refuses those more than five minutes in the
 * future as well, so the window is symmetric (a replay cannot be pre-dated either).
 */
export const refuseFutureTimestamps: RequestHandler = (req, res, next) => {
  const timestamp = Number(req.headers['x-slack-request-timestamp']);
  if (Number.isFinite(timestamp) && timestamp - Date.now() / 1000 > FIVE_MINUTES_SECONDS) {
    markRefusal(res, 'timestamp');
    res.status(401).send();
    return;
  }
  next();
};

export interface BoltAppParts {
  app: App;
  /** HTTP mode: the routes to mount on the shared express app (events, and OAuth install when on). */
  router?: Router;
  socketMode: boolean;
}

export interface BoltAppOptions {
  config: Config;
  logger: SlackLogger;
  clientOptions: WebClientOptions;
  installations?: RedisInstallationStore;
  /** Replay guard for signed requests (Redis, shared by all web processes). */
  seen?: ReplayGuard;
  /** Socket Mode: seconds from each envelope's arrival to its ack (the ack histogram). */
  onSocketAck?: (seconds: number) => void;
}

/**
 * A single bot token authorizes every request as is (no auth.test round trip per request or at start-up;
 * Bolt would otherwise call it before the first ack).
 */
function singleTokenAuthorize(botToken: string): Authorize<boolean> {
  return async ({ teamId, enterpriseId }) => ({ botToken, teamId, enterpriseId });
}

/**
 * The Bolt app in one of three shapes: Socket Mode (SLACK_APP_TOKEN), HTTP with OAuth installs
 * (SLACK_CLIENT_ID...), HTTP with one workspace's bot token. HTTP requests are signature-checked by
 * Bolt's ExpressReceiver on a router the web server mounts at POST /slack/events.
 */
export function createBoltApp(options: BoltAppOptions): BoltAppParts {
  const { config, logger, clientOptions } = options;
  const common = { logger, clientOptions, convoStore: false as const, ignoreSelf: false };
  if (config.SLACK_APP_TOKEN) {
    if (!config.SLACK_BOT_TOKEN)
      throw new Error('Socket Mode (SLACK_APP_TOKEN) needs SLACK_BOT_TOKEN as well');
    const receiver = new SocketModeReceiver({
      appToken: config.SLACK_APP_TOKEN,
      logger,
      // The WebSocket client opens (and reopens) its connection through apps.connections.open: that call
      // must keep retrying through a network blip, unlike our delivery calls.
      installerOptions: {
        clientOptions: {
          ...clientOptions,
          retryConfig: { retries: 100, factor: 1.3 },
          rejectRateLimitedCalls: false,
        },
      },
    });
    if (options.onSocketAck) timeSocketModeAcks(receiver.client, options.onSocketAck);
    const app = new App({ ...common, receiver, authorize: singleTokenAuthorize(config.SLACK_BOT_TOKEN) });
    return { app, socketMode: true };
  }
  const router = Router();
  router.post(
    SLACK_EVENTS_PATH,
    refuseFutureTimestamps,
    checkSlackBodies({
      signingSecret: config.SLACK_SIGNING_SECRET ?? '',
      bodyLimitBytes: SLACK_BODY_LIMIT_BYTES,
      eventTypes: HANDLED_EVENT_TYPES,
      seen: options.seen,
    }),
  );
  const oauth = Boolean(config.SLACK_CLIENT_ID && options.installations);
  const receiver = new ExpressReceiver({
    signingSecret: config.SLACK_SIGNING_SECRET ?? '',
    endpoints: SLACK_EVENTS_PATH,
    router,
    logger,
    processBeforeResponse: false,
    bodyLimit: SLACK_BODY_LIMIT_BYTES,
    customPropertiesExtractor: storeUnavailableOf,
    ...(oauth
      ? {
          clientId: config.SLACK_CLIENT_ID,
          clientSecret: config.SLACK_CLIENT_SECRET,
          stateSecret: config.SLACK_STATE_SECRET,
          installationStore: options.installations,
          scopes: BOT_SCOPES,
          redirectUri: config.PUBLIC_URL
            ? `${config.PUBLIC_URL.replace(/\/$/, '')}/slack/oauth_redirect`
            : undefined,
          installerOptions: {
            directInstall: true,
            installPath: '/slack/install',
            redirectUriPath: '/slack/oauth_redirect',
            clientOptions,
          },
        }
      : {}),
  });
  const app = oauth
    ? new App({ ...common, receiver })
    : new App({ ...common, receiver, authorize: singleTokenAuthorize(config.SLACK_BOT_TOKEN ?? '') });
  return { app, router, socketMode: false };
}
