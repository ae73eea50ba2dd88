import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import type { Logger } from '../logging/logger';
import { healthRoutes, type HealthRoutesOptions } from '../observability/health-routes';
import { requestMiddleware } from '../observability/request-middleware';
import { traceRequests } from '../observability/trace-requests';
import { tracingOn } from '../observability/tracing';

/**
 * The shared express app: request ids, Slack/Teams timing and refusal counting for every route, a span
 * per platform request when tracing is on, then `/healthz`, `/readyz` and `/metrics`; platforms mount
 * their routes on it after.
 */
export function createWebApp(options: HealthRoutesOptions & { logger: Logger }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestMiddleware(options.logger, options.metrics));
  if (tracingOn()) app.use(traceRequests());
  app.use(healthRoutes(options));
  return app;
}

/** A worker process's small HTTP server (HEALTH_PORT): `/healthz`, `/readyz` and `/metrics` only. */
export function createHealthApp(options: HealthRoutesOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRoutes(options));
  return app;
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
