import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import type Redis from 'ioredis';
import type { Queue } from 'bullmq';
import type { CardSource } from '../core/ports';
import type { Logger } from '../logging/logger';
import { MetricsCounters } from '../jobs/metrics-counters';

/**
 * The shared express app: platforms mount their routes on it; it adds `/healthz` (Redis answers) and
 * `/metrics` (Prometheus text: queue depths and job counters, the same in every process because they
 * are read from Redis).
 */
export function createWebApp(options: {
  redis: Redis;
  queues: Queue[];
  prefix: string;
  logger: Logger;
  /** The card source's state is part of /healthz (degraded: serving the last good commit). */
  cards?: Pick<CardSource, 'health'>;
}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', async (_req, res) => {
    try {
      await withTimeout(options.redis.ping(), 2000);
      const cards = options.cards?.health?.();
      res.json(cards ? { status: 'ok', cards } : { status: 'ok' });
    } catch (error) {
      options.logger.warn('health check: redis does not answer', { error });
      res.status(503).json({ status: 'unavailable', redis: 'down' });
    }
  });
  app.get('/metrics', async (_req, res) => {
    try {
      res.type('text/plain; version=0.0.4').send(await metricsText(options));
    } catch (error) {
      options.logger.warn('metrics: redis does not answer', { error });
      res.status(503).type('text/plain').send('# redis unavailable\n');
    }
  });
  return app;
}

async function metricsText(options: { redis: Redis; queues: Queue[]; prefix: string }): Promise<string> {
  const lines: string[] = [
    '# HELP mltrl_queue_jobs Jobs in each queue by state.',
    '# TYPE mltrl_queue_jobs gauge',
  ];
  for (const queue of options.queues) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
    for (const [state, count] of Object.entries(counts)) {
      lines.push(`mltrl_queue_jobs{queue="${queue.name}",state="${state}"} ${count}`);
    }
  }
  const counters = await new MetricsCounters(options.redis, `${options.prefix}:metrics`).read();
  for (const [name, value] of Object.entries(counters).sort()) {
    lines.push(`# TYPE mltrl_${name}_total counter`, `mltrl_${name}_total ${value}`);
  }
  return lines.join('\n') + '\n';
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export interface ListeningServer {
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  port: number;
  host: string;
  close(deadlineMs?: number): Promise<void>;
}

export async function listen(app: Express, port: number, host: string): Promise<ListeningServer> {
  const server: Server = await new Promise((resolve, reject) => {
    const started = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(started)));
    started.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    host: address.address,
    close: (deadlineMs = 5000) =>
      (closing ??= new Promise<void>((resolve) => {
        // Stop accepting, let requests in flight finish, then cut idle and stuck connections.
        const timer = setTimeout(() => server.closeAllConnections(), deadlineMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      })),
  };
}
