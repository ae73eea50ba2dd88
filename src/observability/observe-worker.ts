import type { Job, Worker } from 'bullmq';
import type { Metrics } from './metrics';

/** Seconds from when the job became due (created, plus its delay) to when a worker took it. */
export function waitSeconds(job: Pick<Job, 'timestamp' | 'delay' | 'processedOn'>): number | undefined {
  if (job.processedOn === undefined) return undefined;
  return Math.max(0, job.processedOn - job.timestamp - (job.delay ?? 0)) / 1000;
}

/** Job wait and run times of one worker into the per-queue histograms. */
export function observeWorker(worker: Worker, metrics: Metrics): void {
  const observe = (job: Job | undefined, outcome: 'completed' | 'failed') => {
    if (!job) return;
    const wait = waitSeconds(job);
    if (wait !== undefined) metrics.jobWait.observe({ queue: worker.name }, wait);
    if (job.processedOn !== undefined) {
      const run = Math.max(0, (job.finishedOn ?? Date.now()) - job.processedOn) / 1000;
      metrics.jobRun.observe({ queue: worker.name, outcome }, run);
    }
  };
  worker.on('completed', (job) => observe(job, 'completed'));
  worker.on('failed', (job) => observe(job, 'failed'));
}
