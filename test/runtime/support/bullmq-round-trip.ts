import { Queue, Worker } from 'bullmq';
import {
  closeConnection,
  createQueueConnection,
  type RedisTarget,
} from '../../../src/runtime/redis-connections';
import { queuePrefix } from '../../../src/jobs/job-ids';
import { uniquePrefix } from '../../support/redis';

export interface RoundTripOptions {
  /** Names the queue (`<label>-check`), the connections and the key prefix. */
  label: string;
  /** Delay the job, so it goes through the delayed set first. */
  delayMs?: number;
  /** Extra checks once the job is processed, while the queue still exists. */
  afterProcessed?: (prefix: string, queueName: string) => Promise<void>;
}

/**
 * Queues one job on the target with the app's hash-tagged prefix and expects a real BullMQ worker
 * to process it; cleans up the queue and both connections whatever happens.
 */
export async function expectJobRoundTrip(target: RedisTarget, options: RoundTripOptions): Promise<void> {
  const { label, delayMs, afterProcessed } = options;
  const queueName = `${label}-check`;
  const queueConnection = createQueueConnection(target, `test-${label}-queue`);
  const workerConnection = createQueueConnection(target, `test-${label}-worker`);
  const prefix = queuePrefix(uniquePrefix(label));
  const queue = new Queue(queueName, { connection: queueConnection, prefix });
  let worker: Worker | undefined;
  try {
    const processed = new Promise<unknown>((resolve, reject) => {
      worker = new Worker(queueName, async (job) => ({ doubled: (job.data as { n: number }).n * 2 }), {
        connection: workerConnection,
        prefix,
      });
      worker.on('completed', (_job, result) => resolve(result));
      worker.on('failed', (_job, error) => reject(error));
    });
    await queue.add('double', { n: 21 }, delayMs === undefined ? undefined : { delay: delayMs });
    await expect(processed).resolves.toEqual({ doubled: 42 });
    await afterProcessed?.(prefix, queueName);
  } finally {
    await worker?.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await closeConnection(queueConnection);
    await closeConnection(workerConnection);
  }
}
