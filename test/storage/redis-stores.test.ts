import Redis from 'ioredis';
import { createRedisStores } from '../../src/storage/redis';
import { testRedisUrl, uniquePrefix } from '../support/redis';
import { describeStoreContract } from './store-contract';

const redis = new Redis(testRedisUrl());
const prefixes: string[] = [];

afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  }
  await redis.quit();
});

describeStoreContract('redis', async () => {
  const prefix = `{${uniquePrefix('stores')}}`;
  prefixes.push(prefix);
  return createRedisStores(redis, prefix);
});

it('redis: runs its scripts again after SCRIPT FLUSH', async () => {
  const prefix = `{${uniquePrefix('flush')}}`;
  prefixes.push(prefix);
  const stores = createRedisStores(redis, prefix);
  await redis.script('FLUSH');
  const result = await stores.votes.record('r', {
    voter: { key: 'a', platform: 'slack', userId: 'U1' },
    choice: 'approve',
    revision: 'x',
    at: '2026-11-24T10:00:00.000Z',
  });
  expect(result.status).toBe('recorded');
});
