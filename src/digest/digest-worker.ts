import { Worker, type ConnectionOptions } from 'bullmq';
import { traceJob } from '../observability/trace-jobs';
import { DIGEST_QUEUE, scheduledTime, type DigestJobData } from './digest-queue';
import type { DigestService } from './digest-service';

export { scheduledTime };

export interface DigestWorkerOptions {
  /** A BullMQ connection (maxRetriesPerRequest: null). */
  connection: ConnectionOptions;
  prefix: string;
  service: Pick<DigestService, 'runScheduled'>;
  /** How long a digest may run before its lock lapses and another worker takes over (stalled job). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Called with each outcome (logging, metrics). */
  onDigest?: (conversationId: string, outcome: string, fireAt: Date) => void;
}

/**
 * Runs scheduled digests. BullMQ hands each scheduler job to one worker; a worker that dies mid-digest
 * leaves a stalled job that another worker retries, and the period-based delivery key keeps the
 * retried digest to one post.
 */
export function startDigestWorker(options: DigestWorkerOptions): Worker<DigestJobData> {
  return new Worker<DigestJobData>(
    DIGEST_QUEUE,
    // Scheduler jobs have no enqueuing request: with tracing on, each digest is the root of its trace.
    traceJob(DIGEST_QUEUE, 'link', async (job) => {
      const fireAt = scheduledTime(job);
      const outcome = await options.service.runScheduled(job.data.conversationId, fireAt);
      options.onDigest?.(job.data.conversationId, outcome, fireAt);
      return outcome;
    }),
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: 2,
      lockDuration: options.lockDurationMs ?? 120_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      // A digest whose worker died is handed back rather than failed; its delivery key keeps it one post.
      maxStalledCount: 5,
    },
  );
}
