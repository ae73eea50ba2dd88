import Redis from 'ioredis';
import { closeConnection, createCommandConnection } from '../../src/runtime/redis-connections';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server';

/**
 * The command connection hands Redis every command sent in one turn of the event loop in one write
 * (src/runtime/corked-writes.ts): Redis counts the reads it made from its clients, so a burst of 50
 * commands must arrive in a handful of reads, not 50. Replies, errors and later turns are unaffected.
 */
describe('command connection writes one burst per turn', () => {
  let redis: PrivateRedis;
  let observer: Redis;
  let client: Redis;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    observer = new Redis(redis.url, { protocol: 2 });
    client = createCommandConnection({ url: redis.url }, 'corked-test');
    await client.ping();
  });

  afterAll(async () => {
    await closeConnection(client);
    await closeConnection(observer);
    await redis.stop();
  });

  const readsSoFar = async () => {
    const info = await observer.info('stats');
    return Number(/total_reads_processed:(\d+)/.exec(info)?.[1]);
  };

  it('sends 50 commands of one turn in a few reads, with every reply in order', async () => {
    await client.set('corked:n', '0');
    const before = await readsSoFar();
    const replies = await Promise.all(Array.from({ length: 50 }, () => client.incr('corked:n')));
    const after = await readsSoFar();
    expect(replies).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // One read for the observer's own INFO between the two counts; the burst itself in one or two.
    expect(after - before).toBeLessThanOrEqual(4);
  });

  it('still fails a bad command on its own, and the next turn goes out as usual', async () => {
    const [good, bad] = await Promise.allSettled([client.get('corked:n'), client.call('no-such-command')]);
    expect(good).toEqual({ status: 'fulfilled', value: '50' });
    expect(bad.status).toBe('rejected');
    expect(await client.get('corked:n')).toBe('50');
  });

  it('queues commands sent while reconnecting and sends them once connected', async () => {
    client.disconnect(true);
    const pending = client.get('corked:n');
    await expect(pending).resolves.toBe('50');
  });
});
