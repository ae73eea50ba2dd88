import { Queue, Worker, type Job } from 'bullmq';
import type Redis from 'ioredis';
import type { Engine, EngineJob, JobSchedulerPort } from '../core/engine-api';
import type { Clock } from '../core/ports';
import type { Logger } from '../logging/logger';
import { enqueueTraced, traceJob, withTrace } from '../observability/trace-jobs';
import { toJobId } from './job-ids';
import { MetricsCounters } from './metrics-counters';

/**
 * Engine jobs (nudges, vote deadlines, review ticks) as BullMQ delayed jobs.
 *
 * Ids are deterministic: the BullMQ job id is the engine job id plus its due time, and a sorted set
 * (`<prefix>:sched:due`, member = engine job id, score = due time) says which due time is current.
 * Scheduling an id again therefore moves it: the new time becomes current and the old BullMQ job is
 * removed (or, if it is running right now, finds itself superseded and does nothing). Scheduling the
 * same id at the same time twice adds nothing. The same set lets the playground promote jobs that fell
 * due when its controllable clock jumps forward (`promoteDue`).
 */
export const ENGINE_QUEUE = 'engine';

export interface EngineJobData {
  job: EngineJob;
  /** Due time on the bot's clock (virtual in the playground), ms since the epoch. */
  at: number;
}

export interface EngineSchedulerOptions {
  connection: Redis;
  commands: Redis;
  prefix: string;
  clock: Clock;
  attempts?: number;
  backoffMs?: number;
}

/**
 * Removes the engine job id from the due set only if it is still due at this job's time, and counts the
 * run (one round trip: lateness of a burst of nudges depends on it).
 */
const COMPLETE_SCRIPT = `
redis.call('HINCRBY', KEYS[2], 'engine_jobs_run', 1)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 1
end
return 0`;

export class EngineScheduler implements JobSchedulerPort {
  readonly queue: Queue<EngineJobData>;
  readonly dueKey: string;

  constructor(private readonly options: EngineSchedulerOptions) {
    this.queue = new Queue<EngineJobData>(ENGINE_QUEUE, {
      connection: options.connection,
      prefix: options.prefix,
    });
    this.dueKey = `${options.prefix}:sched:due`;
  }

  schedule(job: EngineJob, at: Date): Promise<void> {
    return this.scheduleMany([{ job, at }]);
  }

  /** The bulk path: one round trip for the current times, one for the due set, one `addBulk`. */
  async scheduleMany(items: Array<{ job: EngineJob; at: Date }>): Promise<void> {
    if (items.length === 0) return;
    // The last entry wins when one batch schedules an id twice.
    const byId = new Map(items.map((item) => [item.job.id, item]));
    const unique = [...byId.values()];
    const ids = unique.map((item) => item.job.id);
    const previous = await this.options.commands.zmscore(this.dueKey, ...ids);
    const now = this.options.clock.now().getTime();

    const zadd: Array<string | number> = [];
    const jobs = unique.map(({ job, at }) => {
      const due = at.getTime();
      zadd.push(due, job.id);
      return {
        name: job.kind,
        data: { job, at: due },
        opts: {
          jobId: bullId(job.id, due),
          delay: Math.max(0, due - now),
          attempts: this.options.attempts ?? 5,
          backoff: { type: 'exponential', delay: this.options.backoffMs ?? 5000 },
          removeOnComplete: true,
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      };
    });
    await this.options.commands.zadd(this.dueKey, ...zadd);
    await enqueueTraced(ENGINE_QUEUE, jobs.length, (trace) =>
      this.queue.addBulk(trace ? jobs.map((job) => ({ ...job, data: withTrace(job.data, trace) })) : jobs),
    );
    const stale = unique
      .map((item, index) => ({ id: item.job.id, was: previous[index] }))
      .filter(({ id, was }) => was !== null && Number(was) !== byId.get(id)!.at.getTime());
    await Promise.all(stale.map(({ id, was }) => this.removeQuietly(bullId(id, Number(was)))));
  }

  async cancel(jobId: string): Promise<void> {
    const was = await this.options.commands.zscore(this.dueKey, jobId);
    if (was === null) return;
    await this.options.commands.zrem(this.dueKey, jobId);
    await this.removeQuietly(bullId(jobId, Number(was)));
  }

  /** When is this engine job due (undefined: not scheduled)? */
  async dueAt(jobId: string): Promise<Date | undefined> {
    const score = await this.options.commands.zscore(this.dueKey, jobId);
    return score === null ? undefined : new Date(Number(score));
  }

  /**
   * Runs now the delayed jobs whose due time has come on the clock (after the playground's clock moved
   * forward). Returns the BullMQ ids promoted.
   */
  async promoteDue(): Promise<string[]> {
    const now = this.options.clock.now().getTime();
    const due = await this.options.commands.zrangebyscore(this.dueKey, '-inf', now, 'WITHSCORES');
    const promoted: string[] = [];
    for (let index = 0; index < due.length; index += 2) {
      const id = bullId(due[index], Number(due[index + 1]));
      const job = await this.queue.getJob(id);
      if (!job || !(await job.isDelayed())) continue;
      try {
        await job.promote();
        promoted.push(id);
      } catch {
        // Started meanwhile: nothing to promote.
      }
    }
    return promoted;
  }

  /** Resolves when none of these jobs is waiting, delayed or running any more (or after `timeoutMs`). */
  async waitUntilSettled(bullIds: string[], timeoutMs = 10000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(bullIds.map((id) => this.queue.getJobState(id)));
      if (states.every((state) => state === 'completed' || state === 'failed' || state === 'unknown'))
        return true;
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async removeQuietly(id: string): Promise<void> {
    try {
      await this.queue.remove(id);
    } catch {
      // Running right now (locked): it will find itself superseded and do nothing.
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/** BullMQ id of one scheduling of an engine job: the engine id and its due time. */
export function bullId(engineJobId: string, at: number): string {
  return `${toJobId(engineJobId)}@${at}`;
}

/** The worker that runs due engine jobs; skips a job that was moved or cancelled since. */
export function startEngineWorker(options: {
  connection: Redis;
  commands: Redis;
  prefix: string;
  engine: Pick<Engine, 'runJob'>;
  logger: Logger;
  concurrency?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}): Worker<EngineJobData> {
  const dueKey = `${options.prefix}:sched:due`;
  const counters = new MetricsCounters(options.commands, `${options.prefix}:metrics`);
  const process = async (job: Job<EngineJobData>): Promise<string> => {
    const { job: engineJob, at } = job.data;
    const current = await options.commands.zscore(dueKey, engineJob.id);
    if (current === null || Number(current) !== at) return 'superseded';
    try {
      await options.engine.runJob(engineJob, new Date(at));
    } catch (error) {
      await counters.increment('engine_jobs_failed');
      options.logger.warn('engine job failed', {
        id: engineJob.id,
        kind: engineJob.kind,
        attempt: job.attemptsMade + 1,
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
    await options.commands.eval(COMPLETE_SCRIPT, 2, dueKey, counters.key, engineJob.id, String(at));
    return 'ran';
  };
  // Engine jobs run hours or days after the command that scheduled them: their spans start a new trace
  // linked to the scheduling one, instead of stretching the command's trace over days.
  return new Worker<EngineJobData>(ENGINE_QUEUE, traceJob(ENGINE_QUEUE, 'link', process), {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 10,
    lockDuration: options.lockDurationMs ?? 30000,
    stalledInterval: options.stalledIntervalMs ?? 30000,
    maxStalledCount: 10,
  });
}
