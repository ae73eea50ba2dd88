import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { tracer } from './tracing';

/** The routes worth a span: platform endpoints, the playground API, git webhooks, the portfolio page. */
const TRACED = /^\/(slack\/|api\/messages$|playground\/api\/|webhooks\/git|portfolio$)/;
/** Long-lived streams (the playground's live updates) would be one span lasting hours. */
const UNTRACED = /^\/playground\/api\/events$/;

/**
 * One SERVER span per inbound platform request (`POST /slack/events`, `POST /api/messages`,
 * `POST /playground/api/conversations/:id/commands`), named by its route pattern so names stay few, with
 * the status code. The span is the active context for everything the request leads to, including work
 * after the answer (Slack is acknowledged first) and jobs it enqueues. A caller's `traceparent` header
 * (an ingress that traces) makes it a child of the caller's span.
 */
export function traceRequests() {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!TRACED.test(req.path) || UNTRACED.test(req.path)) return next();
    const parent = propagation.extract(context.active(), req.headers);
    const path = routeSafePath(req.path);
    const span = tracer().startSpan(
      `${req.method} ${path}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': path } },
      parent,
    );
    const active = trace.setSpan(parent, span);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : undefined;
      if (route) {
        span.updateName(`${req.method} ${route}`);
        span.setAttribute('http.route', route);
      }
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      if (!res.writableFinished) span.setAttribute('mltrl.http.aborted', true);
      span.end();
    };
    res.once('finish', end);
    res.once('close', end);
    // Body parsers and SDKs read the request through stream events, which would otherwise run in the
    // server's context: bound here, their callbacks (and what they start) stay under this span.
    context.bind(active, req);
    context.bind(active, res);
    context.with(active, next);
  };
}

/** A path with the ids of the playground API's routes left out, for the span name before routing. */
function routeSafePath(path: string): string {
  return path.replace(/^(\/playground\/api\/(?:conversations|messages)\/)[^/]+/, '$1:id');
}
