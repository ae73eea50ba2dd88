import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCardDirectory, isCardError, parseCard } from '../../src/cards';
import { checkCards, checkToJson } from '../../src/cards/check-cards';
import { checkToText } from '../../src/cards/check-text';
import { readLinkedFile } from '../../src/cards/linked-file';
import type { Card } from '../../src/core/card';
import { checklistLink, parseChecklist } from '../../src/core/ethics-checklist';
import { findGaps } from '../../src/core/gaps';
import { gapLine } from '../../src/core/render';
import { createFlowSource, loadDefaultFlow } from '../../src/flows';
import { defaultTranslator } from '../../src/i18n/translator';

const dir = join(__dirname, '..', 'fixtures', 'cards', 'ethics');
const read = (name: string) => readFileSync(join(dir, name), 'utf8');
const env = { t: defaultTranslator(), locale: 'en', tz: 'Europe/Berlin' };

function hull(change: (text: string) => string = (text) => text): Card {
  const card = parseCard(change(read('hull-9.md')), 'hull-9.md');
  if (isCardError(card)) throw new Error(card.message);
  return card;
}

describe('ethics checklist files', () => {
  test('task items are counted per part; sub-headings inherit their part; code blocks do not count', () => {
    const checklist = parseChecklist(read('checklist.md'), 'checklist.md');
    expect(checklist.parts).toEqual({
      'pre-dev': { checked: 4, total: 4 },
      'post-dev': { checked: 2, total: 5 },
      other: { checked: 1, total: 1 },
    });
    expect([checklist.checked, checklist.total]).toEqual([7, 10]);
  });

  test('the link is the relative one in the cell; web links are not followed', () => {
    expect(checklistLink(hull())).toBe('./checklist.md');
    expect(checklistLink(hull((t) => t.replace('./checklist.md', '../ethics_checklist.md#pre')))).toBe(
      '../ethics_checklist.md',
    );
    expect(
      checklistLink(hull((t) => t.replace('./checklist.md', 'https://wiki.example.org/ethics'))),
    ).toBeUndefined();
    expect(
      checklistLink(
        hull((t) => t.replace('WIP: *link to the [checklist](./checklist.md)*', 'see ethics/hull.md')),
      ),
    ).toBe('ethics/hull.md');
  });

  test('an incomplete post-development checklist holds 8 -> 9 with the count of open items', () => {
    const flow = loadDefaultFlow();
    const card = hull();
    const report = findGaps(card, flow, { checklist: readLinkedFile(dir, card.file, checklistLink(card)!) });
    const gap = report.required.find((g) => g.key === 'ethics-checks')!;
    expect(gap).toMatchObject({
      reason: 'checklist-open',
      line: 10,
      checklist: { checked: 7, total: 10, short: ['post-dev'] },
    });
    expect(gapLine(gap, env)).toBe(
      'Ethics checks?: ethics checklist: 7 of 10 checked (pre-dev complete, post-dev 3 open, other questions complete) (line 10)',
    );
    expect(report.ok).toBe(false);
  });

  test('a complete checklist passes even though the cell still says WIP; the flow decides per part', () => {
    const flow = loadDefaultFlow();
    const card = hull();
    const done = {
      path: './checklist.md',
      ok: true as const,
      text: read('checklist.md').replace(/- \[ \]|\d\. \[ \]/g, '- [x]'),
    };
    expect(
      findGaps(card, flow, { checklist: done }).required.filter((g) => g.key === 'ethics-checks'),
    ).toEqual([]);
    // 4 -> 5 asks for the pre-dev part only: open post-dev items do not hold it.
    const atFour = { ...card, level: 4 };
    const file = { path: './checklist.md', ok: true as const, text: read('checklist.md') };
    expect(
      findGaps(atFour, flow, { checklist: file }).required.filter((g) => g.key === 'ethics-checks'),
    ).toEqual([]);
    const preOpen = { ...file, text: file.text.replace('- [x] Storage', '- [ ] Storage') };
    expect(
      findGaps(atFour, flow, { checklist: preOpen }).required.find((g) => g.key === 'ethics-checks'),
    ).toMatchObject({
      checklist: { short: ['pre-dev'] },
    });
    // 0 -> 1 recommends a started pre-dev part: a checklist with nothing checked is reported, not blocking.
    const atZero = { ...card, level: 0 };
    const blank = { ...file, text: file.text.replace(/\[x\]/g, '[ ]') };
    const early = findGaps(atZero, flow, { checklist: blank });
    expect(early.recommended.find((g) => g.key === 'ethics-checks')).toMatchObject({
      reason: 'checklist-open',
    });
    expect(early.required.find((g) => g.key === 'ethics-checks')).toBeUndefined();
  });

  test('a missing, unreadable or escaping checklist is a gap with its path, never a crash', () => {
    const flow = loadDefaultFlow();
    const card = hull((t) => t.replace('./checklist.md', './nowhere.md'));
    const file = readLinkedFile(dir, card.file, checklistLink(card)!);
    expect(file).toEqual({ path: './nowhere.md', ok: false, problem: 'missing' });
    const gap = findGaps(card, flow, { checklist: file }).required.find((g) => g.key === 'ethics-checks')!;
    expect(gapLine(gap, env)).toBe('Ethics checks?: ethics checklist ./nowhere.md: no such file (line 10)');
    expect(readLinkedFile(dir, card.file, '../../../../package.json')).toMatchObject({
      ok: false,
      problem: 'outside',
    });
    expect(readLinkedFile(dir, card.file, '/etc/passwd')).toMatchObject({ ok: false, problem: 'outside' });
    expect(readLinkedFile(dir, card.file, '.')).toMatchObject({ ok: false, problem: 'unreadable' });
  });

  test('cards check follows the link through the card folder and prints the count', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mltrl-ethics-'));
    writeFileSync(join(root, 'hull-9.md'), read('hull-9.md'));
    writeFileSync(join(root, 'checklist.md'), read('checklist.md'));
    const flow = loadDefaultFlow();
    const source = createCardDirectory(root);
    const set = await source.loadAll();
    const result = checkCards(set, createFlowSource([flow], flow), {
      readLinked: (c, link) => readLinkedFile(root, c.file, link),
    });
    const json = checkToJson(result, (file) => file);
    expect(json.cards[0].missing.required).toContainEqual(
      expect.objectContaining({
        key: 'ethics-checks',
        reason: 'checklist-open',
        checklist: expect.objectContaining({ checked: 7, total: 10 }),
      }),
    );
    const text = checkToText(result, defaultTranslator(), (file) => file);
    expect(text).toContain(
      'ethics checklist: 7 of 10 checked (pre-dev complete, post-dev 3 open, other questions complete)',
    );
    // The directory source reads the same file for the engine.
    expect(await source.readLinked!(set.cards[0], './checklist.md')).toMatchObject({ ok: true });
  });
});
