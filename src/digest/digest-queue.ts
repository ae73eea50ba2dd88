import { Queue, type ConnectionOptions, type Job } from 'bullmq';
import { toJobId } from '../jobs/job-ids';

/** The queue digest job schedulers put their jobs on; one job per (channel, fire time). */
export const DIGEST_QUEUE = 'digest';

export interface DigestJobData {
  conversationId: string;
}

/** Retries for a digest that failed to build (Redis blip, unreadable cards): the key keeps it one post. */
export const DIGEST_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential' as const, delay: 30_000 },
  removeOnComplete: { age: 14 * 24 * 3600, count: 1000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/** One scheduler per channel. BullMQ ids must not contain ':', conversation ids do: escape them. */
export function digestSchedulerId(conversationId: string): string {
  return `digest-${toJobId(conversationId)}`;
}

export function createDigestQueue(connection: ConnectionOptions, prefix: string): Queue<DigestJobData> {
  return new Queue<DigestJobData>(DIGEST_QUEUE, { connection, prefix });
}

/**
 * The time the scheduler meant this job to run: the same on every retry, unlike "now". Scheduler jobs
 * carry it as `opts.prevMillis` and in their id (`repeat:<scheduler>:<millis>`).
 */
export function scheduledTime(job: Job<DigestJobData>): Date {
  const fromOpts = (job.opts as { prevMillis?: number }).prevMillis;
  if (typeof fromOpts === 'number' && fromOpts > 0) return new Date(fromOpts);
  const fromId = /:(\d{12,})$/.exec(job.id ?? '');
  if (fromId) return new Date(Number(fromId[1]));
  return new Date(job.timestamp + (job.opts.delay ?? 0));
}
