import type { Config } from '../config/config';
import type { RedisTarget } from './redis-connections';

type RedisConfig = Pick<
  Config,
  | 'REDIS_URL'
  | 'REDIS_SENTINELS'
  | 'REDIS_SENTINEL_NAME'
  | 'REDIS_SENTINEL_PASSWORD'
  | 'REDIS_CLUSTER_NODES'
  | 'REDIS_PASSWORD'
>;

/**
 * The Redis the configuration names: REDIS_URL, REDIS_SENTINELS (+ REDIS_SENTINEL_NAME) or
 * REDIS_CLUSTER_NODES. `undefined` when none is set: the caller starts the embedded redis-server.
 * loadConfig has already rejected combinations, so the first match is the only one.
 */
export function redisTargetFromConfig(config: RedisConfig): RedisTarget | undefined {
  if (config.REDIS_URL) return { url: config.REDIS_URL };
  if (config.REDIS_SENTINELS && config.REDIS_SENTINEL_NAME) {
    return {
      sentinels: config.REDIS_SENTINELS,
      name: config.REDIS_SENTINEL_NAME,
      password: config.REDIS_PASSWORD,
      sentinelPassword: config.REDIS_SENTINEL_PASSWORD,
    };
  }
  if (config.REDIS_CLUSTER_NODES)
    return { clusterNodes: config.REDIS_CLUSTER_NODES, password: config.REDIS_PASSWORD };
  return undefined;
}
