import fc from 'fast-check';
import type { Card, CardError } from '../../src/core/card';
import { isCardError, parseCard, parseCardBuffer } from '../../src/cards';
import type { Flow } from '../../src/core/flow';
import { findGaps } from '../../src/core/gaps';
import { loadDefaultFlow } from '../../src/flows';

const ERROR_CODES = ['unreadable', 'not-a-card', 'no-level', 'bad-level', 'duplicate-id', 'too-large', 'binary'];

let flow: Flow;
beforeAll(() => {
  flow = loadDefaultFlow();
});

/** Only typed results: a well-formed Card, or a CardError with a known code and a sentence. */
function expectTyped(result: Card | CardError, gateTo?: number): void {
  if (isCardError(result)) {
    expect(ERROR_CODES).toContain(result.code);
    expect(result.message.length).toBeGreaterThan(10);
    expect(result.message).not.toContain('cards:error');
    return;
  }
  expect(result.projectId.length).toBeGreaterThan(0);
  expect(Number.isInteger(result.level) && result.level >= 0 && result.level <= 9).toBe(true);
  expect(result.revision).toMatch(/^[0-9a-f]{12}$/);
  expect(result.debrief).toHaveLength(4);
  for (const field of Object.values(result.fields)) expect(field!.line).toBeGreaterThanOrEqual(1);
  const report = findGaps(result, flow, { gateTo });
  expect(typeof report.ok).toBe('boolean');
  expect(report.ok).toBe(report.required.length === 0);
}

/** Pieces of real cards, shuffled with noise: reaches the table, level, people and debrief code paths. */
const fragment = fc.oneof(
  fc.constantFrom(
    '# MLTRL Card - X - level 3',
    '| Summary info | Content, links |',
    '|---|---|',
    '| --- | :-: | ---: |',
    '| Tech name (project ID) | Retina (R1) |',
    '| Tech name | (*name*) |',
    '| Owner(s) | Ana Lima, @sam, <@U1>, a@b.c |',
    '| Product reviewer | [Yarin](mailto:y@example.org) |',
    "| Req's, V&V docs | (*link*) |",
    '| Ethics checks? | WIP: pre-dev |',
    '| Flow | team |',
    '**TL;DR** - something',
    '### MLTRL stage debrief',
    '1. What was accomplished, and by who?',
    '4. What tech debt what gained? Mitigated?',
    '### Testing status',
    '## Intended use',
    'TODO',
    '[More Information Needed]',
    '<br>',
    '\\|',
    '```',
    '> quote',
    '',
  ),
  fc
    .tuple(fc.constantFrom('Current Level', 'level', 'CURRENT LEVEL'), fc.string({ maxLength: 12 }))
    .map(([label, value]) => `| ${label} | ${value} |`),
  fc.string({ maxLength: 40 }),
);

/** A card skeleton whose cells and sections hold arbitrary text: most inputs are cards, with odd content. */
const oddCard = fc
  .record({
    level: fc.oneof(fc.integer({ min: -2, max: 12 }).map(String), fc.string({ maxLength: 8 })),
    cells: fc.array(fc.tuple(fc.constantFrom('Owner(s)', 'Reviewer(s)', 'Code repo & docs', 'Ethics checks?', 'Flow', 'Links to prior level cards', 'Odd row'), fc.string({ maxLength: 60 })), { maxLength: 12 }),
    sections: fc.array(fc.tuple(fc.constantFrom('#', '##', '###', '####'), fc.constantFrom('Testing status', 'Intended use', 'MLTRL stage debrief', 'Notes'), fc.array(fragment, { maxLength: 8 })), { maxLength: 8 }),
  })
  .map(({ level, cells, sections }) =>
    [
      '# MLTRL Card',
      '| Summary | Content |',
      '|---|---|',
      '| Tech name (project ID) | Odd (O1) |',
      `| Current Level | ${level.replace(/[|\n]/g, ' ')} |`,
      ...cells.map(([label, value]) => `| ${label} | ${value.replace(/\n/g, ' ')} |`),
      '',
      ...sections.flatMap(([hashes, label, body]) => [`${hashes} ${label}`, ...body]),
    ].join('\n'),
  );

describe('parseCard on arbitrary input', () => {
  test('arbitrary markdown-ish text gives only typed results', () => {
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 40 }), fc.option(fc.integer({ min: -1, max: 12 })), (parts, gate) => {
        expectTyped(parseCard(parts.join('\n'), 'p.md'), gate ?? undefined);
      }),
      { numRuns: 400 },
    );
  });

  test('cards with arbitrary cell and section content give only typed results', () => {
    let cards = 0;
    fc.assert(
      fc.property(oddCard, fc.option(fc.integer({ min: 0, max: 10 })), (text, gate) => {
        const result = parseCard(text, 'p.md');
        if (!isCardError(result)) cards++;
        expectTyped(result, gate ?? undefined);
      }),
      { numRuns: 400 },
    );
    expect(cards).toBeGreaterThan(100); // the property reaches the gap checker, not only the error paths
  });

  test('arbitrary unicode strings give only typed results', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 500 }), (text) => expectTyped(parseCard(text, 'p.md'))),
      { numRuns: 300 },
    );
  });

  test('arbitrary bytes give only typed results', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => expectTyped(parseCardBuffer(Buffer.from(bytes), 'p.md'))),
      { numRuns: 300 },
    );
  });
});
