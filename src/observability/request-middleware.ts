import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logging/logger';
import type { Metrics, RefusalPlatform, RefusalReason } from './metrics';

const REQUEST_ID = /^[\w.:-]{1,100}$/;

/** The request's logger (bound to its request id) when the request middleware ran, else `fallback`. */
export function requestLogger(res: Response, fallback: Logger): Logger {
  const locals = res.locals as { logger?: Logger; requestId?: string };
  // Made when first needed: most requests log nothing, and a child logger per request cost more than
  // any other part of this middleware.
  if (!locals.logger && locals.requestId) locals.logger = fallback.child({ requestId: locals.requestId });
  return locals.logger ?? fallback;
}

/** Platform code marks a refusal it decides itself (a foreign Host header, a non-loopback caller). */
export function markRefusal(res: Response, reason: RefusalReason): void {
  res.locals.refusal = reason;
}

function platformOf(path: string): RefusalPlatform | undefined {
  if (path.startsWith('/slack/')) return 'slack';
  if (path === '/api/messages') return 'teams';
  if (path.startsWith('/webhooks/git')) return 'git';
  if (path === '/playground' || path.startsWith('/playground/')) return 'playground';
  return undefined;
}

/**
 * Every request: a request id (the caller's `X-Request-Id` when sane, else a new one) echoed back and bound
 * to a child logger; Slack and Teams answer times into their histograms; refusals (401 from Slack's
 * signature check or the Teams JWT check, or a platform's own mark) counted and logged, rate-limited.
 */
export function requestMiddleware(logger: Logger, metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction) => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    res.locals.requestId = requestId;
    const platform = platformOf(req.path);
    if (!platform) return next();
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = `${Math.floor(res.statusCode / 100)}xx`;
      if (platform === 'slack') metrics.slackAck.observe({ status }, seconds);
      if (platform === 'teams') metrics.teamsInvoke.observe({ status }, seconds);
      const reason = refusalOf(platform, res);
      if (reason) {
        metrics.refusal(platform, reason, {
          requestId,
          path: req.path,
          status: res.statusCode,
          remote: req.socket.remoteAddress,
          host: (req.headers.host ?? '').slice(0, 100),
        });
      }
    });
    next();
  };
}

function refusalOf(platform: RefusalPlatform, res: Response): RefusalReason | undefined {
  const marked = res.locals.refusal as RefusalReason | undefined;
  if (marked) return marked;
  if (res.statusCode !== 401) return undefined;
  if (platform === 'slack' || platform === 'git') return 'signature';
  if (platform === 'teams') return 'jwt';
  return undefined;
}
