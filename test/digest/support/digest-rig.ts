import type { Worker } from 'bullmq';
import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import type { DeliveryPort } from '../../../src/core/engine-api';
import { systemClock, type Clock } from '../../../src/core/ports';
import { createDigestQueue, type DigestJobData } from '../../../src/digest/digest-queue';
import { DigestService } from '../../../src/digest/digest-service';
import { startDigestWorker } from '../../../src/digest/digest-worker';
import { defaultTranslator } from '../../../src/i18n/translator';
import { closeConnection, createQueueConnection } from '../../../src/runtime/redis-connections';
import { createRedisStores } from '../../../src/storage/redis';
import { testRedisUrl } from '../../support/redis';
import { createDeliveryRig, type DeliveryRig } from '../../jobs/support/delivery-rig';
import { fixtureCardSource, fixtureFlowSource } from './digest-fixtures';

/**
 * The digest on the real runtime pieces: Redis stores, the digest queue and workers, and the real
 * delivery queue + worker (H3's) posting to a recording chat port, all under one test prefix.
 */
export interface DigestRig {
  delivery: DeliveryRig;
  queue: Queue<DigestJobData>;
  service: DigestService;
  clock: Clock & { set(date: Date): void };
  startWorker(): Worker<DigestJobData>;
  close(): Promise<void>;
}

/** The service as the rig and the worker child process build it, on fixture cards and Redis stores. */
export function fixtureDigestService(deps: {
  redis: Redis;
  prefix: string;
  queue: Queue<DigestJobData>;
  delivery: DeliveryPort;
  clock?: Clock;
}): DigestService {
  return new DigestService({
    redis: deps.redis,
    keyPrefix: deps.prefix,
    queue: deps.queue,
    sources: {
      cards: fixtureCardSource(),
      flows: fixtureFlowSource,
      stores: createRedisStores(deps.redis, deps.prefix),
    },
    delivery: deps.delivery,
    clock: deps.clock ?? systemClock,
    t: defaultTranslator(),
    defaultTz: 'Europe/Berlin',
    defaultLocale: 'en',
    chart: false,
  });
}

export function createDigestRig(): DigestRig {
  const delivery = createDeliveryRig('dg');
  const connection = createQueueConnection({ url: testRedisUrl() });
  const queue = createDigestQueue(connection, delivery.prefix);
  let now = new Date();
  const clock = { now: () => now, set: (date: Date) => (now = date) };
  const service = fixtureDigestService({
    redis: delivery.redis,
    prefix: delivery.prefix,
    queue,
    delivery: delivery.queue,
    clock,
  });
  const workers: Worker<DigestJobData>[] = [];
  return {
    delivery,
    queue,
    service,
    clock,
    startWorker() {
      const worker = startDigestWorker({
        connection,
        prefix: delivery.prefix,
        service,
        lockDurationMs: 1000,
        stalledIntervalMs: 500,
      });
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.close(true)));
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await closeConnection(connection);
      await delivery.close();
    },
  };
}
