import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Card, CardError } from '../../src/core/card';
import { isCardError, parseCard } from '../../src/cards';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'cards', name), 'utf8');

function asCard(result: Card | CardError): Card {
  if (isCardError(result)) throw new Error(`expected a card, got ${result.code}: ${result.message}`);
  return result;
}

function asError(result: Card | CardError): CardError {
  if (!isCardError(result)) throw new Error(`expected an error, got card ${result.projectId}`);
  return result;
}

describe('parseCard on a template-shaped card', () => {
  const card = asCard(parseCard(fixture('template-like.md'), 'template-like.md'));

  test('reads the project, level and title', () => {
    expect(card.projectId).toBe('R07.2');
    expect(card.name).toBe('Retina lesion detector');
    expect(card.level).toBe(3);
    expect(card.title).toBe('MLTRL Card - Retina lesion detector - level 3');
    expect(card.titleLine).toBe(1);
    expect(card.flowName).toBe('mltrl');
  });

  test('splits people cells by the way each person is written', () => {
    expect(card.owners).toEqual([
      { text: 'Ana Lima', kind: 'name', name: 'Ana Lima' },
      { text: '@sam', kind: 'handle', handle: 'sam' },
    ]);
    expect(card.reviewers).toEqual([
      { text: 'Priya Nair <priya@example.org>', kind: 'email', email: 'priya@example.org', name: 'Priya Nair' },
      { text: '<@U123ABC>', kind: 'platform-id', platformId: 'U123ABC' },
    ]);
  });

  test('puts rows and sections under their keys with source lines', () => {
    expect(card.fields['requirements-docs']).toMatchObject({ label: "Req's, V&V docs", line: 10 });
    expect(card.fields['code-repo']?.text).toBe('https://git.example.org/ml/retina');
    expect(card.fields['coupled-components']?.text).toBe('R03.1  | R04');
    expect(card.fields['testing-status']).toMatchObject({ text: 'TODO', line: 23 });
    expect(card.fields['model-info']).toMatchObject({ text: '', line: 21 });
    expect(card.fields.tldr).toMatchObject({ text: 'A convolutional detector for ...', line: 16 });
    expect(card.fields['prior-cards']).toMatchObject({ text: '(*link to prior level cards*)', line: 6 });
  });

  test('reads the four debrief questions, answered or not', () => {
    expect(card.debrief.map((q) => [q.number, q.answered, q.line])).toEqual([
      [1, true, 28],
      [2, true, 29],
      [3, false, 31],
      [4, false, 32],
    ]);
    expect(card.debrief[0].answer).toBe('Ana built it.');
  });

  test('revisions are 12 hex characters and follow the content', () => {
    expect(card.revision).toMatch(/^[0-9a-f]{12}$/);
    const changed = asCard(parseCard(fixture('template-like.md').replace('TODO', 'All green'), 'x.md'));
    expect(changed.revision).not.toBe(card.revision);
    expect(changed.fieldRevisions['testing-status']).not.toBe(card.fieldRevisions['testing-status']);
    expect(changed.fieldRevisions['code-repo']).toBe(card.fieldRevisions['code-repo']);
  });
});

describe('parseCard tolerance', () => {
  const variant = [
    '## mltrl card: Fraud scorer',
    '',
    '| Field | Value |',
    '|---|---|',
    '| CURRENT LEVEL | **5** ([level 4 card](./fraud-4.md)) |',
    '| Technology name | Fraud scorer |',
    '| R&D owner | Ana Lima |',
    '| Product owner | [Sam](mailto:sam@example.org) |',
    '| R&D reviewer | Li Wei |',
    '| Product Reviewer | @yarin |',
    "| Reqs & V&V Docs | https://docs.example.org/fraud |",
    '| Risk appetite | low |',
    '',
    'TLDR: scores card payments for fraud.',
    '',
    '# Testing Status',
    'Unit tests pass.',
    '#### testing status',
    'duplicate',
    '## Notes',
    'kept as an extra',
  ].join('\n');
  const card = asCard(parseCard(variant, 'cards/fraud.md'));

  test('labels match whatever their case, punctuation and heading level', () => {
    expect(card.level).toBe(5);
    expect(card.projectId).toBe('fraud-scorer');
    expect(card.fields['requirements-docs']?.text).toBe('https://docs.example.org/fraud');
    expect(card.fields['testing-status']?.text).toBe('Unit tests pass.');
    expect(card.fields.tldr?.text).toBe('scores card payments for fraud.');
    expect(card.fields['prior-cards']?.text).toBe('[level 4 card](./fraud-4.md)');
  });

  test('split owner and reviewer rows keep their role', () => {
    expect(card.owners.map((p) => [p.role, p.kind, p.name ?? p.handle])).toEqual([
      ['rnd', 'name', 'Ana Lima'],
      ['product', 'email', 'Sam'],
    ]);
    expect(card.reviewers.map((p) => p.role)).toEqual(['rnd', 'product']);
  });

  test('unknown rows, repeated and unknown sections are kept as extras', () => {
    expect(card.extras.map((extra) => [extra.kind, extra.label])).toEqual([
      ['row', 'Risk appetite'],
      ['section', 'testing status'],
      ['section', 'Notes'],
    ]);
  });
});

