import type { Worker } from 'bullmq';
import type Redis from 'ioredis';
import type { Engine } from '../core/engine-api';
import type { PlatformName } from '../core/events';
import type { ChatPort, Translate } from '../core/ports';
import type { DeliveryQueue } from '../jobs/delivery/delivery-queue';
import { startDeliveryWorker } from '../jobs/delivery/delivery-worker';
import { startEngineWorker } from '../jobs/engine-scheduler';
import type { Logger } from '../logging/logger';

/** Knobs for the queue workers; tests shorten the lock and stall intervals. */
export interface WorkerTuning {
  deliveryConcurrency?: number;
  engineConcurrency?: number;
  rateIntervalMs?: Partial<Record<PlatformName, number>>;
  claimTimeoutMs?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

/** Starts the delivery and engine workers of a worker process. */
export function startWorkers(options: {
  connection: Redis;
  commands: Redis;
  prefix: string;
  engine: Engine;
  delivery: DeliveryQueue;
  chatPorts: Map<PlatformName, ChatPort>;
  t: Translate;
  logger: Logger;
  tuning?: WorkerTuning;
  /** Each message the platform accepted: seconds since it was enqueued. */
  onDelivered?: (platform: PlatformName, seconds: number) => void;
}): Worker[] {
  const tuning = options.tuning ?? {};
  const shared = {
    connection: options.connection,
    commands: options.commands,
    prefix: options.prefix,
    logger: options.logger,
    lockDurationMs: tuning.lockDurationMs,
    stalledIntervalMs: tuning.stalledIntervalMs,
  };
  const workers: Worker[] = [
    startDeliveryWorker({
      ...shared,
      chatPort: (platform) => options.chatPorts.get(platform),
      notices: options.delivery,
      t: options.t,
      concurrency: tuning.deliveryConcurrency,
      rateIntervalMs: tuning.rateIntervalMs,
      claimTimeoutMs: tuning.claimTimeoutMs,
      onDelivered: options.onDelivered,
      onFailed: (failure) => options.engine.deliveryFailed?.(failure) ?? Promise.resolve(),
    }),
    startEngineWorker({ ...shared, engine: options.engine, concurrency: tuning.engineConcurrency }),
  ];
  for (const worker of workers) {
    worker.on('failed', (job, error) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        options.logger.error('job failed for good', { queue: worker.name, id: job.id, error: error.message });
      }
    });
  }
  return workers;
}
