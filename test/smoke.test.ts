import Redis from 'ioredis';
import { testRedisUrl } from './support/redis';

test('the private test Redis answers and refuses to evict keys', async () => {
  const redis = new Redis(testRedisUrl());
  try {
    expect(await redis.ping()).toBe('PONG');
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as string[];
    expect(policy).toBe('noeviction');
  } finally {
    redis.disconnect();
  }
});
