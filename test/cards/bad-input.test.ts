import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Card, CardError } from '../../src/core/card';
import { isCardError, parseCard, parseCardBuffer } from '../../src/cards';
import { findGaps } from '../../src/core/gaps';
import { loadDefaultFlow } from '../../src/flows';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'cards', name));

function asCard(result: Card | CardError): Card {
  if (isCardError(result)) throw new Error(`expected a card, got ${result.code}: ${result.message}`);
  return result;
}

describe('bad input gives a clear error or a sensible parse', () => {
  test('an empty file or whitespace is not a card', () => {
    for (const text of ['', '   \n\n\t', '\uFEFF']) {
      expect(parseCard(text, 'empty.md')).toMatchObject({ code: 'not-a-card', file: 'empty.md' });
    }
  });

  test('binary garbage is refused as binary', () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
    const error = parseCardBuffer(bytes, 'logo.md');
    expect(error).toMatchObject({ code: 'binary', file: 'logo.md' });
    expect((error as CardError).message).toContain('binary');
  });

  test('a 5 MB card is refused, not truncated', () => {
    const big = `# MLTRL card\n\n| a | b |\n|---|---|\n| Tech name | Big (B1) |\n| Current Level | 3 |\n${'x'.repeat(5 * 1024 * 1024)}`;
    const error = parseCardBuffer(Buffer.from(big), 'big.md') as CardError;
    expect(error).toMatchObject({ code: 'too-large', params: { size: Buffer.byteLength(big) } });
    expect(error.message).toContain('1048576');
  });

  test('HTML and escaped pipes in cells stay text; <br> separates people', () => {
    const card = asCard(parseCard(fixture('html-and-pipes.md').toString(), 'h.md'));
    expect(card.projectId).toBe('B-2');
    expect(card.name).toBe('<b>Bold</b> | project');
    expect(card.level).toBe(2);
    expect(card.owners.map((p) => p.text)).toEqual(['Ana Lima', '@sam', 'Li Wei']);
    expect(card.reviewers.map((p) => p.text)).toEqual(['<script>alert(1)</script> Priya Nair']);
    expect(card.fields['code-repo']?.text).toBe('a | b | c');
    expect(card.fields['testing-status']?.text).toContain('<table>');
  });

  test('a table without its header row is still read', () => {
    const card = asCard(parseCard(fixture('no-header-table.md').toString(), 'n.md'));
    expect(card).toMatchObject({ projectId: 'H1', level: 1, owners: [{ handle: 'sam' }] });
    expect(card.fields['tech-name']?.line).toBe(3);
    expect(card.fields['model-info']?.text).toBe('A linear model.');
  });

  test('duplicated sections: the first counts, the repeat is kept as an extra', () => {
    const text = `${fixture('crlf.md').toString()}\r\n### Testing status\r\nSecond copy.\r\n`;
    const card = asCard(parseCard(text, 'd.md'));
    expect(card.fields['testing-status']?.text).toBe('All green.');
    expect(card.extras).toEqual([{ kind: 'section', label: 'Testing status', text: 'Second copy.', line: 12 }]);
  });

  test('CRLF line endings keep the right lines', () => {
    const card = asCard(parseCard(fixture('crlf.md').toString(), 'c.md'));
    expect(card).toMatchObject({ projectId: 'W1', level: 2 });
    expect(card.fields['testing-status']).toMatchObject({ text: 'All green.', line: 9 });
  });

  test('unicode names, ids from a slug, people in any script', () => {
    const card = asCard(parseCard(fixture('unicode.md').toString(), 'u.md'));
    expect(card.name).toBe('Détecteur de lésions rétiniennes');
    expect(card.projectId).toBe('detecteur-de-lesions-retiniennes');
    expect(card.owners.map((p) => [p.kind, p.name ?? p.handle])).toEqual([
      ['name', 'José Núñez'],
      ['name', '李伟'],
      ['handle', 'zoë'],
      ['email', 'Ольга Петрова'],
    ]);
    expect(card.fields.tldr?.text).toBe("Détecte les lésions 🩺 sur les images du fond d'œil.");
    expect(card.fields.requirements?.text).toBe('1. Le détecteur doit …');
  });

  test('a card without a tech name gets its ID from the file name', () => {
    const text = '# MLTRL card\n\n| a | b |\n|---|---|\n| Tech name (project ID) | (*name (ID)*) |\n| Current Level | 0 |\n';
    const card = asCard(parseCard(text, 'cards/Soil Probe.md'));
    expect(card).toMatchObject({ projectId: 'soil-probe', name: 'soil-probe' });
    expect(findGaps(card, loadDefaultFlow()).required[0]).toMatchObject({ key: 'tech-name', reason: 'placeholder' });
  });

  test('a table with a tech name but no level row: no-level when titled as a card, else not a card', () => {
    const table = '| a | b |\n|---|---|\n| Tech name | X (X1) |\n';
    expect(parseCard(`# MLTRL Card - X\n\n${table}`, 'x.md')).toMatchObject({ code: 'no-level', line: 3 });
    expect(parseCard(`# Inventory\n\n${table}`, 'x.md')).toMatchObject({ code: 'not-a-card' });
  });
});
