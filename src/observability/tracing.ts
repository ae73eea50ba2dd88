import {
  context,
  propagation,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { Logger } from '../logging/logger';

/**
 * Optional OpenTelemetry traces. On only when an OTLP endpoint is configured: then one NodeTracerProvider
 * per process (batching spans to the collector over OTLP/HTTP, JSON) is registered as the global one,
 * with the W3C trace-context propagator and an AsyncLocalStorage context manager. Off, nothing is
 * registered: the API stays its no-op self, and the hooks below check `tracingOn()` and do nothing at all
 * (no span objects, no wrappers, no trace field in job data).
 */
export interface TracingConfig {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;
  OTEL_SERVICE_NAME: string;
}

export interface Tracing {
  /** Flushes spans not yet sent, then unregisters (the last holder of a shared provider). */
  shutdown(): Promise<void>;
}

const TRACER_NAME = 'mltrl-bot';

let active: { provider: NodeTracerProvider; holders: number } | undefined;

/** Whether this process sends traces (a provider is registered). */
export function tracingOn(): boolean {
  return active !== undefined;
}

export function tracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/** The collector's traces URL: the per-signal variable as given, else `<endpoint>/v1/traces` (OTLP's rule). */
export function tracesUrl(config: TracingConfig): string | undefined {
  if (config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (!config.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  return `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
}

/**
 * Starts tracing when an endpoint is configured. Processes that build two apps (tests: a web and a worker
 * app side by side) share the first provider; it is shut down when the last of them stops.
 */
export function startTracing(config: TracingConfig, role: string, logger: Logger): Tracing {
  const url = tracesUrl(config);
  if (!url) return { shutdown: async () => undefined };
  if (!active) {
    const exporter = new OTLPTraceExporter({ url });
    const provider = new NodeTracerProvider({
      resource: resourceFromAttributes({
        'service.name': config.OTEL_SERVICE_NAME,
        'service.instance.id': `${process.pid}`,
        'mltrl.role': role,
      }),
      spanProcessors: [new BatchSpanProcessor(exporter)],
    });
    provider.register();
    active = { provider, holders: 0 };
    logger.info('tracing: sending spans over OTLP', { url, service: config.OTEL_SERVICE_NAME, role });
  }
  const held = active;
  held.holders += 1;
  let stopped = false;
  return {
    async shutdown() {
      if (stopped) return;
      stopped = true;
      held.holders -= 1;
      if (held.holders > 0) return;
      if (active === held) active = undefined;
      try {
        await held.provider.shutdown();
      } catch (error) {
        logger.warn('tracing: spans not flushed on shutdown', {
          error: error instanceof Error ? error.message : String(error),
        });
      }
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/**
 * Runs `work` inside a new active span: errors are recorded and rethrown, the span always ends. Callers
 * check `tracingOn()` first when the call is hot, so a process without traces pays nothing.
 */
export async function inSpan<T>(
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer().startActiveSpan(name, options, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Marks a span failed with the error's type and code (a platform's reason code, `ECONNRESET`, ...). Not
 * its message: messages can quote what people typed or a URL, and spans leave the process.
 */
export function failSpan(span: Span, error: unknown): void {
  const type = error instanceof Error ? error.name : typeof error;
  const fields = (error ?? {}) as { code?: unknown; reason?: unknown };
  const code = [fields.reason, fields.code].find(
    (value): value is string => typeof value === 'string' && /^[\w.:-]{1,64}$/.test(value),
  );
  span.setStatus({ code: SpanStatusCode.ERROR, message: code ? `${type}: ${code}` : type });
  span.setAttribute('error.type', code ?? type);
}

/** Attributes without the undefined ones (the API drops them too, with a warning). */
export function attributes(values: Record<string, string | number | boolean | undefined>): Attributes {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Attributes;
}
