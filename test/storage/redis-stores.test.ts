import Redis from 'ioredis';
import { createRedisStores } from '../../src/storage/redis';
import { testRedisUrl, uniquePrefix } from '../support/redis';
import { describeStoreContract, review } from './store-contract';

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

it('redis: keeps audit events whose clock went backwards, in append order', async () => {
  const prefix = `{${uniquePrefix('audit')}}`;
  prefixes.push(prefix);
  const { audit } = createRedisStores(redis, prefix);
  await audit.append({ at: '2026-11-24T10:05:00.000Z', actor: 'a', type: 'voted', projectId: 'P' });
  await audit.append({ at: '2026-11-24T10:00:00.000Z', actor: 'b', type: 'voted', projectId: 'P' });
  const events = await audit.listByProject('P');
  expect(events.map((e) => e.actor)).toEqual(['a', 'b']);
  expect(events[1].at).toBe('2026-11-24T10:00:00.000Z');
  expect((await audit.listSince(new Date('2026-11-24T10:01:00.000Z'))).map((e) => e.actor)).toEqual(['a']);
});

it('redis: a review read again unchanged is the same frozen object; a saved change is read at once', async () => {
  const prefix = `{${uniquePrefix('known')}}`;
  prefixes.push(prefix);
  const stores = createRedisStores(redis, prefix);
  await stores.reviews.create(review({ id: 'rk1' }));
  const first = (await stores.reviews.get('rk1'))!;
  expect(await stores.reviews.get('rk1')).toBe(first);
  expect(Object.isFrozen(first) && Object.isFrozen(first.gate)).toBe(true);

  expect(await stores.reviews.save({ ...first, phase: 'voting' }, first.phase)).toBe(true);
  const saved = (await stores.reviews.get('rk1'))!;
  expect(saved).not.toBe(first);
  expect(saved.phase).toBe('voting');
  // Written by another process: this one's copy is not trusted, the JSON decides.
  await redis.set(`${prefix}:review:rk1`, JSON.stringify({ ...saved, phase: 'closed' }));
  expect((await stores.reviews.get('rk1'))!.phase).toBe('closed');
});
