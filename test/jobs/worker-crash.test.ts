import type { ChildProcess } from 'node:child_process';
import type { DeliveryRequest } from '../../src/core/engine-api';
import { DeliveryQueue } from '../../src/jobs/delivery/delivery-queue';
import { MessageLedger, type LedgerEntry } from '../../src/jobs/delivery/message-ledger';
import { EngineScheduler } from '../../src/jobs/engine-scheduler';
import { queuePrefix } from '../../src/jobs/job-ids';
import { MetricsCounters } from '../../src/jobs/metrics-counters';
import { systemClock } from '../../src/core/ports';
import {
  closeConnection,
  createCommandConnection,
  createQueueConnection,
} from '../../src/runtime/redis-connections';
import { testRedisUrl, uniquePrefix } from '../support/redis';
import { exitOf, killHard, spawnWorkerProcess } from './support/child-worker';
import { readCalls, textMessage, waitFor } from './support/recording-chat-port';

jest.setTimeout(90000);

/** Worker processes killed and restarted, sharing the queues on the test Redis. */
describe('worker processes', () => {
  const target = { url: testRedisUrl() };
  const redis = createCommandConnection(target);
  const connection = createQueueConnection(target);
  let prefix: string;
  let delivery: DeliveryQueue;
  let ledger: MessageLedger;
  let children: ChildProcess[];

  beforeEach(() => {
    prefix = queuePrefix(uniquePrefix('crash'));
    delivery = new DeliveryQueue({ connection, commands: redis, prefix, backoffMs: 100 });
    ledger = new MessageLedger(redis, `${prefix}:deliv:ledger:`);
    children = [];
  });
  afterEach(async () => {
    await Promise.all(children.map((child) => killHard(child)));
    await delivery.queue.obliterate({ force: true }).catch(() => undefined);
    await delivery.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  });
  afterAll(async () => {
    await closeConnection(connection);
    await closeConnection(redis);
  });

  const start = async (env: Record<string, string> = {}) => {
    const child = await spawnWorkerProcess({ REDIS_URL: testRedisUrl(), PREFIX: prefix, ...env });
    children.push(child);
    return child;
  };
  const posts = (count: number): DeliveryRequest[] =>
    Array.from({ length: count }, (_, index) => ({
      op: 'post',
      key: `msg:${index}`,
      conversationId: `playground:c${index % 6}`,
      message: textMessage(`message ${index}`),
    }));
  const allSettled = (keys: string[]) =>
    waitFor(
      async () => {
        const entries = await ledger.getMany(keys);
        return entries.every((entry) => entry && entry.state !== 'claimed') && (entries as LedgerEntry[]);
      },
      45000,
      'every delivery settled',
    );
  const timesPosted = async () => {
    const counts = new Map<string, number>();
    for (const call of await readCalls(redis, prefix))
      counts.set(call.key!, (counts.get(call.key!) ?? 0) + 1);
    return counts;
  };

  it('a worker killed with SIGKILL mid-delivery and restarted: every message exactly once', async () => {
    const requests = posts(60);
    await delivery.send(requests);
    // Each post pauses 150 ms after the platform stored it, before answering: the kill lands there.
    const doomed = await start({ SLOW_MS: '150' });
    await waitFor(async () => (await readCalls(redis, prefix)).length >= 10, 30000, 'first posts');
    doomed.kill('SIGKILL');
    await exitOf(doomed, 10000);
    const postedBeforeKill = (await readCalls(redis, prefix)).length;
    expect(postedBeforeKill).toBeLessThan(60);

    await start();
    const entries = await allSettled(requests.map((request) => request.key));
    expect(entries.every((entry) => entry.state === 'posted')).toBe(true);
    const counts = await timesPosted();
    expect(counts.size).toBe(60);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    // The kill did leave messages the platform had and the worker had not recorded: found, not reposted.
    expect((await new MetricsCounters(redis, `${prefix}:metrics`).read()).delivery_recovered).toBeGreaterThan(
      0,
    );
  });

  it('when the platform cannot look messages up, a crash leaves some uncertain, none posted twice', async () => {
    const requests = posts(40);
    await delivery.send(requests);
    const doomed = await start({ SLOW_MS: '150', LOOKUP: '0' });
    await waitFor(async () => (await readCalls(redis, prefix)).length >= 10, 30000, 'first posts');
    doomed.kill('SIGKILL');
    await exitOf(doomed, 10000);

    await start({ LOOKUP: '0' });
    const entries = await allSettled(requests.map((request) => request.key));
    const counts = await timesPosted();
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    const uncertain = requests.filter((_, index) => entries[index].state === 'uncertain');
    expect(uncertain.length).toBeGreaterThan(0);
    // Everything else was posted and recorded.
    for (const [index, entry] of entries.entries()) {
      if (entry.state !== 'uncertain') expect(entry).toMatchObject({ state: 'posted' });
      if (entry.state === 'posted') expect(counts.get(requests[index].key)).toBe(1);
    }
  });

  it('two worker processes share the queues: every nudge runs and is sent once, moves included', async () => {
    const scheduler = new EngineScheduler({ connection, commands: redis, prefix, clock: systemClock });
    try {
      await Promise.all([start(), start()]);
      // Far enough ahead that the first schedule never falls due before the move, even on a busy machine.
      const due = Date.now() + 5000;
      const nudges = Array.from({ length: 150 }, (_, index) => ({
        job: {
          id: `nudge:r${index % 15}:p${index}`,
          kind: 'nudge' as const,
          reviewId: `r${index % 15}`,
          data: { person: `p${index}` },
        },
        at: new Date(due - 2000),
      }));
      await scheduler.scheduleMany(nudges);
      // Every nudge is moved once before it falls due (a review changed): still one job each.
      await scheduler.scheduleMany(nudges.map((nudge) => ({ ...nudge, at: new Date(due) })));
      const keys = nudges.map((nudge) => `sent:${nudge.job.id}`);
      await allSettled(keys);
      const counts = await timesPosted();
      expect(counts.size).toBe(150);
      expect([...counts.values()].every((count) => count === 1)).toBe(true);
      const calls = await readCalls(redis, prefix);
      expect(Math.min(...calls.map((call) => call.at))).toBeGreaterThanOrEqual(due - 50);
    } finally {
      await scheduler.queue.obliterate({ force: true }).catch(() => undefined);
      await scheduler.close();
    }
  });

  it('SIGTERM with a delivery stuck in flight: exits 0 within the deadline, and the job is handed back', async () => {
    const stuck = await start({ SLOW_MS: '30000', DEADLINE_MS: '1000', CLAIM_TIMEOUT_MS: '1500' });
    await delivery.send(posts(1));
    await waitFor(async () => (await readCalls(redis, prefix)).length === 1, 20000, 'the stuck post');
    stuck.kill('SIGTERM');
    expect(await exitOf(stuck, 8000)).toBe(0);

    await start();
    const [entry] = await allSettled(['msg:0']);
    expect(entry).toMatchObject({ state: 'posted' });
    expect((await timesPosted()).get('msg:0')).toBe(1);
  });
});
