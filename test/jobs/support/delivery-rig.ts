import type { Worker } from 'bullmq';
import type Redis from 'ioredis';
import type { PlatformName } from '../../../src/core/events';
import type { ChatPort } from '../../../src/core/ports';
import { DeliveryQueue } from '../../../src/jobs/delivery/delivery-queue';
import { startDeliveryWorker, type DeliveryWorkerOptions } from '../../../src/jobs/delivery/delivery-worker';
import { MessageLedger } from '../../../src/jobs/delivery/message-ledger';
import { queuePrefix } from '../../../src/jobs/job-ids';
import { MetricsCounters } from '../../../src/jobs/metrics-counters';
import { defaultTranslator } from '../../../src/i18n/translator';
import { silentLogger } from '../../../src/logging/logger';
import {
  closeConnection,
  createCommandConnection,
  createQueueConnection,
} from '../../../src/runtime/redis-connections';
import { testRedisUrl, uniquePrefix } from '../../support/redis';

/** A delivery queue and worker on the test Redis, under a prefix of their own. */
export interface DeliveryRig {
  prefix: string;
  redis: Redis;
  queue: DeliveryQueue;
  ledger: MessageLedger;
  counters: MetricsCounters;
  startWorker(ports: ChatPort[], options?: Partial<DeliveryWorkerOptions>): Worker;
  close(): Promise<void>;
}

export function createDeliveryRig(name = 'deliv'): DeliveryRig {
  const prefix = queuePrefix(uniquePrefix(name));
  const target = { url: testRedisUrl() };
  const redis = createCommandConnection(target);
  const connection = createQueueConnection(target);
  const queue = new DeliveryQueue({ connection, commands: redis, prefix, backoffMs: 100 });
  const workers: Worker[] = [];
  return {
    prefix,
    redis,
    queue,
    ledger: new MessageLedger(redis, `${prefix}:deliv:ledger:`),
    counters: new MetricsCounters(redis, `${prefix}:metrics`),
    startWorker(ports, options = {}) {
      const byPlatform = new Map<PlatformName, ChatPort>(ports.map((port) => [port.platform, port]));
      const worker = startDeliveryWorker({
        connection,
        commands: redis,
        prefix,
        chatPort: (platform) => byPlatform.get(platform),
        notices: queue,
        t: defaultTranslator(),
        logger: silentLogger,
        claimTimeoutMs: 2000,
        ...options,
      });
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.close(true)));
      await queue.queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await closeConnection(connection);
      await closeConnection(redis);
    },
  };
}
