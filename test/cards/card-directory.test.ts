import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdirSync, renameSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCardDirectory, isCardError, loadCardFile } from '../../src/cards';
import * as listing from '../../src/cards/list-markdown';

// Counts full listings of the directory (the real function still runs).
jest.mock('../../src/cards/list-markdown', () => {
  const actual = jest.requireActual('../../src/cards/list-markdown');
  return { ...actual, listMarkdownFiles: jest.fn(actual.listMarkdownFiles) };
});
const listMarkdownFiles = listing.listMarkdownFiles as jest.MockedFunction<typeof listing.listMarkdownFiles>;

const card = (name: string, id: string, level = '3') =>
  `# MLTRL Card - ${name}\n\n| Summary | Content |\n|---|---|\n| Tech name (project ID) | ${name} (${id}) |\n| Current Level | ${level} |\n| Owner(s) | Ana Lima |\n`;

describe('createCardDirectory', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cards-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('loads cards, skips non-cards, reports broken cards and duplicate IDs with file and line', async () => {
    writeFileSync(join(dir, 'a.md'), card('Alpha', 'A1'));
    writeFileSync(join(dir, 'b.md'), card('Beta', 'a1'));
    writeFileSync(join(dir, 'c.md'), card('Gamma', 'G1', 'eleven'));
    writeFileSync(join(dir, 'README.md'), '# Our cards\n\nOne file per project.\n');
    writeFileSync(join(dir, 'notes.txt'), 'not markdown');
    mkdirSync(join(dir, 'archive'));
    writeFileSync(join(dir, 'archive', 'd.md'), card('Delta', 'D1'));

    const set = await createCardDirectory(dir).loadAll();
    expect(set.cards.map((c) => [c.file, c.projectId])).toEqual([
      ['a.md', 'A1'],
      ['archive/d.md', 'D1'],
    ]);
    expect(set.skipped).toEqual([{ file: 'README.md', reason: expect.stringContaining('not a card') }]);
    expect(set.errors.map((e) => [e.file, e.code, e.line])).toEqual([
      ['c.md', 'bad-level', 6],
      ['b.md', 'duplicate-id', 5],
    ]);
    expect(set.errors[1].message).toContain('a.md');
  });

  test('find matches exactly first, then case-insensitively', async () => {
    writeFileSync(join(dir, 'a.md'), card('Alpha', 'A1'));
    const source = createCardDirectory(dir);
    expect((await source.find('A1'))?.file).toBe('a.md');
    expect((await source.find('a1'))?.file).toBe('a.md');
    expect(await source.find('nope')).toBeUndefined();
  });

  test('find answers from its index, yet sees added, removed, renamed and re-identified cards at once', async () => {
    mkdirSync(join(dir, 'team'));
    writeFileSync(join(dir, 'team', 'a.md'), card('Alpha', 'A1'));
    writeFileSync(join(dir, 'b.md'), card('Beta', 'B1'));
    const source = createCardDirectory(dir);
    expect((await source.find('a1'))?.file).toBe('team/a.md');
    // Renamed (its folder's time changes): found under the new name, not the old.
    renameSync(join(dir, 'team', 'a.md'), join(dir, 'team', 'alpha.md'));
    expect((await source.find('A1'))?.file).toBe('team/alpha.md');
    // Its ID edited in place: the old ID is gone, the new one found.
    writeFileSync(join(dir, 'team', 'alpha.md'), card('Alpha', 'A2'));
    utimesSync(join(dir, 'team', 'alpha.md'), new Date(), new Date(Date.now() + 5000));
    expect(await source.find('A1')).toBeUndefined();
    expect((await source.find('A2'))?.file).toBe('team/alpha.md');
    // A new card, and a removed one.
    writeFileSync(join(dir, 'team', 'c.md'), card('Gamma', 'C1'));
    expect((await source.find('C1'))?.file).toBe('team/c.md');
    unlinkSync(join(dir, 'b.md'));
    expect(await source.find('B1')).toBeUndefined();
    // A card that takes over an ID in an earlier file (a duplicate) moves the ID there, as loadAll says.
    writeFileSync(join(dir, 'a0.md'), card('Gamma too', 'C1'));
    expect((await source.find('C1'))?.file).toBe('a0.md');
  });

  test('an ID no card has is answered from the fresh index, without listing the directory again', async () => {
    writeFileSync(join(dir, 'a.md'), card('Alpha', 'A1'));
    const source = createCardDirectory(dir);
    expect((await source.find('A1'))?.file).toBe('a.md');
    const listings = listMarkdownFiles.mock.calls.length;
    expect(await source.find('Z9')).toBeUndefined();
    expect(await source.find('A1 ')).toBeDefined();
    expect(listMarkdownFiles.mock.calls.length).toBe(listings);
    // A card written meanwhile is still seen at once (its folder's time changed): that one lists again.
    writeFileSync(join(dir, 'z.md'), card('Zeta', 'Z9'));
    expect((await source.find('Z9'))?.file).toBe('z.md');
    expect(listMarkdownFiles.mock.calls.length).toBe(listings + 1);
  });

  test('an unchanged file is not parsed again; an edited one is', async () => {
    const path = join(dir, 'a.md');
    writeFileSync(path, card('Alpha', 'A1'));
    const source = createCardDirectory(dir);
    const first = (await source.loadAll()).cards[0];
    expect((await source.loadAll()).cards[0]).toBe(first);
    // Touched without a change: same content hash, same parsed card.
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    expect((await source.loadAll()).cards[0]).toBe(first);
    writeFileSync(path, card('Alpha', 'A1', '4'));
    utimesSync(path, new Date(), new Date(Date.now() + 10000));
    expect((await source.loadAll()).cards[0].level).toBe(4);
  });

  test('a missing directory is an unreadable error, not a throw', async () => {
    const set = await createCardDirectory(join(dir, 'nope')).loadAll();
    expect(set.errors[0]).toMatchObject({ code: 'unreadable' });
  });
});

describe('loadCardFile', () => {
  test('a named file that is not a card is an error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cards-'));
    try {
      writeFileSync(join(dir, 'README.md'), '# hello\n');
      const result = await loadCardFile(join(dir, 'README.md'));
      expect(isCardError(result) && result.code).toBe('not-a-card');
      const missing = await loadCardFile(join(dir, 'missing.md'));
      expect(isCardError(missing) && missing.code).toBe('unreadable');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
