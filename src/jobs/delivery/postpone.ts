import { DelayedError, type Job } from 'bullmq';
import type { DeliveryJobData } from './delivery-job';

/**
 * Moves a delivery job to the delayed set until `until`, with `patch` merged into its data (when it
 * started waiting, a freed slot), and ends this run of it: BullMQ's DelayedError, so it never returns.
 */
export async function postpone(
  job: Job<DeliveryJobData>,
  token: string,
  until: number,
  patch: Partial<DeliveryJobData>,
): Promise<never> {
  await job.updateData({ ...job.data, ...patch });
  await job.moveToDelayed(until, token);
  throw new DelayedError();
}
