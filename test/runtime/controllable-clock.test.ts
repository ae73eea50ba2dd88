import { createControllableClock } from '../../src/runtime/controllable-clock';
import { closeConnection, createCommandConnection } from '../../src/runtime/redis-connections';
import { testRedisUrl, uniquePrefix } from '../support/redis';

describe('controllable clock', () => {
  const redis = createCommandConnection({ url: testRedisUrl() });
  const key = `{${uniquePrefix('clock')}}:clock:offset`;
  afterAll(async () => {
    await redis.del(key);
    await closeConnection(redis);
  });

  it('every process agrees on the advanced time, and a restart keeps it', async () => {
    const web = await createControllableClock({ redis, key, refreshMs: 50 });
    const worker = await createControllableClock({ redis, key, refreshMs: 50 });
    const advanced = await web.advance(2 * 3600_000);
    expect(advanced.getTime() - Date.now()).toBeGreaterThan(2 * 3600_000 - 1000);
    const deadline = Date.now() + 5000;
    while (worker.offsetMs() !== 2 * 3600_000 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(worker.offsetMs()).toBe(2 * 3600_000);
    web.stop();
    worker.stop();
    const restarted = await createControllableClock({ redis, key });
    expect(restarted.offsetMs()).toBe(2 * 3600_000);
    restarted.stop();
  });

  it('only moves forward', async () => {
    const clock = await createControllableClock({ redis, key });
    await expect(clock.advance(-1)).rejects.toThrow(/only moves forward/);
    await expect(clock.advance(Number.NaN)).rejects.toThrow(/only moves forward/);
    clock.stop();
  });
});
