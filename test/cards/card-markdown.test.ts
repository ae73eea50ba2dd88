import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createCardMarkdown, stockBlockMarkdown } from '../../src/cards/markdown';
import { generateCard } from '../../bench/generate-card';

/**
 * The card parser makes markdown-it's block tokens with plain assignments (src/cards/markdown.ts). Its
 * token stream must be the stock parser's, field for field, on every kind of block a card may hold.
 */
const REPO = join(__dirname, '..', '..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

const EVERY_BLOCK = [
  '# Title',
  '',
  '| Summary info | Content |',
  '| :--- | ---: |',
  '| Tech name (project ID) | Retina (R07.2) |',
  '| Owner(s) | Ana \\| Sam |',
  '',
  'Title underlined',
  '================',
  '',
  '> quoted',
  '> - list in a quote',
  '',
  '1. first',
  '2. second',
  '   - nested',
  '',
  '- [ ] task',
  '',
  '```yaml',
  '# not a heading',
  '```',
  '',
  '    indented code',
  '',
  '---',
  '',
  '[ref]: https://example.org "title"',
  '',
  '<div>html stays text with html off</div>',
  '',
  '**TL;DR** - a paragraph',
].join('\n');

/** Line shapes the tuned state finds its own way (indentation, tabs, blank and space-only lines, the end). */
const EDGES: Array<[string, string]> = [
  ['tabs and spaces before text', '# T\n\n\t- tab\n  \t- mixed\n \t \tcode?\n    four\n'],
  ['space-only lines between blocks', '# T\n   \npara\n\t\n\n| a | b |\n| - | - |\n| 1 | 2 |'],
  ['a last line of spaces only', '# T\n\ntext\n   '],
  ['a last line without a line break', '# T\n\ntext'],
  ['CR LF, a lone CR and a NUL', '# T\r\n\r\n| a | b |\r| - | - |\n| 1\u0000 | 2 |\r\n'],
  ['only blank lines before the text', '\n\n  \n# T'],
];

const plain = (tokens: unknown) => JSON.parse(JSON.stringify(tokens)) as unknown;

describe('the card markdown parser', () => {
  const tuned = createCardMarkdown();
  const stock = stockBlockMarkdown();
  const texts: Array<[string, string]> = [
    ['every block kind', EVERY_BLOCK],
    ...EDGES,
    ...markdownFiles(join(REPO, 'cards')).map((file): [string, string] => [file, readFileSync(file, 'utf8')]),
    ...markdownFiles(join(REPO, 'test', 'fixtures')).map((file): [string, string] => [file, readFileSync(file, 'utf8')]),
    ...[0, 1, 7, 42, 99].map((index): [string, string] => [`generated card ${index}`, generateCard(index)]),
  ];

  test.each(texts)('gives the stock token stream for %s', (_name, text) => {
    const expected = stock.parse(text, {});
    const actual = tuned.parse(text, {});
    expect(actual.length).toBeGreaterThan(0);
    expect(plain(actual)).toEqual(plain(expected));
    // Same fields in the same order, so code that walks or serialises tokens sees no difference.
    expect(actual.map((token) => Object.keys(token).join())).toEqual(expected.map((token) => Object.keys(token).join()));
  });

  test.each(texts)('marks the lines as the stock block state does for %s', (_name, text) => {
    const marks = (md: typeof stock) => {
      const state = new md.block.State(text.replace(/\r\n?/g, '\n'), md, {}, []);
      const { bMarks, eMarks, tShift, sCount, bsCount, lineMax } = state;
      return { bMarks, eMarks, tShift, sCount, bsCount, lineMax, keys: Object.keys(state).join() };
    };
    expect(marks(tuned)).toEqual(marks(stock));
  });

  test('its tokens are markdown-it Tokens, with their methods', () => {
    const [stockToken] = stock.parse('| a | b |\n| :- | - |\n| 1 | 2 |', {});
    const tokens = tuned.parse('| a | b |\n| :- | - |\n| 1 | 2 |', {});
    expect(tokens[0]).toBeInstanceOf(stockToken.constructor);
    const alignedCell = tokens.find((token) => token.type === 'th_open');
    expect(alignedCell?.attrGet('style')).toBe('text-align:left');
  });
});
