import { Router } from 'express';
import type { CardSourceHealth } from '../core/ports';
import type { Logger } from '../logging/logger';
import type { RedisHealth } from '../runtime/redis-watch';
import type { Metrics } from './metrics';
import { runChecks, type ReadinessCheck } from './readiness';

export interface HealthRoutesOptions {
  checks: ReadinessCheck[];
  metrics: Metrics;
  logger: Logger;
  /** Shown on /healthz (a git card source's commit, or `degraded` with its last error); never fails it. */
  cardsHealth?: () => CardSourceHealth | undefined;
  /** Redis outages this process lived through and reconnected from on its own (shown once there was one). */
  redisHealth?: () => RedisHealth;
  /** Each readiness check gives up after this long (default 2 s). */
  checkTimeoutMs?: number;
  /** `/metrics` answers 503 when collecting takes longer (default 3 s). */
  metricsTimeoutMs?: number;
}

/**
 * `/healthz` (the process is alive and its event loop turns: Kubernetes restarts it otherwise),
 * `/readyz` (it can do its work: Redis, the card source, the queues; Kubernetes stops sending it traffic
 * otherwise) and `/metrics` (Prometheus). Web and worker processes serve the same three.
 */
export function healthRoutes(options: HealthRoutesOptions): Router {
  const router = Router();
  let lastReady = true;
  router.get('/healthz', (_req, res) => {
    const cards = options.cardsHealth?.();
    const redis = options.redisHealth?.();
    res.json({ status: 'ok', ...(cards ? { cards } : {}), ...(redis?.outages ? { redis } : {}) });
  });
  router.get('/readyz', async (_req, res) => {
    const result = await runChecks(options.checks, options.checkTimeoutMs ?? 2000);
    if (result.ready !== lastReady) {
      lastReady = result.ready;
      if (result.ready) options.logger.info('ready again');
      else options.logger.warn('not ready', { failed: result.failed, checks: result.checks });
    }
    res
      .status(result.ready ? 200 : 503)
      .json({ status: result.ready ? 'ready' : 'not ready', failed: result.failed, checks: result.checks });
  });
  router.get('/metrics', async (_req, res) => {
    try {
      const { contentType, body } = await options.metrics.exposition(options.metricsTimeoutMs ?? 3000);
      res.type(contentType).send(body);
    } catch (error) {
      options.logger.warn('metrics: not collected in time', { error });
      res.status(503).type('text/plain').send('# metrics not collected in time\n');
    }
  });
  return router;
}
