import { SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import type { FetchFunction } from '@slack/web-api';
import { failSpan, inSpan, tracingOn } from './tracing';

/**
 * CLIENT spans for calls to a platform: each Slack Web API call (through the SDK's fetch), each Bot
 * Connector operation (through the connector client), each ChatPort operation of the delivery worker.
 * Only names, status codes and the platform's reason codes are recorded: never bodies, URLs with
 * tokens in them (Slack's response_url) or headers.
 */

/**
 * The Slack SDK's fetch with a span per call, named by the Web API method (`slack chat.postMessage`);
 * response_url calls are `slack response_url`. Slack answers most refusals with 200 and `ok: false`: the
 * span carries Slack's `error` code and is marked failed.
 */
export function traceSlackFetch(fetch: FetchFunction): FetchFunction {
  if (!tracingOn()) return fetch;
  return (input, init) => {
    const url = new URL(String(input));
    const method = /\/api\/([\w.]+)$/.exec(url.pathname)?.[1] ?? 'response_url';
    return inSpan(
      `slack ${method}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'mltrl.platform': 'slack',
          'mltrl.platform.operation': method,
          'http.request.method': init?.method ?? 'GET',
          'server.address': url.hostname,
        },
      },
      async (span) => {
        const response = await fetch(input, init);
        span.setAttribute('http.response.status_code', response.status);
        if (response.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
        const slackError = await slackErrorOf(response);
        if (slackError) {
          span.setAttribute('mltrl.slack.error', slackError);
          span.setStatus({ code: SpanStatusCode.ERROR, message: slackError });
        }
        return response;
      },
    );
  };
}

/** Slack's `error` code of an `ok: false` answer, read from a copy (the SDK reads the body itself). */
async function slackErrorOf(response: Awaited<ReturnType<FetchFunction>>): Promise<string | undefined> {
  const copy = (response as Partial<Pick<Response, 'clone'>>).clone;
  if (typeof copy !== 'function' || !(response.headers.get('content-type') ?? '').includes('json'))
    return undefined;
  try {
    const body = (await copy.call(response).json()) as { ok?: boolean; error?: unknown };
    if (body.ok !== false) return undefined;
    return typeof body.error === 'string' && /^[\w.:-]{1,64}$/.test(body.error) ? body.error : 'error';
  } catch {
    return undefined;
  }
}

/**
 * `target` with a span around each call of the named methods (`<platform> <method>`), the rest untouched.
 * A rejected call's HTTP status (an SDK error's `status` or `response.status`) goes on the span.
 */
export function traceMethods<T extends object>(
  target: T,
  platform: string,
  methods: readonly string[],
  extra: Attributes = {},
): T {
  if (!tracingOn()) return target;
  const names = new Set(methods);
  return new Proxy(target, {
    get(object, property) {
      const value = Reflect.get(object, property) as unknown;
      if (typeof property !== 'string' || !names.has(property) || typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        inSpan(
          `${platform} ${property}`,
          {
            kind: SpanKind.CLIENT,
            attributes: { 'mltrl.platform': platform, 'mltrl.platform.operation': property, ...extra },
          },
          async (span) => {
            try {
              return await (value as (...a: unknown[]) => Promise<unknown>).apply(object, args);
            } catch (error) {
              const status = statusOf(error);
              if (status !== undefined) span.setAttribute('http.response.status_code', status);
              failSpan(span, error);
              throw error;
            }
          },
        );
    },
  });
}

function statusOf(error: unknown): number | undefined {
  const fields = (error ?? {}) as { status?: unknown; statusCode?: unknown; response?: { status?: unknown } };
  const status = fields.status ?? fields.statusCode ?? fields.response?.status;
  return typeof status === 'number' ? status : undefined;
}
