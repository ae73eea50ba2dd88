import { isCardError, parseCard } from '../../src/cards';
import { checkCards, checkToJson } from '../../src/cards/check-cards';
import type { Card } from '../../src/core/card';
import { buildDigest, type DigestSnapshot } from '../../src/core/digest';
import { findGaps } from '../../src/core/gaps';
import { coupledComponentRefs, systemLevels } from '../../src/core/system-level';
import { createFlowSource, loadDefaultFlow, parseFlowText } from '../../src/flows';
import { defaultTranslator } from '../../src/i18n/translator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function card(id: string, level: number, coupled?: string): Card {
  const rows = [
    '# MLTRL Card',
    '',
    '| Summary info | Content |',
    '|---|---|',
    `| Tech name (project ID) | Part ${id} (${id}) |`,
    `| Current Level | ${level} |`,
    '| Owner(s) | Ana Lima |',
    '| Reviewer(s) | Li Wei |',
    '| Testing status | integration tests green |',
    ...(coupled === undefined ? [] : [`| Coupled components | ${coupled} |`]),
  ];
  const parsed = parseCard(rows.join('\n'), `${id}.md`);
  if (isCardError(parsed)) throw new Error(parsed.message);
  return parsed;
}

describe('coupled components', () => {
  const known = new Set(['F01.2', 'F02.0', 'R02.1']);
  const isKnown = (id: string) => [...known].find((k) => k.toLowerCase() === id.toLowerCase());

  test.each([
    ['F01.2 (sales data pipeline), F02.0 (holiday calendar)', ['F01.2', 'F02.0']],
    ['[R02.1](./r02.md) \\| P12.2', ['R02.1', 'P12.2']],
    ['r02.1; D02.7 (OCR service)', ['R02.1', 'D02.7']],
    ['the OCR service and F01.2', ['the OCR service', 'F01.2']],
    ['none', []],
    ['n/a', []],
    ['(*IDs of coupled components*)', []],
  ])('%j names %j', (text, refs) => {
    expect(coupledComponentRefs(text, isKnown, loadDefaultFlow().placeholders)).toEqual(refs);
  });
});

describe('system level', () => {
  test('the minimum over the project and its components, transitively, at the levels given', () => {
    const cards = [card('A1', 7, 'B1, C1'), card('B1', 8, 'D1'), card('C1', 7), card('D1', 4)];
    const system = systemLevels(cards).get('A1')!;
    expect(system).toMatchObject({ own: 7, level: 4, unknown: [], cycles: [] });
    expect(system.heldBy).toMatchObject({ projectId: 'D1', level: 4, via: 'B1' });
    expect(system.components.map((c) => c.projectId)).toEqual(['B1', 'D1', 'C1']);
    // Recorded levels win over the card's: D1 was advanced to 7 by reviews.
    const recorded = systemLevels(cards, (c) => (c.projectId === 'D1' ? 7 : c.level)).get('A1')!;
    expect(recorded).toMatchObject({ level: 7 });
    expect(recorded.heldBy).toBeUndefined();
  });

  test('cycles are reported and do not hang; unknown IDs are listed', () => {
    const cards = [
      card('A1', 5, 'B1, X9.9'),
      card('B1', 6, 'C1'),
      card('C1', 3, 'B1, A1'),
      card('S1', 2, 'S1'),
    ];
    const levels = systemLevels(cards);
    const a = levels.get('A1')!;
    expect(a.level).toBe(3);
    expect(a.unknown).toEqual(['X9.9']);
    expect(a.cycles).toEqual(
      expect.arrayContaining([
        ['B1', 'C1', 'B1'],
        ['A1', 'B1', 'C1', 'A1'],
      ]),
    );
    expect(levels.get('S1')).toMatchObject({ level: 2, cycles: [['S1', 'S1']] });
  });
});

