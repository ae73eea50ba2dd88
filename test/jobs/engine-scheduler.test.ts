import type { Worker } from 'bullmq';
import type { EngineJob } from '../../src/core/engine-api';
import { EngineScheduler, startEngineWorker } from '../../src/jobs/engine-scheduler';
import { queuePrefix } from '../../src/jobs/job-ids';
import { silentLogger } from '../../src/logging/logger';
import { createControllableClock, type ControllableClock } from '../../src/runtime/controllable-clock';
import {
  closeConnection,
  createCommandConnection,
  createQueueConnection,
} from '../../src/runtime/redis-connections';
import { queueDrained } from '../support/queue-drained';
import { testRedisUrl, uniquePrefix } from '../support/redis';
import { waitFor } from './support/recording-chat-port';

describe('engine scheduler', () => {
  const target = { url: testRedisUrl() };
  const redis = createCommandConnection(target);
  const connection = createQueueConnection(target);
  let prefix: string;
  let clock: ControllableClock;
  let scheduler: EngineScheduler;
  let worker: Worker | undefined;
  let ran: Array<{ id: string; at: number; dueAt?: number; data?: EngineJob['data'] }>;
  let onRun: (job: EngineJob) => Promise<void>;

  beforeEach(async () => {
    prefix = queuePrefix(uniquePrefix('sched'));
    clock = await createControllableClock({ redis, key: `${prefix}:clock:offset` });
    scheduler = new EngineScheduler({ connection, commands: redis, prefix, clock, backoffMs: 50 });
    ran = [];
    onRun = async () => undefined;
    worker = undefined;
  });
  afterEach(async () => {
    await worker?.close(true);
    clock.stop();
    await scheduler.queue.obliterate({ force: true });
    await scheduler.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  });
  afterAll(async () => {
    await closeConnection(connection);
    await closeConnection(redis);
  });

  const startWorker = () => {
    worker = startEngineWorker({
      connection,
      commands: redis,
      prefix,
      logger: silentLogger,
      engine: {
        runJob: async (job, dueAt) => {
          ran.push({ id: job.id, at: clock.now().getTime(), dueAt: dueAt?.getTime(), data: job.data });
          await onRun(job);
        },
      },
    });
  };
  const nudge = (round: number): EngineJob => ({
    id: 'nudge:R07.2:ana',
    kind: 'nudge',
    reviewId: 'R07.2',
    data: { round },
  });
  const inMs = (ms: number) => new Date(clock.now().getTime() + ms);

  it('scheduling an id again moves it instead of adding a second job', async () => {
    await scheduler.schedule(nudge(1), inMs(200));
    await scheduler.schedule(nudge(2), inMs(600));
    await scheduler.schedule(nudge(2), inMs(600));
    expect(await scheduler.queue.getDelayedCount()).toBe(1);
    startWorker();
    await waitFor(async () => ran.length > 0);
    await queueDrained(scheduler.queue, 'the engine queue');
    expect(ran).toHaveLength(1);
    expect(ran[0].data).toEqual({ round: 2 });
    expect(await scheduler.dueAt('nudge:R07.2:ana')).toBeUndefined();
  });

  it('a cancelled job never runs', async () => {
    await scheduler.schedule(nudge(1), inMs(200));
    await scheduler.cancel('nudge:R07.2:ana');
    await scheduler.cancel('nudge:R07.2:ana');
    expect(await scheduler.queue.getDelayedCount()).toBe(0);
    // A sentinel due after the cancelled time: once it has run and the queue is empty, the cancelled job
    // would have run before it.
    await scheduler.schedule({ id: 'tick:sentinel', kind: 'review-tick', reviewId: 'sentinel' }, inMs(400));
    startWorker();
    await waitFor(async () => ran.length > 0, 10000, 'the sentinel');
    await queueDrained(scheduler.queue, 'the engine queue');
    expect(ran.map((run) => run.id)).toEqual(['tick:sentinel']);
  });

  it('a running job may schedule its own id again, and runs again then', async () => {
    onRun = async (job) => {
      if (job.data?.round === 1) await scheduler.schedule(nudge(2), inMs(300));
    };
    await scheduler.schedule(nudge(1), inMs(50));
    startWorker();
    await waitFor(async () => ran.length >= 2, 10000, 'second run');
    expect(ran.map((run) => run.data?.round)).toEqual([1, 2]);
    await queueDrained(scheduler.queue, 'the engine queue');
    expect(ran).toHaveLength(2);
  });

  it('with the controllable clock, advancing it runs what fell due (and only that)', async () => {
    await scheduler.scheduleMany([
      { job: { id: 'tick:a', kind: 'review-tick', reviewId: 'a' }, at: inMs(3600_000) },
      { job: { id: 'tick:b', kind: 'review-tick', reviewId: 'b' }, at: inMs(3 * 3600_000) },
    ]);
    startWorker();
    await clock.advance(3600_000 + 1000);
    const promoted = await scheduler.promoteDue();
    expect(promoted).toHaveLength(1);
    expect(await scheduler.waitUntilSettled(promoted)).toBe(true);
    expect(ran.map((run) => run.id)).toEqual(['tick:a']);
    // The job saw the virtual time, not the real one.
    expect(ran[0].at).toBeGreaterThan(Date.now() + 3000_000);
    expect(await scheduler.queue.getDelayedCount()).toBe(1);
  });

  it('a job that fell due while the workers were down runs as of its due time', async () => {
    const due = inMs(3600_000);
    await scheduler.schedule(nudge(1), due);
    await clock.advance(5 * 3600_000); // no worker: the job waits past its due time
    await scheduler.promoteDue();
    startWorker();
    await waitFor(async () => ran.length > 0, 10000, 'the late run');
    expect(ran[0].dueAt).toBe(due.getTime());
    expect(ran[0].at).toBeGreaterThanOrEqual(due.getTime() + 4 * 3600_000);
  });

  it('retries a failing job with back-off', async () => {
    let failures = 0;
    onRun = async () => {
      if (failures < 2) {
        failures += 1;
        throw new Error('redis blip');
      }
    };
    await scheduler.schedule(nudge(1), inMs(10));
    startWorker();
    await waitFor(async () => ran.length === 3, 10000, 'third attempt');
    expect(await scheduler.dueAt('nudge:R07.2:ana')).toBeUndefined();
  });
});
