import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Card, CardError } from '../../src/core/card';
import { isCardError, parseCard, parseOptionsFor } from '../../src/cards';
import { parseTechName } from '../../src/cards/tech-name';
import { createFlowSource, loadDefaultFlow, parseFlowText } from '../../src/flows';

const DEFAULT_PLACEHOLDERS = loadDefaultFlow().placeholders;

const form = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'cards', 'forms', name), 'utf8');

function asCard(result: Card | CardError): Card {
  if (isCardError(result)) throw new Error(`expected a card, got ${result.code}: ${result.message}`);
  return result;
}

describe('every public card form parses to the right ID and level', () => {
  test.each([
    ['footnote-reference.md', 'H04.2', 'Hull crack segmenter', 4, '(*link to prior level cards*)'],
    ['bold-name.md', 'H04.2', 'Hull crack segmenter', 4, undefined],
    ['linked-name.md', 'H04.2', 'Hull crack segmenter', 4, undefined],
    ['trailing-note.md', 'H04.2', 'Hull crack segmenter', 4, '[level 3 card](./hull-level-3.md)'],
    ['linked-id.md', 'H04.2', 'Hull crack segmenter', 4, 'https://wiki.example.org/hull/level-3'],
    ['underscore-id.md', 'HULL_04_2.1', 'Hull crack segmenter', 4, undefined],
  ])('%s -> %s', (file, projectId, name, level, priorCards) => {
    const card = asCard(parseCard(form(file), file));
    expect([card.projectId, card.name, card.level]).toEqual([projectId, name, level]);
    expect(card.fields['prior-cards']?.text).toBe(priorCards);
  });

  test('footnote definitions are kept as notes, not read as sections, rows or section text', () => {
    const card = asCard(parseCard(form('footnote-reference.md'), 'f.md'));
    expect(card.extras).toEqual([
      {
        kind: 'note',
        label: '^1',
        text: 'Our IDs: H for hull projects, 04 for the team index, 2 for the version.\nA second line of the same note.',
        line: 12,
      },
      { kind: 'note', label: '^ci', text: 'Coverage is measured on the segmentation head only.', line: 21 },
    ]);
    expect(card.fields['testing-status']).toMatchObject({ text: 'Unit tests in CI.[^ci]', line: 17 });
    expect(card.fields.tldr).toMatchObject({ line: 15 });
  });

  test('a footnote-like line inside a code block stays where it is', () => {
    const text = `${form('bold-name.md')}\n\`\`\`\n[^1]: not a note\n\`\`\`\n`;
    const card = asCard(parseCard(text, 'x.md'));
    expect(card.extras).toEqual([]);
    expect(card.fields['testing-status']?.text).toContain('[^1]: not a note');
  });

  test.each([
    ['3', 3, undefined],
    ['Level 4', 4, undefined],
    ['level: 4', 4, undefined],
    ['MLTRL level 4', 4, undefined],
    ['L4', 4, undefined],
    ['4 - PoC', 4, undefined],
    ['4 (PoC)', 4, undefined],
    ['4 (*PoC*)', 4, undefined],
    ['4[^2]', 4, undefined],
    ['4 (*link to prior level cards*)', 4, '(*link to prior level cards*)'],
    ['Level 5 - capability ([L4](l4.md), [L3](l3.md))', 5, '[L4](l4.md), [L3](l3.md)'],
    ['5 (see ./cards/f05-level-4.md)', 5, './cards/f05-level-4.md'],
  ])('level cell %j -> level %d, prior cards %j', (cell, level, priorCards) => {
    const text = `# MLTRL card\n\n| a | b |\n|---|---|\n| Tech name | X (X1) |\n| Current Level | ${cell} |\n`;
    const card = asCard(parseCard(text, 'x.md'));
    expect(card.level).toBe(level);
    expect(card.fields['prior-cards']?.text).toBe(priorCards);
  });
});

describe('parseTechName keeps a well-formed ID whatever decorates it', () => {
  const id = fc
    .tuple(
      fc.stringMatching(/^[A-Z]{1,3}$/),
      fc.integer({ min: 0, max: 99 }),
      fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
      fc.constantFrom('', '_A', '-b'),
    )
    .map(([prefix, major, minor, suffix]) => `${prefix}${String(major).padStart(2, '0')}${minor === undefined ? '' : `.${minor}`}${suffix}`);
  const name = fc.stringMatching(/^[A-Z][a-z]{2,8}( [a-z]{2,8}){0,3}$/);
  const nameForm = fc.constantFrom(
    (n: string) => n,
    (n: string) => `**${n}**`,
    (n: string) => `*${n}*`,
    (n: string) => `_${n}_`,
    (n: string) => `\`${n}\``,
    (n: string) => `[${n}](https://wiki.example.org/x)`,
    (n: string) => `[**${n}**](./x.md)`,
  );
  const idForm = fc.constantFrom(
    (i: string) => `(${i})`,
    (i: string) => `([${i}](https://wiki.example.org/${i}))`,
    (i: string) => `(\`${i}\`)`,
    (i: string) => `( ${i} )`,
  );
  const after = fc.constantFrom('', '[^1]', '[^note]', ' - renamed in May', ' (deprecated)', ' *beta*', ' <br> see wiki', ' [wiki](https://x.example.org)', '[^1] (v2 planned)');

  test('name, ID and trailing decoration in any combination', () => {
    fc.assert(
      fc.property(name, id, nameForm, idForm, after, (n, i, decorateName, decorateId, trailing) => {
        const parsed = parseTechName(`${decorateName(n)} ${decorateId(i)}${trailing}`, DEFAULT_PLACEHOLDERS);
        expect(parsed).toEqual({ name: n, projectId: i });
      }),
      { numRuns: 500 },
    );
  });
});

describe("each card is read with its own flow's placeholder rules", () => {
  test('a team flow that counts "TBC" as template text reads its cards that way; other cards do not', () => {
    const text = readFileSync(join(__dirname, '..', '..', 'flows', 'mltrl.yaml'), 'utf8');
    const defaultFlow = parseFlowText(text, 'mltrl.yaml');
    const team = parseFlowText(
      text.replace('name: mltrl', 'name: team').replace('placeholders:\n', () => "placeholders:\n  - '^TBC$'\n"),
      'team.yaml',
    );
    const options = parseOptionsFor(createFlowSource([defaultFlow, team], defaultFlow));
    const card = (flowRow: string) =>
      asCard(
        parseCard(
          `# MLTRL card\n\n| a | b |\n|---|---|\n| Tech name | T (T1) |\n| Current Level | 2 |\n| Owner(s) | TBC |\n${flowRow}`,
          't.md',
          options,
        ),
      );
    expect(card('| Flow | team |').owners).toEqual([]);
    expect(card('').owners.map((person) => person.text)).toEqual(['TBC']);
  });
});
