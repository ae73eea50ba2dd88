import type { Config } from '../config/config';
import type { Logger } from '../logging/logger';
import { startEmbeddedRedis } from '../runtime/embedded-redis';
import type { RedisTarget } from '../runtime/redis-connections';
import { redisTargetFromConfig } from '../runtime/redis-target';

/**
 * REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES when one is set; otherwise the embedded
 * redis-server under DATA_DIR (see embedded-redis.ts).
 */
export async function resolveRedis(
  config: Config,
  logger: Logger,
): Promise<{ target: RedisTarget; stop: () => Promise<void> }> {
  const configured = redisTargetFromConfig(config);
  if (configured) return { target: configured, stop: async () => undefined };
  const embedded = await startEmbeddedRedis({ dataDir: config.DATA_DIR, logger });
  return { target: embedded.target, stop: () => embedded.stop() };
}
