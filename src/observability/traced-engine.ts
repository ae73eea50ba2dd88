import { SpanKind } from '@opentelemetry/api';
import { parseCommand } from '../core/commands';
import type { Engine, EngineJob } from '../core/engine-api';
import type { InboundEvent } from '../core/events';
import { decodeAction } from '../core/render/action-values';
import { attributes, inSpan, tracingOn } from './tracing';

/** Ids as the engine writes them; anything else (a typo, free text) is not put on a span. */
const SAFE_ID = /^[\w.:-]{1,64}$/;
const safe = (value: string | undefined) => (value !== undefined && SAFE_ID.test(value) ? value : undefined);

/**
 * The engine with a span around each call: `engine command review`, `engine action vote-approve`,
 * `engine job nudge`, `engine home`, `engine cards-changed`. Spans carry the platform, the command or
 * action name and the project or review id, never the command's text, reasons or people's names.
 */
export function traceEngine(engine: Engine): Engine {
  if (!tracingOn()) return engine;
  const span = <T>(
    name: string,
    values: Record<string, string | number | undefined>,
    work: () => Promise<T>,
  ) => inSpan(name, { kind: SpanKind.INTERNAL, attributes: attributes(values) }, () => work());
  const traced: Partial<Engine> = {
    handle: (event) => {
      const about = describe(event);
      return span(`engine ${event.type} ${about.name}`, about.attributes, () => engine.handle(event));
    },
    runJob: (job: EngineJob, dueAt?: Date) =>
      span(
        `engine job ${job.kind}`,
        { 'mltrl.job.kind': job.kind, 'mltrl.review.id': safe(job.reviewId) },
        () => engine.runJob(job, dueAt),
      ),
    home: (actor) => span('engine home', { 'mltrl.platform': actor.platform }, () => engine.home(actor)),
    cardsChanged: (files) =>
      span('engine cards-changed', { 'mltrl.cards.count': files.length }, () => engine.cardsChanged(files)),
  };
  // Everything else (optional methods, ones added later) passes through as it is.
  return new Proxy(engine, {
    get: (target, property) =>
      property in traced ? traced[property as keyof Engine] : Reflect.get(target, property),
  });
}

function describe(event: InboundEvent): {
  name: string;
  attributes: Record<string, string | number | undefined>;
} {
  const base = { 'mltrl.platform': event.actor.platform, 'mltrl.event.type': event.type };
  if (event.type === 'command') {
    // Parsing again costs microseconds and only happens with traces on; the parsed name and project id
    // are the only parts of what was typed that reach the span.
    const parsed = parseCommand(event.text);
    if (!parsed.ok) return { name: 'unparsed', attributes: { ...base, 'mltrl.command': 'unparsed' } };
    const { command } = parsed;
    const project = 'project' in command ? command.project : undefined;
    return {
      name: command.name,
      attributes: { ...base, 'mltrl.command': command.name, 'mltrl.project.id': safe(project) },
    };
  }
  const action = safe(event.actionId) ?? 'unknown';
  const value = decodeAction(event.value);
  return {
    name: action,
    attributes: {
      ...base,
      'mltrl.action': action,
      'mltrl.review.id': value && 'reviewId' in value ? safe(value.reviewId) : undefined,
      'mltrl.project.id': value?.kind === 'snooze' ? safe(value.projectId) : undefined,
    },
  };
}
