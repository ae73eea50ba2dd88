import { Queue, Worker } from 'bullmq';
import { loadConfig } from '../../src/config/config';
import {
  closeConnection,
  createCommandConnection,
  createQueueConnection,
} from '../../src/runtime/redis-connections';
import { redisTargetFromConfig } from '../../src/runtime/redis-target';
import { queuePrefix } from '../../src/jobs/job-ids';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server';
import { uniquePrefix } from '../support/redis';
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
  const target = sentinelTarget();
  const queueConnection = createQueueConnection(target, 'test-sentinel-queue');
  const workerConnection = createQueueConnection(target, 'test-sentinel-worker');
  const prefix = queuePrefix(uniquePrefix('sentinel'));
  const queue = new Queue('sentinel-check', { connection: queueConnection, prefix });
  let worker: Worker | undefined;
  try {
    const processed = new Promise<unknown>((resolve, reject) => {
      worker = new Worker('sentinel-check', async (job) => ({ doubled: (job.data as { n: number }).n * 2 }), {
        connection: workerConnection,
        prefix,
      });
      worker.on('completed', (_job, result) => resolve(result));
      worker.on('failed', (_job, error) => reject(error));
    });
    await queue.add('double', { n: 21 });
    await expect(processed).resolves.toEqual({ doubled: 42 });
    // The queue's keys live on the master, under the hash-tagged prefix.
    const direct = createCommandConnection({ url: master.url });
    try {
      expect((await direct.keys(`${prefix}:sentinel-check:*`)).length).toBeGreaterThan(0);
    } finally {
      await closeConnection(direct);
    }
  } finally {
    await worker?.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await closeConnection(queueConnection);
    await closeConnection(workerConnection);
  }
});
