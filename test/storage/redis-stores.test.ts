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

it('redis: the history, delegations and channel language are remembered only while no process wrote them', async () => {
  const prefix = `{${uniquePrefix('versions')}}`;
  prefixes.push(prefix);
  const one = createRedisStores(redis, prefix);
  const other = createRedisStores(redis, prefix); // another process on the same Redis
  const at = '2026-12-01T10:00:00Z';
  await one.levels.recordEntry('R07.2', 3, at);
  await one.delegations.set({
    from: 'li',
    fromName: 'Li Wei',
    to: { key: 'sam', platform: 'slack', userId: 'USAM' },
    untilDay: '2026-12-19',
    until: '2026-12-20T00:00:00Z',
    at,
  });
  await one.channelLanguages.set('slack:C1', { locale: 'de', by: 'lee', at });

  const reads = (stores: typeof one) =>
    Promise.all([
      stores.levels.history('R07.2'),
      stores.delegations.all(),
      stores.channelLanguages.get('slack:C1'),
    ]);
  const first = await reads(one);
  const again = await reads(one);
  again.forEach((value, i) => expect(value).toBe(first[i]));
  expect(Object.isFrozen(first[0])).toBe(true);

  // Written by the other process: seen at once.
  await other.levels.record('R07.2', { level: 4, at, kind: 'advanced', from: 3 });
  await other.delegations.remove('li');
  await other.channelLanguages.set('slack:C1', { locale: 'ja', by: 'lee', at });
  const [history, delegations, language] = await reads(one);
  expect(history.map((change) => change.level)).toEqual([3, 4]);
  expect(delegations).toEqual([]);
  expect(language?.locale).toBe('ja');

  // A token dropped (an import writes the data back without it): read afresh, then remembered again.
  const before = await one.levels.history('R07.2');
  await redis.del(`${prefix}:levels-version`);
  const fresh = await one.levels.history('R07.2');
  expect(fresh).not.toBe(before);
  expect(fresh).toEqual(before);
  expect(await one.levels.history('R07.2')).toBe(fresh);
  expect(await other.levels.history('R07.2')).toEqual(fresh);
});
