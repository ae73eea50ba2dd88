import type { EventEmitter } from 'node:events';
import type Redis from 'ioredis';
import type { Logger } from '../logging/logger';

/**
 * Errors of a Redis client, or of a BullMQ queue or worker (they re-emit their connection's), as log
 * lines: one JSON line per kind of error, then at most one every `everyMs` while it repeats (with how
 * many were folded in). Without a listener ioredis prints "[ioredis] Unhandled error event" and BullMQ a
 * multi-line stack to stderr on every reconnect attempt, which is how an outage drowned the JSON logs.
 */
export function logRedisErrors(emitter: EventEmitter, logger: Logger, what: string, everyMs = 10_000): void {
  let lastKind = '';
  let lastAt = 0;
  let folded = 0;
  emitter.on('error', (error: unknown) => {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    const kind = typeof code === 'string' ? code : message;
    const now = Date.now();
    if (kind === lastKind && now - lastAt < everyMs) {
      folded += 1;
      return;
    }
    logger.warn('redis: connection error', {
      connection: what,
      ...(typeof code === 'string' ? { code } : {}),
      error: message,
      ...(folded > 0 ? { repeated: folded } : {}),
    });
    lastKind = kind;
    lastAt = now;
    folded = 0;
  });
}

/** What Redis did while this process ran, for /healthz: reconnects after outages need no restart. */
export interface RedisHealth {
  state: 'up' | 'down';
  /** Outages seen (the connection was lost, then came back or is still lost). */
  outages: number;
  /** The current or last outage. */
  lastOutage?: { from: string; to?: string };
}

/** Follows a connection's state: down on close, up again on ready, logged once each way. */
export function watchRedisHealth(redis: Redis, logger: Logger): () => RedisHealth {
  const health: RedisHealth = { state: redis.status === 'ready' ? 'up' : 'down', outages: 0 };
  redis.on('close', () => {
    if (health.state === 'down') return;
    health.state = 'down';
    health.outages += 1;
    health.lastOutage = { from: new Date().toISOString() };
    logger.warn('redis: connection lost; reconnecting', { outages: health.outages });
  });
  redis.on('ready', () => {
    if (health.state === 'up') return;
    health.state = 'up';
    if (health.lastOutage) {
      health.lastOutage.to = new Date().toISOString();
      logger.info('redis: connection back', { downSince: health.lastOutage.from });
    }
  });
  return () => ({ ...health, ...(health.lastOutage ? { lastOutage: { ...health.lastOutage } } : {}) });
}

/** Redis refused our credentials: retrying cannot help, so start-up stops with this. */
export class RedisAuthError extends Error {}

const AUTH_FAILURE = /WRONGPASS|NOAUTH|invalid password|invalid username-password|AUTH failed/i;

/**
 * Waits until the connection is ready. A refused password ends start-up with a clear message instead of
 * a process that stays up reconnecting forever; anything else (Redis not up yet) is left to reconnect.
 */
export function checkRedisCredentials(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('error', onError);
      if (error) reject(error);
      else resolve();
    };
    const onReady = () => done();
    const onError = (error: Error) => {
      if (AUTH_FAILURE.test(error.message))
        done(
          new RedisAuthError(
            `Redis refused the password (${error.message.split('\n')[0]}): check the password in REDIS_URL or REDIS_PASSWORD`,
          ),
        );
    };
    const timer = setTimeout(() => done(), timeoutMs);
    redis.on('ready', onReady);
    redis.on('error', onError);
  });
}
