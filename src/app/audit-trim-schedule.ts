import type Redis from 'ioredis';
import type { Config } from '../config/config';
import type { Clock } from '../core/ports';
import type { Logger } from '../logging/logger';
import { RedisAuditLog } from '../storage/redis/redis-audit-log';

const EVERY_MS = 3600_000;

/**
 * AUDIT_MAX_AGE_DAYS / AUDIT_MAX_ENTRIES in worker processes: trims every project's audit chain at start
 * and then hourly (each trim is one atomic script, so several workers may run it). Returns the stop
 * function; nothing runs when neither limit is set.
 */
export function scheduleAuditTrim(options: {
  config: Config;
  redis: Redis;
  keyPrefix: string;
  clock: Clock;
  logger: Logger;
}): () => Promise<void> {
  const { config, logger } = options;
  const policy = { maxAgeDays: config.AUDIT_MAX_AGE_DAYS, maxEntries: config.AUDIT_MAX_ENTRIES };
  if (!policy.maxAgeDays && !policy.maxEntries) return async () => undefined;
  const log = new RedisAuditLog(options.redis, options.keyPrefix);
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = log
      .trim(policy, options.clock.now())
      .then((removed) => {
        if (removed.size > 0)
          logger.info('audit trimmed by the length policy', { projects: Object.fromEntries(removed) });
      })
      .catch((error: unknown) =>
        logger.warn('audit trim failed; the next hour tries again', {
          error: error instanceof Error ? error.message : String(error),
        }),
      );
  };
  run();
  const timer = setInterval(run, EVERY_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
