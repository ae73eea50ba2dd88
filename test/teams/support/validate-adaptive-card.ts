/**
 * Validates a card with the official Adaptive Cards JavaScript library (`adaptivecards`, its prebuilt
 * bundle runs in node without a DOM): parse errors and warnings at version 1.5, the library's own property
 * validation, and a round trip: a property the library did not understand is dropped from its `toJSON()`,
 * so everything we wrote must come back (except host-specific `msteams` and action `fallback`s, which are
 * validated on their own).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js');

type Json = Record<string, unknown>;
const HOST_KEYS = new Set(['msteams', 'fallback', '$schema']);

export function validateAdaptiveCard(card: Json): string[] {
  const problems: string[] = [];
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  context.targetVersion = AC.Versions.v1_5;
  parsed.parse(card, context);
  for (let index = 0; index < context.eventCount; index++)
    problems.push(`parse: ${context.getEventAt(index).message}`);
  for (const event of parsed.validateProperties().validationEvents)
    problems.push(`validate: ${event.message}`);
  const back = parsed.toJSON() as Json;
  problems.push(...missingAfterRoundTrip(card, back, 'card'));
  for (const fallback of collectFallbacks(card)) {
    problems.push(
      ...validateAdaptiveCard({
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'TextBlock', text: 'fallback' }],
        actions: [fallback],
      }).map((p) => `fallback: ${p}`),
    );
  }
  if (card.version !== '1.5') problems.push(`version is ${String(card.version)}, expected 1.5`);
  return problems;
}

function missingAfterRoundTrip(input: unknown, output: unknown, path: string): string[] {
  if (Array.isArray(input)) {
    if (!Array.isArray(output) || output.length !== input.length)
      return [`${path}: list changed in the round trip`];
    return input.flatMap((item, index) => missingAfterRoundTrip(item, output[index], `${path}[${index}]`));
  }
  if (input && typeof input === 'object') {
    if (!output || typeof output !== 'object') return [`${path}: dropped`];
    return Object.entries(input as Json).flatMap(([key, value]) => {
      if (HOST_KEYS.has(key)) return [];
      if (!(key in (output as Json)))
        return isLibraryDefault(key, value) ? [] : [`${path}.${key}: not understood (dropped)`];
      return missingAfterRoundTrip(value, (output as Json)[key], `${path}.${key}`);
    });
  }
  return input === output || String(input) === String(output)
    ? []
    : [`${path}: ${String(input)} became ${String(output)}`];
}

/** Values the library leaves out of toJSON() because they are the defaults. */
function isLibraryDefault(key: string, value: unknown): boolean {
  return (
    (key === 'style' && value === 'compact') ||
    (key === 'isMultiline' && value === false) ||
    (key === 'spacing' && value === 'Default')
  );
}

function collectFallbacks(value: unknown): Json[] {
  if (Array.isArray(value)) return value.flatMap(collectFallbacks);
  if (!value || typeof value !== 'object') return [];
  const object = value as Json;
  const own = object.fallback && typeof object.fallback === 'object' ? [object.fallback as Json] : [];
  return [
    ...own,
    ...Object.entries(object)
      .filter(([key]) => key !== 'fallback')
      .flatMap(([, child]) => collectFallbacks(child)),
  ];
}
