import type Redis from 'ioredis';

/**
 * "Have I seen this before?" shared by every web process: a Redis `SET NX` with an expiry. The first
 * caller for a key gets true; every later one (a replayed request, a platform's redelivery) gets false
 * until the key expires.
 */
export interface ReplayGuard {
  firstTime(key: string, ttlSeconds: number): Promise<boolean>;
}

export function redisReplayGuard(redis: Redis, keyPrefix: string): ReplayGuard {
  return {
    async firstTime(key, ttlSeconds) {
      return (await redis.set(`${keyPrefix}:seen:${key}`, '1', 'EX', ttlSeconds, 'NX')) === 'OK';
    },
  };
}
