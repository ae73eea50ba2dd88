import { loadConfig } from '../../src/config/config';
import { closeConnection, createCommandConnection } from '../../src/runtime/redis-connections';
import { redisTargetFromConfig } from '../../src/runtime/redis-target';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server';
import { uniquePrefix } from '../support/redis';
import { expectJobRoundTrip } from './support/bullmq-round-trip';
import { startPrivateSentinel, type PrivateSentinel } from './support/private-sentinel';

let master: PrivateRedis;
let sentinel: PrivateSentinel;

beforeAll(async () => {
  master = await startPrivateRedis();
  sentinel = await startPrivateSentinel(master.port);
});

afterAll(async () => {
  await sentinel?.stop();
  await master?.stop();
});

function sentinelTarget() {
  const config = loadConfig({
    REDIS_SENTINELS: `127.0.0.1:${sentinel.port}`,
    REDIS_SENTINEL_NAME: sentinel.masterName,
  });
  const target = redisTargetFromConfig(config);
  if (!target || !('sentinels' in target)) throw new Error('expected a Sentinel target');
  return target;
}

test('commands reach the master the sentinel names, not the sentinel itself', async () => {
  const redis = createCommandConnection(sentinelTarget());
  try {
    const key = `{${uniquePrefix('sentinel')}}:probe`;
    await redis.set(key, 'through-sentinel');
    expect(await redis.get(key)).toBe('through-sentinel');
    const info = await redis.info('server');
    expect(info).toMatch(new RegExp(`tcp_port:${master.port}\\b`));
    expect(info).not.toMatch(/redis_mode:sentinel/);
    await redis.del(key);
  } finally {
    await closeConnection(redis);
  }
});

test('a BullMQ job is queued and processed through Sentinel connections', async () => {
  await expectJobRoundTrip(sentinelTarget(), {
    label: 'sentinel',
    // The queue's keys live on the master, under the hash-tagged prefix.
    afterProcessed: async (prefix, queueName) => {
      const direct = createCommandConnection({ url: master.url });
      try {
        expect((await direct.keys(`${prefix}:${queueName}:*`)).length).toBeGreaterThan(0);
      } finally {
        await closeConnection(direct);
      }
    },
  });
});