describe('reviewer groups in a card', () => {
  test('a Slack user group (pipe escaped or not) and a Teams tag are groups, not e-mails or names', () => {
    const text = (cell: string) =>
      ['# MLTRL Card - G - level 3', '', '| Summary info | Content |', '|---|---|', '| Tech name (project ID) | G (G1) |',
        '| Current Level | 3 |', `| Reviewer(s) | ${cell} |`].join('\n');
    for (const cell of ['<!subteam^S0123|@ml-board>', '<!subteam^S0123\\|@ml-board>']) {
      expect(asCard(parseCard(text(cell), 'g.md')).reviewers).toEqual([
        { text: '<!subteam^S0123|@ml-board>', kind: 'group', group: { platform: 'slack', id: 'S0123', name: 'ml-board' } },
      ]);
    }
    expect(asCard(parseCard(text('<at>ML Board</at>, <@U0456|li>'), 'g.md')).reviewers).toEqual([
      { text: '<at>ML Board</at>', kind: 'group', group: { platform: 'teams', name: 'ML Board' } },
      { text: '<@U0456|li>', kind: 'platform-id', platformId: 'U0456', name: 'li' },
    ]);
  });
});

describe('parseCard errors', () => {
  const card = (level: string) =>
    `# MLTRL card\n\n| a | b |\n|---|---|\n| Tech name (project ID) | X (X1) |\n| Current Level | ${level} |\n`;

  test.each([['-1'], ['10'], ['eleven'], ['3.5']])('level %s is a bad level on its line', (level) => {
    const error = asError(parseCard(card(level), 'x.md'));
    expect(error).toMatchObject({ code: 'bad-level', line: 6, file: 'x.md' });
    expect(error.message).toContain(`"${level}"`);
  });

  test.each([[''], ['TBD'], ['(*level*)']])('level cell %j gives no-level', (level) => {
    expect(asError(parseCard(card(level), 'x.md')).code).toBe('no-level');
  });

  test('level words zero to nine are read', () => {
    expect(asCard(parseCard(card('four'), 'x.md')).level).toBe(4);
  });

  test('markdown without a summary table is not a card', () => {
    expect(asError(parseCard('# README\n\nSome words.\n', 'README.md')).code).toBe('not-a-card');
    expect(asError(parseCard('', 'empty.md')).code).toBe('not-a-card');
  });

  test('binary and oversized text are refused with their own codes', () => {
    expect(asError(parseCard('abc\u0000def', 'x.md')).code).toBe('binary');
    expect(asError(parseCard('x'.repeat(5 * 1024 * 1024), 'x.md')).code).toBe('too-large');
  });
});

describe('debrief layouts', () => {
  const card = (debrief: string) =>
    asCard(
      parseCard(
        `# MLTRL card\n\n| a | b |\n|---|---|\n| Tech name | D (D1) |\n| Current Level | 2 |\n\n### MLTRL stage debrief\n${debrief}`,
        'd.md',
      ),
    );

  test('bold questions with answers on the same line', () => {
    const questions = card(
      [
        '**What was accomplished, and by whom?** Ana shipped the loader.',
        '**What was punted and/or de-scoped?** n/a',
        '**What was learned?**',
        '**What tech debt was gained? Mitigated?** none',
      ].join('\n'),
    ).debrief;
    expect(questions.map((q) => [q.answer, q.answered])).toEqual([
      ['Ana shipped the loader.', true],
      ['n/a', true],
      ['', false],
      ['none', true],
    ]);
    expect(questions[3].question).toBe('What tech debt was gained? Mitigated?');
  });

  test('questions as sub-headings; missing questions point at the section', () => {
    const questions = card('#### What was accomplished?\nA lot.\n\n#### What was learned?\n\nTBD\n').debrief;
    expect(questions.map((q) => [q.number, q.question, q.answered, q.line])).toEqual([
      [1, 'What was accomplished?', true, 9],
      [2, 'What was punted and/or de-scoped?', false, 8],
      [3, 'What was learned?', false, 12],
      [4, 'What tech debt was gained? Mitigated?', false, 8],
    ]);
  });
});

describe('revisions computed on demand', () => {
  test('JSON, spreads and assignment see revision and fieldRevisions like plain properties', () => {
    const card = asCard(parseCard(fixture('template-like.md'), 'x.md'));
    const json = JSON.parse(JSON.stringify(card));
    expect(json.revision).toBe(card.revision);
    expect(json.fieldRevisions['testing-status']).toBe(card.fieldRevisions['testing-status']);
    const copy = { ...card };
    expect(Object.getOwnPropertyDescriptor(copy, 'revision')?.value).toBe(card.revision);
    card.revision = 'abcdefabcdef';
    card.fieldRevisions = {};
    expect(card.revision).toBe('abcdefabcdef');
    expect(card.fieldRevisions).toEqual({});
  });

  test('the revision is the first 12 hex characters of the SHA-256 of the text', () => {
    const text = fixture('template-like.md');
    expect(asCard(parseCard(text, 'x.md')).revision).toBe(createHash('sha256').update(text).digest('hex').slice(0, 12));
  });
});
