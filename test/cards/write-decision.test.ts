import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCard } from '../../src/cards';
import { writeDecision } from '../../src/cards/write-decision';
import type { CardDecision } from '../../src/core/ports';

const retina = readFileSync(join(__dirname, '..', '..', 'cards', 'retina-lesion-detector.md'), 'utf8');

const decision: CardDecision = {
  reviewId: 'r0123abcd',
  projectId: 'R07.2',
  file: 'retina-lesion-detector.md',
  gate: { from: 3, to: 4 },
  outcome: 'advanced',
  level: 4,
  revision: '3f2a1bc',
  at: '2026-12-02T14:00:00.000Z',
  votes: [
    { voter: 'Priya Nair', choice: 'approve' },
    { voter: 'Li Wei', choice: 'request-changes', reason: 'Needs the\nsecond clinic' },
  ],
  conversationId: 'slack:C123',
  threadUrl: 'https://chat.example.org/archives/C123/p1',
};

describe('writeDecision', () => {
  it('changes the level cell and appends a record under the debrief; every other byte stays', () => {
    const edit = writeDecision(retina, decision);
    if (!edit.ok) throw new Error(edit.reason);
    const before = retina.split('\n');
    const after = edit.text.split('\n');
    const levelIndex = before.findIndex((line) => line.startsWith('| Current Level'));
    expect(after[levelIndex]).toBe(before[levelIndex]!.replace('| 3 ', '| 4 '));
    const added = after.slice(before.length - 1, after.length - 1);
    expect(added).toEqual([
      '',
      '<!-- mltrl-bot decision r0123abcd -->',
      '**Gate 3 -> 4, 2026-12-02: advanced to level 4.** Voted on card revision 3f2a1bc; vote thread: https://chat.example.org/archives/C123/p1.',
      '',
      '- Priya Nair: approve',
      '- Li Wei: request-changes: "Needs the second clinic"',
    ]);
    // Everything else is the original, byte for byte, including the final newline.
    const rest = [...after.slice(0, before.length - 1), ...after.slice(after.length - 1)];
    rest[levelIndex] = before[levelIndex]!;
    expect(rest.join('\n')).toBe(retina);
    const card = parseCard(edit.text, decision.file);
    expect('level' in card && card.level).toBe(4);
  });

  it('puts the record at the end of the debrief section when more sections follow, and keeps CRLF', () => {
    const text = retina.replace('### MLTRL stage debrief', '### MLTRL stage debrief').concat('\n### Notes\n\nMore.\n');
    const crlf = text.replace(/\n/g, '\r\n');
    const edit = writeDecision(crlf, { ...decision, outcome: 'switchback', level: 2 });
    if (!edit.ok) throw new Error(edit.reason);
    expect(edit.text.includes('\n') && !/[^\r]\n/.test(edit.text)).toBe(true);
    const lines = edit.text.split('\r\n');
    const record = lines.indexOf('<!-- mltrl-bot decision r0123abcd -->');
    expect(record).toBeGreaterThan(0);
    expect(record).toBeLessThan(lines.indexOf('### Notes'));
    expect(lines[record + 1]).toContain('switched back to level 2');
  });

  it('does nothing the second time (a retried write-back) and refuses what is not a card', () => {
    const first = writeDecision(retina, decision);
    if (!first.ok) throw new Error(first.reason);
    expect(writeDecision(first.text, decision)).toEqual({ ok: false, reason: 'already-recorded' });
    expect(writeDecision('# just notes\n', decision)).toEqual({ ok: false, reason: 'not-a-card' });
  });
});
