import type { Queue } from 'bullmq';
import { silentLogger } from '../../src/logging/logger';
import { closeConnection, createCommandConnection } from '../../src/runtime/redis-connections';
import { createWebApp, listen } from '../../src/runtime/web-server';
import { freePort } from '../support/redis-server';

describe('web server', () => {
  it('/healthz answers 503 when Redis does not, and closing is idempotent', async () => {
    // A port nobody listens on: the connection never becomes ready.
    const redis = createCommandConnection({ url: `redis://127.0.0.1:${await freePort()}` }, 'down');
    redis.on('error', () => undefined);
    const app = createWebApp({ redis, queues: [] as Queue[], prefix: '{unused}', logger: silentLogger });
    const server = await listen(app, 0, '127.0.0.1');
    try {
      const response = await fetch(`${server.url}/healthz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'unavailable', redis: 'down' });
    } finally {
      await server.close(1000);
      await server.close(1000);
      await closeConnection(redis, 200);
    }
  });
});
