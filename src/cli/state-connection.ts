import type Redis from 'ioredis';
import { resolveRedis } from '../app/app-redis';
import { ConfigError, loadConfig } from '../config/config';
import { queuePrefix } from '../jobs/job-ids';
import { createLogger } from '../logging/logger';
import { closeConnection, createCommandConnection } from '../runtime/redis-connections';

/**
 * The Redis the bot would use (REDIS_URL, Sentinel, Cluster or the embedded one under DATA_DIR) and its
 * key prefix, for `export` and `import`. Returns an error message instead when the configuration is bad.
 */
export async function withStateRedis(
  work: (redis: Redis, prefix: string) => Promise<number>,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  const logger = createLogger('warn', undefined, { format: config.LOG_FORMAT });
  const handle = await resolveRedis(config, logger);
  const redis = createCommandConnection(handle.target, 'mltrl-state');
  try {
    return await work(redis, queuePrefix(config.REDIS_PREFIX));
  } finally {
    await closeConnection(redis);
    await handle.stop();
  }
}
