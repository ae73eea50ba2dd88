import { closeConnection, createCommandConnection } from '../../src/runtime/redis-connections';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server';

/**
 * The command connection fails a command Redis leaves unanswered (src/runtime/command-deadline.ts): a
 * frozen server must not hold a click forever. Answered commands are untouched, also those sent while
 * an older one waits, and the connection works again once Redis answers.
 */
describe('command connection fails unanswered commands', () => {
  let redis: PrivateRedis;

  beforeAll(async () => {
    redis = await startPrivateRedis();
  });

  afterAll(async () => {
    redis.resume();
    await redis.stop();
  });

  it('fails every command of a frozen Redis with "Command timed out", and none that was answered', async () => {
    const client = createCommandConnection({ url: redis.url }, 'deadline-test', 300);
    try {
      await client.set('deadline:a', '1');
      // Answered ones, many of them, over more than one timeout: none is failed late.
      for (let round = 0; round < 4; round++) {
        expect(await Promise.all([client.get('deadline:a'), client.incr('deadline:n')])).toEqual([
          '1',
          round + 1,
        ]);
        await new Promise((done) => setTimeout(done, 100));
      }
      redis.pause();
      const first = client.get('deadline:a');
      await new Promise((done) => setTimeout(done, 100));
      const second = client.incr('deadline:n');
      await expect(first).rejects.toThrow('Command timed out');
      await expect(second).rejects.toThrow('Command timed out');
      redis.resume();
      // The late answers to the failed commands are not mistaken for the next one's.
      expect(await client.set('deadline:b', '2')).toBe('OK');
      expect(await client.get('deadline:b')).toBe('2');
    } finally {
      redis.resume();
      await closeConnection(client);
    }
  });
});
