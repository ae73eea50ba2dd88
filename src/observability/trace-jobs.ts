import { context, propagation, SpanKind, trace, type Context, type Link } from '@opentelemetry/api';
import { DelayedError, type Job } from 'bullmq';
import { attributes, failSpan, inSpan, tracer, tracingOn } from './tracing';

/**
 * Traces across the queue. Where jobs are added, the enqueuing span's W3C trace context (`traceparent`,
 * `tracestate`) goes into each job's data as `trace`; the worker reads it back and starts the job's span
 * under it (or linked to it), so a command's trace runs from the HTTP request through the engine and the
 * queue to the platform call. Without tracing no field is added and workers run jobs unwrapped.
 */
export type TraceCarrier = Record<string, string>;

/** Job data that may carry the enqueuing trace context. */
export interface Traced {
  trace?: TraceCarrier;
}

/**
 * Wraps the adding of `count` jobs to `queue` in a PRODUCER span and hands `add` the carrier to put in
 * each job's data (undefined when tracing is off: add nothing).
 */
export async function enqueueTraced<T>(
  queue: string,
  count: number,
  add: (carrier: TraceCarrier | undefined) => Promise<T>,
): Promise<T> {
  if (!tracingOn()) return add(undefined);
  return inSpan(
    `send ${queue}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'bullmq',
        'messaging.operation.type': 'send',
        'messaging.destination.name': queue,
        'messaging.batch.message_count': count,
      },
    },
    async () => {
      const carrier: TraceCarrier = {};
      propagation.inject(context.active(), carrier);
      return add(Object.keys(carrier).length ? carrier : undefined);
    },
  );
}

/** `data` with the carrier in it, or `data` itself when there is none. */
export function withTrace<D extends object>(data: D, carrier: TraceCarrier | undefined): D & Traced {
  return carrier ? { ...data, trace: carrier } : data;
}

/**
 * How a job's span relates to the span that enqueued it: `child` (same trace: deliveries, which run
 * within moments) or `link` (a new trace pointing back: engine jobs due days later, which would
 * otherwise stretch the command's trace over days).
 */
export type JobRelation = 'child' | 'link';

/**
 * Runs a worker's processor inside a CONSUMER span for the job: queue, job name and id, attempt, and the
 * outcome string the processor returns. A job moved back to the delayed set (waiting for its turn) is not
 * a failure.
 */
export function traceJob<D extends object, R>(
  queue: string,
  relation: JobRelation,
  process: (job: Job<D>, token?: string) => Promise<R>,
): (job: Job<D>, token?: string) => Promise<R> {
  if (!tracingOn()) return process;
  return (job, token) => {
    const carrier = (job.data as Traced | undefined)?.trace;
    const enqueued: Context | undefined = carrier
      ? propagation.extract(context.active(), carrier)
      : undefined;
    const from = enqueued ? trace.getSpanContext(enqueued) : undefined;
    const parent = relation === 'child' && enqueued ? enqueued : context.active();
    const links: Link[] = relation === 'link' && from ? [{ context: from }] : [];
    const options = {
      kind: SpanKind.CONSUMER,
      links,
      attributes: attributes({
        'messaging.system': 'bullmq',
        'messaging.operation.type': 'process',
        'messaging.destination.name': queue,
        'messaging.message.id': job.id,
        'mltrl.job.name': job.name,
        'mltrl.job.attempt': job.attemptsMade + 1,
      }),
    };
    return context.with(parent, () =>
      tracer().startActiveSpan(`process ${queue}`, options, async (span) => {
        try {
          const result = await process(job, token);
          if (typeof result === 'string') span.setAttribute('mltrl.job.outcome', outcomeOf(result));
          return result;
        } catch (error) {
          if (error instanceof DelayedError) span.setAttribute('mltrl.job.outcome', 'delayed');
          else failSpan(span, error);
          throw error;
        } finally {
          span.end();
        }
      }),
    );
  };
}

/** The outcome's words, without the ids some outcomes end with (`posted 1712.0001`). */
function outcomeOf(result: string): string {
  return result.replace(/\s+\S*\d\S*$/, '').slice(0, 60);
}
