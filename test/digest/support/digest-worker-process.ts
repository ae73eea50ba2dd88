/**
 * A digest worker in a process of its own, for the crash test: `CRASH_AT=before-send` kills the
 * process (SIGKILL, no clean-up) when the digest is built but not yet handed to delivery,
 * `CRASH_AT=after-send` right after delivery accepted it and before the job is acknowledged.
 * Env: REDIS_URL, DIGEST_PREFIX.
 */
import type { DeliveryPort } from '../../../src/core/engine-api';
import { createDigestQueue } from '../../../src/digest/digest-queue';
import { startDigestWorker } from '../../../src/digest/digest-worker';
import { DeliveryQueue } from '../../../src/jobs/delivery/delivery-queue';
import { createCommandConnection, createQueueConnection } from '../../../src/runtime/redis-connections';
import { fixtureDigestService } from './digest-rig';

const url = process.env.REDIS_URL!;
const prefix = process.env.DIGEST_PREFIX!;
const crashAt = process.env.CRASH_AT;
const redis = createCommandConnection({ url });
const connection = createQueueConnection({ url });
const inner = new DeliveryQueue({ connection, commands: redis, prefix });
const delivery: DeliveryPort = {
  async send(requests) {
    if (crashAt === 'before-send') process.kill(process.pid, 'SIGKILL');
    await inner.send(requests);
    if (crashAt === 'after-send') process.kill(process.pid, 'SIGKILL');
  },
};
const queue = createDigestQueue(connection, prefix);
const service = fixtureDigestService({ redis, prefix, queue, delivery });
const worker = startDigestWorker({
  connection,
  prefix,
  service,
  lockDurationMs: 1000,
  stalledIntervalMs: 500,
});
void worker.waitUntilReady().then(() => console.log('ready'));
