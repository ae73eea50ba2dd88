import Redis from 'ioredis';
import { GetBatcher } from '../../src/storage/redis/get-batcher';
import { testRedisUrl, uniquePrefix } from '../support/redis';

/** Counts the commands a client sends, as written to the socket (MGET counts once, whatever its keys). */
function counting(redis: Redis): string[] {
  const sent: string[] = [];
  const original = redis.sendCommand.bind(redis);
  redis.sendCommand = ((command: { name: string }, ...rest: unknown[]) => {
    sent.push(command.name);
    return (original as (...args: unknown[]) => unknown)(command, ...rest);
  }) as typeof redis.sendCommand;
  return sent;
}

describe('GetBatcher', () => {
  const redis = new Redis(testRedisUrl());
  const prefix = `{${uniquePrefix('batch')}}`;
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  test('reads asked for in one tick go as one MGET, each getting its own value', async () => {
    await redis.set(`${prefix}:a`, '1');
    await redis.set(`${prefix}:b`, '2');
    const batcher = new GetBatcher(redis);
    const sent = counting(redis);
    const values = await Promise.all([
      batcher.get(`${prefix}:a`),
      batcher.get(`${prefix}:missing`),
      batcher.get(`${prefix}:b`),
      batcher.get(`${prefix}:a`),
    ]);
    expect(values).toEqual(['1', null, '2', '1']);
    expect(sent).toEqual(['mget']);
  });

  test('reads queued after awaiting earlier promise callbacks still join the batch', async () => {
    await redis.set(`${prefix}:c`, '3');
    const batcher = new GetBatcher(redis);
    const sent = counting(redis);
    const later = async () => {
      await Promise.resolve();
      await Promise.resolve();
      return batcher.get(`${prefix}:c`);
    };
    expect(await Promise.all([batcher.get(`${prefix}:a`), later()])).toEqual(['1', '3']);
    expect(sent).toEqual(['mget']);
  });

  test('a read after a write sees the write', async () => {
    const batcher = new GetBatcher(redis);
    await redis.set(`${prefix}:d`, 'old');
    await redis.set(`${prefix}:d`, 'new');
    expect(await batcher.get(`${prefix}:d`)).toBe('new');
  });

  test('a failed batch fails every read in it', async () => {
    const broken = new Redis(testRedisUrl(), { lazyConnect: true, maxRetriesPerRequest: 0 });
    broken.disconnect();
    const batcher = new GetBatcher(broken);
    const reads = [batcher.get(`${prefix}:a`), batcher.get(`${prefix}:b`)];
    for (const read of reads) await expect(read).rejects.toThrow();
  });
});
