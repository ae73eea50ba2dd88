import type { Flow } from '../../src/core/flow';
import { findGaps } from '../../src/core/gaps';
import { loadDefaultFlow } from '../../src/flows';
import { card, DEBRIEF } from './complete-card';

let flow: Flow;
beforeAll(() => {
  flow = loadDefaultFlow();
});

const summary = (report: ReturnType<typeof findGaps>) => ({
  required: report.required.map((gap) => `${gap.key}:${gap.reason}`),
  recommended: report.recommended.map((gap) => `${gap.key}:${gap.reason}`),
});

/** What each gate newly requires (MLTRL.md), removed one by one from an otherwise complete card. */
const NEW_AT_GATE: Array<[number, string[]]> = [
  [0, ['tldr', 'model-info', 'data-considerations']],
  [1, ['testing-status', 'caveats']],
  [2, ['requirements', 'requirements-docs']],
  [3, ['code-repo']],
  [4, ['intended-use', 'ethics-checks']],
  [5, ['intended-use', 'requirements-docs']],
  [6, ['testing-status']],
  [7, ['testing-status']],
  [8, ['caveats', 'main-page']],
  [9, ['caveats', 'main-page', 'code-repo']],
];

describe.each(NEW_AT_GATE)('the gate out of level %i', (level, newKeys) => {
  test('a complete card has no gaps', () => {
    const report = findGaps(card(level), flow);
    expect(report.gate).toEqual({ from: level, to: level === 9 ? 9 : level + 1 });
    expect(summary(report)).toEqual({ required: [], recommended: [] });
    expect(report.ok).toBe(true);
  });

  test.each(newKeys)('a card without %s has a required gap', (key) => {
    const report = findGaps(card(level, { [key]: null }), flow);
    expect(summary(report).required).toEqual([`${key}:absent`]);
    expect(report.ok).toBe(false);
  });

  test('owners, reviewers and the stage debrief are always required', () => {
    const report = findGaps(card(level, { owners: null, reviewers: '(*names*)' }, null), flow);
    expect(summary(report).required).toEqual([
      'owners:absent',
      'reviewers:placeholder',
      'stage-debrief:absent',
    ]);
  });
});

describe('gap reasons', () => {
  test('empty, placeholder and absent carry the line of the row or section', () => {
    const report = findGaps(
      card(3, { 'code-repo': '(*link to repo and docs*)', 'testing-status': '' }),
      flow,
    );
    expect(report.required).toEqual([
      { key: 'code-repo', label: 'Code repo & docs', reason: 'placeholder', line: 11 },
      { key: 'testing-status', label: 'Testing status', reason: 'empty', line: expect.any(Number) },
    ]);
    const missing = findGaps(card(3, { 'code-repo': null }), flow).required[0];
    expect(missing).toEqual({ key: 'code-repo', label: 'Code repo & docs', reason: 'absent' });
  });

  test.each(['TODO', 'todo: write it', 'TBD', 'WIP', '[More Information Needed]', '<!-- fill in -->'])(
    '%j is template text',
    (text) => {
      expect(summary(findGaps(card(1, { caveats: text }), flow)).required).toEqual(['caveats:placeholder']);
    },
  );

  test.each(['n/a', 'none', 'N/A', 'None.'])('%j is an answer', (text) => {
    expect(findGaps(card(1, { caveats: text }), flow).ok).toBe(true);
  });

  test('an unanswered debrief question points at its line', () => {
    const debrief = DEBRIEF.replace('   A lot.', '   TBD');
    const report = findGaps(card(2, {}, debrief), flow);
    const gap = report.required[0];
    expect(gap).toMatchObject({ key: 'stage-debrief', reason: 'unanswered' });
    expect(card(2, {}, debrief).debrief[2].line).toBe(gap.line);
  });

  test('a debrief in prose, without the questions, counts as answered', () => {
    expect(findGaps(card(2, {}, 'We built it, learned a lot and paid down no debt.'), flow).ok).toBe(true);
  });

  test('ethics "WIP: ..." is fine where it must be reported, incomplete where it must be complete', () => {
    const wip = { 'ethics-checks': 'WIP: pre-dev checklist' };
    expect(findGaps(card(4, wip), flow).ok).toBe(true);
    expect(summary(findGaps(card(8, wip), flow)).required).toEqual(['ethics-checks:incomplete']);
    expect(summary(findGaps(card(9, wip), flow)).required).toEqual(['ethics-checks:incomplete']);
    expect(summary(findGaps(card(8, { 'ethics-checks': 'WIP' }), flow)).required).toEqual([
      'ethics-checks:placeholder',
    ]);
  });

  test('recommended gaps do not block', () => {
    const report = findGaps(card(3, { 'coupled-components': 'TBD' }), flow);
    expect(summary(report)).toEqual({ required: [], recommended: ['coupled-components:placeholder'] });
    expect(report.ok).toBe(true);
  });
});

describe('gate choice and waivers', () => {
  test('gateTo checks another gate; level 9 gets the recurring review', () => {
    expect(findGaps(card(3, { 'intended-use': null }), flow, { gateTo: 5 }).gate).toEqual({ from: 4, to: 5 });
    expect(summary(findGaps(card(3, { 'intended-use': null }), flow, { gateTo: 5 })).required).toEqual([
      'intended-use:absent',
    ]);
    expect(findGaps(card(9), flow, { gateTo: 9 }).gate).toEqual({ from: 9, to: 9 });
    expect(findGaps(card(8), flow, { gateTo: 9 }).gate).toEqual({ from: 8, to: 9 });
  });

  test('an unexpired waiver moves a required gap to waived; an expired one does not', () => {
    const now = new Date('2026-06-01T12:00:00Z');
    const waiver = { key: 'code-repo' as const, by: 'lee', reason: 'repo moves next week' };
    const open = findGaps(card(3, { 'code-repo': null }), flow, {
      now,
      waivers: [{ ...waiver, until: '2026-06-08T00:00:00Z' }],
    });
    expect(open).toMatchObject({ ok: true, required: [], waived: [{ key: 'code-repo', reason: 'absent' }] });
    const expired = findGaps(card(3, { 'code-repo': null }), flow, {
      now,
      waivers: [{ ...waiver, until: '2026-05-31T00:00:00Z' }],
    });
    expect(expired).toMatchObject({ ok: false, waived: [] });
  });

  test('a gate the flow does not have reports nothing rather than throwing', () => {
    expect(findGaps(card(3), flow, { gateTo: 0 })).toMatchObject({ ok: true, required: [] });
  });
});
