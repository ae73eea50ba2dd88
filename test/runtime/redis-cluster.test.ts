import { loadConfig } from '../../src/config/config';
import { closeConnection, createCommandConnection } from '../../src/runtime/redis-connections';
import { redisTargetFromConfig } from '../../src/runtime/redis-target';
import { uniquePrefix } from '../support/redis';
import { expectJobRoundTrip } from './support/bullmq-round-trip';
import { startPrivateCluster, type PrivateCluster } from './support/private-cluster';

let cluster: PrivateCluster;

beforeAll(async () => {
  cluster = await startPrivateCluster();
});

afterAll(async () => {
  await cluster?.stop();
});

function clusterTarget() {
  // One seed node is enough: the client discovers the others.
  const target = redisTargetFromConfig(loadConfig({ REDIS_CLUSTER_NODES: `127.0.0.1:${cluster.ports[0]}` }));
  if (!target || !('clusterNodes' in target)) throw new Error('expected a Cluster target');
  return target;
}

test('commands follow the slots across nodes, and multi-key scripts work under one hash tag', async () => {
  const redis = createCommandConnection(clusterTarget());
  try {
    // Keys without a shared tag land on different nodes; the client follows the slots.
    const plain = Array.from({ length: 20 }, (_, index) => `${uniquePrefix('cl')}:${index}`);
    for (const key of plain) await redis.set(key, key);
    for (const key of plain) expect(await redis.get(key)).toBe(key);
    // Slot ranges were dealt out in equal thirds: the keys sat on more than one node.
    const slots = await Promise.all(plain.map((key) => redis.call('CLUSTER', 'KEYSLOT', key)));
    expect(
      new Set(slots.map((slot) => Math.floor(Number(slot) / Math.ceil(16384 / 3)))).size,
    ).toBeGreaterThan(1);
    await Promise.all(plain.map((key) => redis.del(key)));

    const tag = `{${uniquePrefix('cl')}}`;
    const moved = await redis.eval(
      "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('RPUSH', KEYS[2], redis.call('GET', KEYS[1]))",
      2,
      `${tag}:a`,
      `${tag}:b`,
      'tagged',
    );
    expect(moved).toBe(1);
    expect(await redis.lrange(`${tag}:b`, 0, -1)).toEqual(['tagged']);
    // The review store's create script reads a key it builds from ARGV (same tag, so same slot).
    await redis.set(`${tag}:review:R1`, 'json');
    expect(
      await redis.eval("return redis.call('GET', ARGV[1] .. 'R1')", 1, `${tag}:a`, `${tag}:review:`),
    ).toBe('json');
    await redis.del(`${tag}:a`, `${tag}:b`, `${tag}:review:R1`);
  } finally {
    await closeConnection(redis);
  }
});

test('a BullMQ job is queued and processed on a Cluster with the hash-tagged prefix', async () => {
  await expectJobRoundTrip(clusterTarget(), { label: 'cluster', delayMs: 50 });
});
