import type { Config } from '../config/config';
import type { Logger } from '../logging/logger';
import { startEmbeddedRedis } from '../runtime/embedded-redis';
import type { RedisTarget } from '../runtime/redis-connections';

/** REDIS_URL when set; otherwise the embedded redis-server under DATA_DIR (see embedded-redis.ts). */
export async function resolveRedis(
  config: Config,
  logger: Logger,
): Promise<{ target: RedisTarget; stop: () => Promise<void> }> {
  if (config.REDIS_URL) return { target: { url: config.REDIS_URL }, stop: async () => undefined };
  const embedded = await startEmbeddedRedis({ dataDir: config.DATA_DIR, logger });
  return { target: embedded.target, stop: () => embedded.stop() };
}