describe('a gate that requires coupled components at a level', () => {
  const flow = loadDefaultFlow();

  test('the default flow asks for components at 7 before 7 -> 8 and keeps asking at 8 -> 9', () => {
    expect(flow.gates.find((g) => g.from === 7)?.componentMinLevel).toBe(7);
    expect(flow.gates.find((g) => g.from === 8)?.componentMinLevel).toBe(7);
    expect(flow.gates.find((g) => g.from === 6)?.componentMinLevel).toBeUndefined();
  });

  test('a system whose coupled component is at level 4 cannot pass 7 -> 8; the gap names the component', () => {
    const cards = [card('T07.8', 7, 'T02.1 (feature store), Z1.0'), card('T02.1', 4)];
    const system = systemLevels(cards).get('T07.8')!;
    const report = findGaps(cards[0], flow, { system });
    const component = report.required.filter((gap) => gap.key === 'coupled-components');
    expect(component).toEqual([
      {
        key: 'coupled-components',
        label: 'Coupled components',
        reason: 'component-level',
        line: 10,
        params: { component: 'T02.1 Part T02.1', level: 4, required: 7 },
      },
    ]);
    expect(report.recommended).toContainEqual(
      expect.objectContaining({ reason: 'component-unknown', params: { components: 'Z1.0' } }),
    );
    expect(report.ok).toBe(false);
    const ready = systemLevels([cards[0], card('T02.1', 7)]).get('T07.8')!;
    expect(
      findGaps(cards[0], flow, { system: ready }).required.filter((g) => g.key === 'coupled-components'),
    ).toEqual([]);
  });

  test('a flow file may set the minimum on any gate; a bad value is refused with its path', () => {
    const text = readFileSync(join(__dirname, '..', '..', 'flows', 'mltrl.yaml'), 'utf8');
    const custom = parseFlowText(text.replace('componentMinLevel: 7', 'componentMinLevel: 9'), 'custom.yaml');
    expect(custom.gates.find((g) => g.from === 7)?.componentMinLevel).toBe(9);
    expect(() =>
      parseFlowText(text.replace('componentMinLevel: 7', 'componentMinLevel: 12'), 'bad.yaml'),
    ).toThrow(/gates\[7\]\.componentMinLevel/);
  });
});

describe('system level in cards check and the digest', () => {
  const cards = [card('T07.8', 7, 'T02.1, Q1.1'), card('T02.1', 4), card('L1', 3, 'L2'), card('L2', 3, 'L1')];

  test('cards check --json carries systemLevel per card', () => {
    const flow = loadDefaultFlow();
    const result = checkCards({ cards, errors: [], skipped: [] }, createFlowSource([flow], flow));
    const json = checkToJson(result, (file) => file);
    expect(json.cards.map((c) => [c.projectId, c.level, c.systemLevel])).toEqual([
      ['T07.8', 7, 4],
      ['T02.1', 4, 4],
      ['L1', 3, 3],
      ['L2', 3, 3],
    ]);
    expect(json.cards[0].coupled).toEqual({
      components: [{ projectId: 'T02.1', level: 4, via: 'T07.8' }],
      heldBy: 'T02.1',
      unknown: ['Q1.1'],
      cycles: [],
    });
    expect(json.cards[0].missing.required).toContainEqual(
      expect.objectContaining({
        key: 'coupled-components',
        reason: 'component-level',
        params: { component: 'T02.1 Part T02.1', level: 4, required: 7 },
      }),
    );
    expect(json.cards[2].coupled.cycles).toEqual([['L1', 'L2', 'L1']]);
  });

  test('the digest lists projects held below their own level, unknown components and cycles', () => {
    const snapshot: DigestSnapshot = {
      now: '2026-11-30T08:00:00Z',
      tz: 'Europe/Berlin',
      holidays: [],
      levels: loadDefaultFlow().levels,
      settings: { gapAgeBusinessDays: 5, staleWeeks: 6, listCap: 5 },
      projects: [
        {
          projectId: 'T07.8',
          name: 'Anomaly',
          statedLevel: 7,
          owners: [],
          system: { level: 4, heldBy: 'T02.1 Feature store', unknown: ['Q1.1'], cycles: [] },
        },
        {
          projectId: 'L1',
          name: 'Loop',
          statedLevel: 3,
          owners: [],
          system: { level: 3, unknown: [], cycles: [['L1', 'L2', 'L1']] },
        },
        {
          projectId: 'OK1',
          name: 'Fine',
          statedLevel: 3,
          owners: [],
          system: { level: 3, unknown: [], cycles: [] },
        },
      ],
      changes: [],
      brokenCards: 0,
      historyAvailable: false,
    };
    const digest = buildDigest(snapshot, { mode: 'portfolio' }, defaultTranslator())!;
    const list = digest.blocks.find(
      (block) => block.type === 'list' && block.title?.startsWith('System level'),
    );
    expect(list).toMatchObject({
      items: [
        'L1 Loop: level 3; coupled components form a cycle L1 -> L2 -> L1',
        'T07.8 Anomaly: level 7, system level 4 (held by T02.1 Feature store); no card for Q1.1',
      ],
    });
  });
});
