import type { NextFunction, Request, Response } from 'express';
import type { Translate } from '../../core/ports';
import { markRefusal } from '../../observability/request-middleware';
import { isLoopbackHost } from './loopback';

/**
 * Refuses requests whose Host header is not a loopback name. Listening on 127.0.0.1 alone does not stop a
 * web page elsewhere from reaching the playground through DNS rebinding (its own name resolving to
 * 127.0.0.1); the Host header gives that away. Off when PLAYGROUND_PUBLIC=true.
 */
export function loopbackHostOnly(t: Translate) {
  return (req: Request, res: Response, next: NextFunction) => {
    const host = hostnameOf(req.headers.host ?? '');
    if (isLoopbackHost(host)) {
      next();
      return;
    }
    // Counted and logged (rate-limited) by the shared request middleware.
    markRefusal(res, 'host');
    res
      .status(403)
      .json({ error: { code: 'forbidden-host', message: t('playground:errors.forbidden-host', { host }) } });
  };
}

/** "127.0.0.1:3000" -> "127.0.0.1", "[::1]:3000" -> "::1". */
function hostnameOf(header: string): string {
  const value = header.trim();
  if (value.startsWith('[')) return value.slice(1, value.indexOf(']'));
  const colon = value.lastIndexOf(':');
  return colon > 0 && value.indexOf(':') === colon ? value.slice(0, colon) : value;
}
