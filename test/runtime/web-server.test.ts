import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { CardSource } from '../../src/core/ports';
import { MetricsCounters } from '../../src/jobs/metrics-counters';
import { createLogger, silentLogger } from '../../src/logging/logger';
import { Metrics } from '../../src/observability/metrics';
import { cardSourceCheck, queuesCheck, redisCheck } from '../../src/observability/readiness';
import { markRefusal } from '../../src/observability/request-middleware';
import { closeConnection, createCommandConnection } from '../../src/runtime/redis-connections';
import { createHealthApp, createWebApp, listen, type ListeningServer } from '../../src/runtime/web-server';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server';

const noCards: CardSource = {
  loadAll: async () => ({ cards: [], errors: [], skipped: [] }),
  find: async () => undefined,
};

describe('health, readiness and metrics', () => {
  let redisServer: PrivateRedis;
  let dir: string;
  beforeAll(async () => {
    redisServer = await startPrivateRedis();
  });
  afterAll(async () => {
    await redisServer.stop();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mltrl-readyz-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function start(options: { cardsDir?: string; logLines?: string[] } = {}) {
    const redis = createCommandConnection({ url: redisServer.url }, 'web-test');
    redis.on('error', () => undefined);
    const queue = new Queue('delivery', { connection: redis.duplicate(), prefix: '{readyz}' });
    queue.on('error', () => undefined);
    const logger = options.logLines
      ? createLogger('info', (line) => options.logLines!.push(line))
      : silentLogger;
    const metrics = new Metrics({ redis, queues: [queue], prefix: '{readyz}', logger, redisTimeoutMs: 200 });
    const health = {
      metrics,
      logger,
      checkTimeoutMs: 300,
      checks: [
        redisCheck(redis),
        cardSourceCheck(noCards, options.cardsDir ?? dir),
        queuesCheck([queue], 60_000),
      ],
    };
    const web = createWebApp(health);
    web.post('/slack/events', (_req, res) => void res.status(401).send());
    web.get('/playground/api/state', (_req, res) => {
      markRefusal(res, 'host');
      res.status(403).json({ error: 'forbidden-host' });
    });
    const server = await listen(web, 0, '127.0.0.1');
    const healthServer = await listen(createHealthApp(health), 0, '127.0.0.1');
    return {
      redis,
      queue,
      metrics,
      server,
      healthServer,
      async stop() {
        redisServer.resume();
        await server.close(500);
        await healthServer.close(500);
        await queue.close();
        await closeConnection(redis, 500);
      },
    };
  }

  const json = async (server: ListeningServer, path: string) => {
    const response = await fetch(`${server.url}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  // Readiness follows the Redis connection, which (re)connects on its own schedule: wait for the green
  // answer instead of assuming it is already there (a busy machine can take seconds to reconnect).
  const untilReady = async (server: ListeningServer) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const answer = await json(server, '/readyz');
      if (answer.status === 200 || Date.now() > deadline) return answer;
      await new Promise((done) => setTimeout(done, 100));
    }
  };

  it('/healthz stays green while Redis is frozen; /readyz and the health port go red, then green again', async () => {
    const app = await start();
    try {
      expect(await untilReady(app.server)).toMatchObject({ status: 200, body: { status: 'ready' } });
      redisServer.pause();
      expect(await json(app.server, '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
      for (const server of [app.server, app.healthServer]) {
        const red = await json(server, '/readyz');
        expect(red.status).toBe(503);
        expect(red.body).toMatchObject({
          status: 'not ready',
          failed: expect.arrayContaining(['redis']),
          checks: {
            redis: { ok: false, error: expect.stringMatching(/no answer within 300 ms/) },
            cards: { ok: true },
          },
        });
      }
      // /metrics still answers: process metrics, and mltrl_redis_up 0 instead of hanging on Redis.
      const metrics = await fetch(`${app.healthServer.url}/metrics`);
      expect(metrics.status).toBe(200);
      const text = await metrics.text();
      expect(text).toMatch(/^mltrl_redis_up 0$/m);
      expect(text).toMatch(/^process_cpu_seconds_total /m);
      redisServer.resume();
      expect(await untilReady(app.server)).toMatchObject({ status: 200, body: { failed: [] } });
    } finally {
      await app.stop();
    }
  });

  it('/readyz names the card source when its directory cannot be read', async () => {
    const cardsDir = join(dir, 'cards');
    const app = await start({ cardsDir });
    try {
      const red = await json(app.server, '/readyz');
      expect(red).toMatchObject({
        status: 503,
        body: { failed: ['cards'], checks: { cards: { ok: false } } },
      });
      mkdirSync(cardsDir);
      expect(await untilReady(app.server)).toMatchObject({ status: 200 });
    } finally {
      await app.stop();
    }
  });

  it('a card source that reports itself degraded makes /readyz red with its error', async () => {
    const degraded: CardSource = {
      ...noCards,
      health: () => ({ state: 'degraded', lastError: 'fetch failed' }),
    };
    await expect(cardSourceCheck(degraded, dir).run()).rejects.toThrow('fetch failed');
  });

  it('/metrics shows the shared counters and queue depths from Redis, histograms and default metrics', async () => {
    const app = await start();
    try {
      await new MetricsCounters(app.redis, '{readyz}:metrics').increment('delivered', 3);
      await app.queue.add('x', {});
      app.metrics.deliveryLatency.observe({ platform: 'slack' }, 0.3);
      app.metrics.jobRun.observe({ queue: 'delivery', outcome: 'completed' }, 0.02);
      const text = await (await fetch(`${app.server.url}/metrics`)).text();
      expect(text).toMatch(/^mltrl_delivered_total 3$/m);
      expect(text).toMatch(/^mltrl_queue_jobs\{queue="delivery",state="waiting"\} 1$/m);
      expect(text).toMatch(/^mltrl_delivery_latency_seconds_bucket\{le="0.5",platform="slack"\} 1$/m);
      expect(text).toMatch(/^mltrl_job_run_seconds_count\{queue="delivery",outcome="completed"\} 1$/m);
      expect(text).toMatch(/^# TYPE mltrl_slack_ack_seconds histogram$/m);
      expect(text).toMatch(/^nodejs_heap_size_used_bytes /m);
      expect(text).toMatch(/^mltrl_redis_up 1$/m);
    } finally {
      await app.stop();
    }
  });

  it('refused requests are counted each time and logged once a minute per platform and reason', async () => {
    const lines: string[] = [];
    const app = await start({ logLines: lines });
    try {
      for (let i = 0; i < 3; i++) {
        const response = await fetch(`${app.server.url}/slack/events`, {
          method: 'POST',
          headers: { 'x-slack-signature': 'v0=bad', 'x-request-id': `req-${i}` },
        });
        expect(response.status).toBe(401);
        expect(response.headers.get('x-request-id')).toBe(`req-${i}`);
      }
      expect((await fetch(`${app.server.url}/playground/api/state`)).status).toBe(403);
      const text = await (await fetch(`${app.server.url}/metrics`)).text();
      expect(text).toMatch(/^mltrl_refused_requests_total\{platform="slack",reason="signature"\} 3$/m);
      expect(text).toMatch(/^mltrl_refused_requests_total\{platform="playground",reason="host"\} 1$/m);
      expect(text).toMatch(/^mltrl_slack_ack_seconds_count\{status="4xx"\} 3$/m);
      const refusals = lines
        .map((line) => JSON.parse(line) as { message: string; requestId?: string })
        .filter((line) => line.message.includes('refused'));
      expect(refusals).toEqual([
        expect.objectContaining({ message: 'slack: refused a request (signature)', requestId: 'req-0' }),
        expect.objectContaining({ message: 'playground: refused a request (host)' }),
      ]);
      expect(lines.join('\n')).not.toContain('v0=bad');
    } finally {
      await app.stop();
    }
  });
});
