import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Card } from '../../src/core/card';
import { BUNDLED_FLOWS_DIR, FlowFileError, loadFlowFile, loadFlows, parseFlowText } from '../../src/flows';

const fixtures = join(__dirname, '..', 'fixtures', 'flows');
const DEFAULT_TEXT = readFileSync(join(BUNDLED_FLOWS_DIR, 'mltrl.yaml'), 'utf8');

function problemsOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof FlowFileError) return error.problems;
    throw error;
  }
  throw new Error('expected a FlowFileError');
}

describe('flow file problems name file, path, line and problem', () => {
  test('a value out of range', () => {
    const text = DEFAULT_TEXT.replace(
      '    required: [code-repo, testing-status]',
      '    required: [code-repo, testing-status]\n    vote: { quorum: 1.5 }',
    );
    const [problem] = problemsOf(() => parseFlowText(text, 'bad.yaml'));
    expect(problem).toMatchObject({ file: 'bad.yaml', path: 'gates[3].vote.quorum' });
    expect(problem.line).toBe(text.split('\n').findIndex((l) => l.includes('quorum: 1.5')) + 1);
    expect(problem.problem).toMatch(/1/);
  });

  test('an unknown key and an unknown card key', () => {
    const text = DEFAULT_TEXT.replace('name: mltrl', 'name: mltrl\ncolour: blue').replace(
      '[testing-status, caveats]',
      '[testing-status, caveat]',
    );
    const problems = problemsOf(() => parseFlowText(text, 'bad.yaml'));
    expect(problems.map((p) => p.path).sort()).toEqual(['', 'gates[1].required[1]'].sort());
  });

  test('voter roles and required groups: an empty list or a malformed name is named with its line', () => {
    const text = DEFAULT_TEXT.replace(
      '    required: [code-repo, testing-status]',
      '    required: [code-repo, testing-status]\n    vote: { voterRoles: [], approvalFrom: ["ethics board"] }',
    );
    const problems = problemsOf(() => parseFlowText(text, 'bad.yaml'));
    const line = text.split('\n').findIndex((l) => l.includes('voterRoles: []')) + 1;
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ['gates[3].vote.voterRoles', line],
      ['gates[3].vote.approvalFrom[0]', line],
    ]);
    expect(problems[0].problem).toContain('an empty list would let nobody vote');
    expect(problems[1].problem).toContain('a group name from people.yaml groups');
  });

  test('a YAML syntax error with its line', () => {
    const [problem] = problemsOf(() => parseFlowText('name: x\nlevels: [\n  - a: b\n', 'broken.yaml'));
    expect(problem.file).toBe('broken.yaml');
    expect(problem.line).toBeGreaterThanOrEqual(2);
    expect(problem.problem).toMatch(/^YAML syntax/);
  });

  test('a bad regular expression and a gate that skips a level', () => {
    const text = DEFAULT_TEXT.replace("  - '\\[More Information Needed\\]'", "  - '[unclosed'").replace(
      '  - from: 6\n    to: 7',
      '  - from: 6\n    to: 8',
    );
    const problems = problemsOf(() => parseFlowText(text, 'bad.yaml'));
    expect(problems.map((p) => p.path).sort()).toEqual(['gates[6].to', 'placeholders[3]']);
    expect(problems.find((p) => p.path === 'placeholders[3]')!.line).toBeGreaterThan(1);
  });

  test.each([
    ['empty.yaml', ''],
    ['malformed.yaml', 'YAML syntax'],
    ['alias-bomb.yaml', 'Excessive alias count'],
  ])('fixture %s is reported, not thrown as anything else', (name, text) => {
    const problems = problemsOf(() => loadFlowFile(join(fixtures, name)));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0].file).toBe(join(fixtures, name));
    expect(problems.map((p) => p.problem).join(' ')).toContain(text); // the alias bomb is refused, not expanded
  });

  test('a missing file', () => {
    const [problem] = problemsOf(() => loadFlowFile(join(fixtures, 'nope.yaml')));
    expect(problem.problem).toContain('no such file');
  });
});

describe('loadFlowFile defaults and accumulation with drop', () => {
  test('a team flow with partial defaults', () => {
    const flow = loadFlowFile(join(fixtures, 'team-fast.yaml'));
    expect(flow.digest).toEqual({
      schedule: 'weekly mon 09:00',
      gapAgeBusinessDays: 5,
      staleWeeks: 6,
      listCap: 5,
    });
    const [g34, g45] = flow.gates;
    expect(g34.required.map((r) => r.key)).toEqual(['owners', 'code-repo']);
    expect(g34.recommended.map((r) => r.key)).toEqual(['testing-status']);
    expect(g45.required.map((r) => r.key)).toEqual(['owners', 'testing-status']);
    expect(g45.recommended).toEqual([]);
    expect(g45.vote.vetoRoles).toEqual(['qa']);
    expect(g45.vote.closeAfterBusinessDays).toBe(3);
  });
});

describe('loadFlows', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flows-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const card = (flowName?: string) => ({ flowName }) as Card;

  test('picks a card flow by its Flow row, else the default', () => {
    writeFileSync(join(dir, 'mltrl.yaml'), DEFAULT_TEXT);
    writeFileSync(join(dir, 'team.yml'), readFileSync(join(fixtures, 'team-fast.yaml')));
    const flows = loadFlows(dir);
    expect(flows.defaultFlow().name).toBe('mltrl');
    expect(flows.forCard(card('Team-Fast')).name).toBe('team-fast');
    expect(flows.forCard(card('unknown')).name).toBe('mltrl');
    expect(flows.forCard(card()).name).toBe('mltrl');
    expect(flows.get('team-fast')?.file).toBe(join(dir, 'team.yml'));
  });

  test('reports every bad file and duplicate names at once', () => {
    writeFileSync(join(dir, 'mltrl.yaml'), DEFAULT_TEXT);
    writeFileSync(join(dir, 'copy.yaml'), DEFAULT_TEXT);
    writeFileSync(join(dir, 'broken.yaml'), 'name: [');
    const problems = problemsOf(() => loadFlows(dir));
    expect(problems.map((p) => p.file).sort()).toEqual(
      [join(dir, 'broken.yaml'), join(dir, 'mltrl.yaml')].sort(),
    );
  });

  test('a folder without the default flow', () => {
    writeFileSync(join(dir, 'a.yaml'), readFileSync(join(fixtures, 'team-fast.yaml')));
    writeFileSync(join(dir, 'b.yaml'), DEFAULT_TEXT.replace('name: mltrl', 'name: other'));
    expect(problemsOf(() => loadFlows(dir))[0].problem).toContain('"mltrl"');
  });
});
