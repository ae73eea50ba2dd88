import { Queue, Worker } from 'bullmq';
import type Redis from 'ioredis';
import type { EngineJob } from '../src/core/engine-api';
import { systemClock } from '../src/core/ports';
import { EngineScheduler, startEngineWorker, type EngineJobData } from '../src/jobs/engine-scheduler';
import { silentLogger } from '../src/logging/logger';
import {
  closeConnection,
  createCommandConnection,
  createQueueConnection,
} from '../src/runtime/redis-connections';
import { startPrivateRedis } from '../test/support/redis-server';

/**
 * Nudges (issue 3): 100,000 pending nudges enqueued through EngineScheduler.scheduleMany beside bare
 * BullMQ addBulk of the same delayed jobs (same payload, same batch size); Redis memory per pending
 * nudge from INFO memory, beside bare; lateness p50/p99 of 1,000 nudges due in the same second at worker
 * concurrency 50, beside a bare BullMQ worker doing nothing. Own private redis-server, flushed between.
 */
const PENDING = 100_000;
const BATCH = 1_000;
const BURST = 1_000;
const CONCURRENCY = 50;

function nudge(index: number): EngineJob {
  return {
    id: `nudge:R${index % 5000}:person-${index}`,
    kind: 'nudge',
    reviewId: `R${index % 5000}`,
    data: { round: 1, person: `person-${index}` },
  };
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)![1]);
}

async function enqueueBare(connection: Redis, redis: Redis): Promise<{ rate: number; bytes: number }> {
  await redis.flushall();
  const before = await usedMemory(redis);
  const queue = new Queue<EngineJobData>('bare', { connection, prefix: '{bench}' });
  const due = Date.now() + 86_400_000;
  const started = process.hrtime.bigint();
  for (let offset = 0; offset < PENDING; offset += BATCH) {
    await queue.addBulk(
      Array.from({ length: BATCH }, (_, i) => {
        const job = nudge(offset + i);
        const at = due + offset + i;
        return {
          name: job.kind,
          data: { job, at },
          opts: {
            jobId: `${job.id.replace(/:/g, '%3A')}@${at}`,
            delay: at - Date.now(),
            attempts: 5,
            backoff: { type: 'exponential' as const, delay: 5000 },
            removeOnComplete: true,
            removeOnFail: { age: 604800 },
          },
        };
      }),
    );
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const bytes = ((await usedMemory(redis)) - before) / PENDING;
  await queue.close();
  return { rate: PENDING / seconds, bytes };
}

async function enqueueOurs(connection: Redis, redis: Redis): Promise<{ rate: number; bytes: number }> {
  await redis.flushall();
  const before = await usedMemory(redis);
  const scheduler = new EngineScheduler({
    connection,
    commands: redis,
    prefix: '{bench}',
    clock: systemClock,
  });
  const due = Date.now() + 86_400_000;
  const started = process.hrtime.bigint();
  for (let offset = 0; offset < PENDING; offset += BATCH) {
    await scheduler.scheduleMany(
      Array.from({ length: BATCH }, (_, i) => ({ job: nudge(offset + i), at: new Date(due + offset + i) })),
    );
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const bytes = ((await usedMemory(redis)) - before) / PENDING;
  await scheduler.close();
  return { rate: PENDING / seconds, bytes };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function lateness(
  connection: Redis,
  redis: Redis,
  ours: boolean,
): Promise<{ p50: number; p99: number }> {
  await redis.flushall();
  const late: number[] = [];
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const record = (at: number) => {
    late.push(Date.now() - at);
    if (late.length === BURST) done();
  };
  const due = Date.now() + 3000;
  let worker: Worker;
  let close: () => Promise<void>;
  if (ours) {
    const scheduler = new EngineScheduler({
      connection,
      commands: redis,
      prefix: '{bench}',
      clock: systemClock,
    });
    await scheduler.scheduleMany(
      Array.from({ length: BURST }, (_, i) => ({ job: nudge(i), at: new Date(due + (i % 1000)) })),
    );
    const dues = new Map(Array.from({ length: BURST }, (_, i) => [nudge(i).id, due + (i % 1000)]));
    worker = startEngineWorker({
      connection,
      commands: redis,
      prefix: '{bench}',
      logger: silentLogger,
      concurrency: CONCURRENCY,
      engine: { runJob: async (job) => record(dues.get(job.id)!) },
    });
    close = () => scheduler.close();
  } else {
    const queue = new Queue<EngineJobData>('bare', { connection, prefix: '{bench}' });
    await queue.addBulk(
      Array.from({ length: BURST }, (_, i) => ({
        name: 'nudge',
        data: { job: nudge(i), at: due + (i % 1000) },
        opts: { delay: due + (i % 1000) - Date.now(), removeOnComplete: true },
      })),
    );
    worker = new Worker<EngineJobData>('bare', async (job) => record(job.data.at), {
      connection,
      prefix: '{bench}',
      concurrency: CONCURRENCY,
    });
    close = () => queue.close();
  }
  await finished;
  await worker.close();
  await close();
  const sorted = late.sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

export async function run(): Promise<void> {
  const server = await startPrivateRedis();
  const target = { url: server.url };
  const redis = createCommandConnection(target);
  const connection = createQueueConnection(target);
  try {
    // A warm-up so neither side pays for script loading and connection set-up.
    await redis.flushall();
    const bare = await enqueueBare(connection, redis);
    const ours = await enqueueOurs(connection, redis);
    console.log(`enqueue ${PENDING} pending nudges (batches of ${BATCH}):`);
    console.log(
      `  bare BullMQ addBulk      ${bare.rate.toFixed(0).padStart(7)} jobs/s   ${bare.bytes.toFixed(0)} B/job`,
    );
    console.log(
      `  EngineScheduler          ${ours.rate.toFixed(0).padStart(7)} jobs/s   ${ours.bytes.toFixed(0)} B/nudge`,
    );
    console.log(`  ratio enqueue ${(ours.rate / bare.rate).toFixed(2)}x bare (target >= 0.8)`);
    console.log(
      `  memory ${ours.bytes.toFixed(0)} B per pending nudge = ${(ours.bytes / bare.bytes).toFixed(2)}x bare (target <= 1536 B)`,
    );
    const bareLate = await lateness(connection, redis, false);
    const ourLate = await lateness(connection, redis, true);
    console.log(`lateness of ${BURST} nudges due in the same second, worker concurrency ${CONCURRENCY}:`);
    console.log(`  bare BullMQ worker       p50 ${bareLate.p50} ms   p99 ${bareLate.p99} ms`);
    console.log(
      `  engine worker            p50 ${ourLate.p50} ms   p99 ${ourLate.p99} ms (target p99 < 1000 ms)`,
    );
    console.log(`  ratio p99 ${(ourLate.p99 / Math.max(1, bareLate.p99)).toFixed(2)}x bare`);
  } finally {
    await closeConnection(connection);
    await closeConnection(redis);
    await server.stop();
  }
}
