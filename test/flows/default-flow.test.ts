import type { Flow, Gate } from '../../src/core/flow';
import { loadDefaultFlow } from '../../src/flows';

const keys = (gate: Gate, list: 'required' | 'recommended') =>
  gate[list].map((r) => (r.complete ? `${r.key}!` : r.key)).sort();

const ALWAYS = ['current-level', 'owners', 'reviewers', 'stage-debrief'];
/** MLTRL.md "Gates", written out by hand so the flow file is checked against the table, not itself. */
const G01 = [...ALWAYS, 'tech-name', 'tldr', 'model-info', 'data-considerations'];
const G12 = [...G01, 'testing-status', 'caveats'];
const G23 = [...G12, 'requirements', 'requirements-docs'];
const G34 = [...G23, 'code-repo'];
const G45 = [...G34, 'intended-use', 'ethics-checks'];
const G89 = [...G45.filter((key) => key !== 'ethics-checks'), 'ethics-checks!', 'main-page'];
const EXPECTED: Array<[number, number, string[], string[]]> = [
  [0, 1, G01, ['ethics-checks']],
  [1, 2, G12, ['ethics-checks', 'main-page']],
  [2, 3, G23, ['code-repo', 'ethics-checks', 'main-page']],
  [3, 4, G34, ['coupled-components', 'ethics-checks', 'main-page']],
  [4, 5, G45, ['coupled-components', 'main-page', 'prior-cards']],
  [5, 6, G45, ['coupled-components', 'main-page', 'prior-cards']],
  [6, 7, G45, ['coupled-components', 'main-page', 'prior-cards']],
  [7, 8, G45, ['coupled-components', 'main-page', 'prior-cards']],
  [8, 9, G89, ['coupled-components', 'prior-cards']],
  [9, 9, G89, ['coupled-components', 'prior-cards']],
];

describe('flows/mltrl.yaml', () => {
  let flow: Flow;
  beforeAll(() => {
    flow = loadDefaultFlow();
  });

  test('names the ten levels with their phases', () => {
    expect(flow.name).toBe('mltrl');
    expect(flow.levels.map((l) => `${l.level}:${l.phase}`)).toEqual([
      '0:research',
      '1:research',
      '2:research',
      '3:prototyping',
      '4:prototyping',
      '5:prototyping',
      '6:productization',
      '7:productization',
      '8:productization',
      '9:deployment',
    ]);
    expect(flow.levels[5].name).toBe('Machine learning "capability"');
  });

  test.each(EXPECTED)(
    'gate %i to %i requires and recommends what MLTRL.md says',
    (from, to, required, recommended) => {
      const gate = flow.gates.find((g) => g.from === from && g.to === to)!;
      expect(gate).toBeDefined();
      expect(keys(gate, 'required')).toEqual([...required].sort());
      expect(keys(gate, 'recommended')).toEqual([...recommended].sort());
    },
  );

  test('vote policy: 1 approval and early close below level 5, 2 approvals, 2/3 quorum and 24 h from 5', () => {
    for (const gate of flow.gates) {
      const expected =
        gate.from < 5
          ? { minApprovals: 1, quorum: 0, minOpenHours: 0 }
          : { minApprovals: 2, quorum: 0.667, minOpenHours: 24 };
      expect(gate.vote).toMatchObject({
        ...expected,
        earlyClose: true,
        closeAfterBusinessDays: 5,
        vetoRoles: [],
      });
      expect(gate.nudges).toEqual({ afterBusinessDays: [1, 3, 7], escalate: true });
    }
    expect(flow.workingHours).toEqual({ start: '09:00', end: '17:00' });
  });

  test('voters: R&D reviewers below level 5, product reviewers from 5 -> 6 on, the ethics board at 8 -> 9', () => {
    for (const gate of flow.gates) {
      expect(gate.vote.voterRoles).toEqual(gate.from < 5 ? ['reviewer', 'rnd'] : ['reviewer', 'product']);
      expect(gate.vote.approvalFrom ?? []).toEqual(gate.from === 8 ? ['ethics-board'] : []);
    }
  });

  test('level 9 has a recurring monitoring review that may switch back to 7 or 4', () => {
    const gate = flow.gates.find((g) => g.from === 9)!;
    expect(gate).toMatchObject({ to: 9, recurring: true, switchbackTo: [7, 4] });
    expect(flow.gates.find((g) => g.from === 5)!.switchbackTo).toEqual([4, 3, 2, 1, 0]);
  });

  test('placeholder patterns recognise template text, case-insensitively', () => {
    const matches = (text: string) => flow.placeholders.some((p) => new RegExp(p.source, p.flags).test(text));
    for (const text of [
      '(*link to prior level cards*)',
      'todo',
      'TBD: soon',
      'WIP',
      '[More Information Needed]',
    ]) {
      expect(matches(text)).toBe(true);
    }
    for (const text of ['n/a', 'none', 'WIP: pre-dev checklist', 'https://git.example.org/x']) {
      expect(flow.placeholders.some((p) => new RegExp(`^\\s*(?:${p.source})\\s*$`, 'i').test(text))).toBe(
        false,
      );
    }
  });
});
