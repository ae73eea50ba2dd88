import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/cards-command';

const root = join(__dirname, '..', '..');

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'bin', 'mltrl-bot.js'), 'cards', ...args], { cwd: root }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 99) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('mltrl-bot cards check', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cards-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the example cards: real gaps in text, exit 1', async () => {
    const { code, stdout } = await cli('check', 'cards/');
    expect(code).toBe(1);
    expect(stdout).toContain('✗ cards/retina-lesion-detector.md  R07.2 "Retina lesion detector"  level 3 System development');
    expect(stdout).toContain('gate 3 → 4: 2 required, 0 recommended missing');
    expect(stdout).toContain('required    Code repo & docs (code-repo) line 11: template text only');
    expect(stdout).toContain('required    Testing status (testing-status) line 35: empty');
    expect(stdout).toContain('gate 9 → 9 (recurring monitoring review): ready for the gate review');
    expect(stdout).toContain('- cards/README.md: skipped');
    expect(stdout).toMatch(/7 cards: 2 ready, 5 with gaps; 0 errors; 2 files skipped\s*$/);
  });

  test('--json prints one object with the documented shape', async () => {
    const { code, stdout } = await cli('check', 'cards', '--json');
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    const retina = json.cards.find((card: { projectId: string }) => card.projectId === 'R07.2');
    expect(retina).toMatchObject({
      file: 'cards/retina-lesion-detector.md',
      name: 'Retina lesion detector',
      level: 3,
      owners: [{ text: 'Ana Lima' }, { text: '@sam' }],
      reviewers: [{ text: 'Priya Nair <priya@example.org>' }, { text: 'Li Wei' }],
      gate: { from: 3, to: 4 },
      missing: {
        required: [
          { key: 'code-repo', reason: 'placeholder', line: 11 },
          { key: 'testing-status', reason: 'empty', line: 35 },
        ],
        recommended: [],
      },
      ok: false,
    });
    expect(json.errors).toEqual([]);
    expect(json.skipped.map((s: { file: string }) => s.file)).toEqual(['cards/README.md', 'cards/ethics-checklist.md']);
  });

  test('a complete card exits 0; --gate checks another gate', async () => {
    const complete = join(root, 'cards', 'demand-forecaster.md');
    expect((await cli('check', complete)).code).toBe(0);
    const { code, stdout } = await cli('check', complete, '--gate', '9', '--json');
    expect(code).toBe(1);
    const [card] = JSON.parse(stdout).cards;
    expect(card.gate).toEqual({ from: 8, to: 9, recurring: false });
    expect(card.missing.required).toEqual([expect.objectContaining({ key: 'ethics-checks', reason: 'incomplete' })]);
  });

  test('--flow applies another flow file to every card', async () => {
    const flow = join(root, 'test', 'fixtures', 'flows', 'team-fast.yaml');
    const { code, stdout } = await cli('check', 'cards/retina-lesion-detector.md', '--flow', flow);
    expect(code).toBe(0);
    expect(stdout).toContain('gate 3 → 4: ready for the gate review; 1 recommended missing');
    expect(stdout).toContain('recommended Testing status (testing-status) line 35: empty');
  });

  test('a broken card or a named non-card exits 2 with file, line and reason', async () => {
    copyFileSync(join(root, 'cards', 'demand-forecaster.md'), join(dir, 'good.md'));
    writeFileSync(join(dir, 'bad.md'), '# MLTRL card\n\n| a | b |\n|---|---|\n| Tech name (project ID) | X (X1) |\n| Current Level | eleven |\n');
    const { code, stdout } = await cli('check', dir, '--json');
    expect(code).toBe(2);
    expect(JSON.parse(stdout).errors).toEqual([
      { file: join(dir, 'bad.md'), line: 6, code: 'bad-level', message: expect.stringContaining('"eleven"') },
    ]);
    const named = await cli('check', join(root, 'cards', 'README.md'));
    expect(named.code).toBe(2);
    expect(named.stdout).toContain('is not an MLTRL card');
  });

  test('a bad --flow file names file, path and problem, exit 2', async () => {
    const flow = join(dir, 'flow.yaml');
    writeFileSync(flow, 'name: x\nlevels: []\n');
    const { code, stderr } = await cli('check', 'cards', '--flow', flow);
    expect(code).toBe(2);
    expect(stderr).toContain(`${flow}:2: levels:`);
  });
});

/** Usage errors run in-process (same code path as the spawned CLI, without paying for a process each). */
describe('cards command usage errors', () => {
  let errors: string[];
  let logs: string[];
  beforeEach(() => {
    errors = [];
    logs = [];
    jest.spyOn(console, 'error').mockImplementation((text: string) => void errors.push(text));
    jest.spyOn(console, 'log').mockImplementation((text: string) => void logs.push(text));
  });
  afterEach(() => jest.restoreAllMocks());

  test.each([
    [['check', 'cards', '--gate', 'eleven'], '--gate must be a level from 1 to 9, not "eleven"'],
    [['check', 'cards', '--gate=0'], '--gate must be a level from 1 to 9, not "0"'],
    [['check', 'cards', '--gate'], '--gate needs a value'],
    [['check', 'cards', '--flow'], '--flow needs a value'],
    [['check', 'cards', '--colour'], 'unknown option "--colour"'],
    [['check'], 'say which card folder or card file to check'],
    [['check', 'cards', 'more'], 'one folder or file at a time (got "cards" and "more")'],
    [['check', 'no/such/dir'], '"no/such/dir" does not exist'],
    [['lint', 'cards'], 'unknown sub-command "lint": use "check" or "init"'],
    [[], 'missing sub-command: use "check" or "init"'],
  ])('%j: one line saying what is wrong, then the usage, exit 2', async (args, message) => {
    const cwd = process.cwd();
    process.chdir(root);
    try {
      expect(await run(args)).toBe(2);
    } finally {
      process.chdir(cwd);
    }
    expect(logs).toEqual([]);
    const [first, ...rest] = errors.join('\n').split('\n');
    expect(first).toBe(`mltrl-bot cards: ${message}`);
    expect(rest.join('\n')).toContain('usage: mltrl-bot cards check <dir-or-file>');
  });

  test('--help prints the usage with the exit codes, exit 0', async () => {
    expect(await run(['check', '--help'])).toBe(0);
    expect(logs.join('\n')).toContain('exit status: 0');
  });
});

/** `--format github|junit` for a card repository's CI, in-process. */
describe('cards check for CI', () => {
  let logs: string[];
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cards-ci-'));
    copyFileSync(join(root, 'cards', 'retina-lesion-detector.md'), join(dir, 'retina.md'));
    copyFileSync(join(root, 'cards', 'demand-forecaster.md'), join(dir, 'demand, v2.md'));
    writeFileSync(join(dir, 'broken.md'), '# Card\n\n| Tech name (project ID) | X (X01.1) |\n| --- | --- |\n| Current Level | soon & <later> |\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    logs = [];
    jest.spyOn(console, 'log').mockImplementation((text: string) => void logs.push(text));
  });
  afterEach(() => jest.restoreAllMocks());

  test('--format github: one annotation per gap and per broken card, on its line', async () => {
    expect(await run(['check', dir, '--format', 'github'])).toBe(2);
    const lines = logs.join('\n').split('\n');
    const file = join(dir, 'retina.md');
    expect(lines).toContain(
      `::error file=${file},line=11,title=R07.2%3A gate 3 -> 4::Code repo & docs (code-repo): template text only`,
    );
    expect(lines).toContain(`::error file=${file},line=35,title=R07.2%3A gate 3 -> 4::Testing status (testing-status): empty`);
    expect(lines.find((line) => line.includes('broken.md'))).toMatch(
      new RegExp(`^::error file=${join(dir, 'broken.md')},line=5,title=card::.*soon & <later>`),
    );
    // Commas and colons in properties are escaped; the forecaster meets its gate, so it has no error line.
    expect(lines.filter((line) => line.includes('demand%2C v2.md')).every((line) => line.startsWith('::warning'))).toBe(true);
  });

  test('--format junit: a test case per card, failures with each gap line, errors for broken cards', async () => {
    expect(await run(['check', dir, '--format=junit'])).toBe(2);
    const out = logs.join('\n');
    expect(out).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="mltrl-bot cards check" tests="3" failures="1" errors="1"/);
    expect(out).toContain('name="R07.2 Retina lesion detector: gate 3 -&gt; 4"');
    expect(out).toContain(`${join(dir, 'retina.md')}:35: Testing status (testing-status): empty`);
    expect(out).toContain('Code repo &amp; docs');
    expect(out).toMatch(/<error message="[^"]*soon &amp; &lt;later&gt;[^"]*" type="bad-level"\/>/);
    expect(out.match(/<testcase /g)).toHaveLength(3);
  });

  test('control characters in a card or a file name reach the terminal as visible escapes, never raw', async () => {
    const hostile = mkdtempSync(join(tmpdir(), 'cards-ctl-'));
    try {
      const card = [
        '# MLTRL Card - Evil\u001b[2J\u001b]0;owned\u0007 detector - level 2',
        '',
        '| Summary info | Content |',
        '| --- | --- |',
        '| Tech name (project ID) | Evil\u001b[31m detector\u009b (EV\u202e1) |',
        '| Current Level | 2 |',
        '| Owner(s) | Mallory\u0008\u0008\u0008Alice |',
        '',
      ].join('\n');
      writeFileSync(join(hostile, 'evil.md'), card);
      writeFileSync(join(hostile, 'name\u001b[1mbold.md'), '# not a card\n');
      for (const format of ['text', 'json', 'github', 'junit']) {
        const { stdout, stderr } = await cli('check', hostile, '--format', format);
        // eslint-disable-next-line no-control-regex -- matching control characters is the point
        expect(stdout + stderr).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e]/);
        if (format === 'text' || format === 'json') {
          expect(stdout).toContain('Evil[31m detector');
          expect(stdout).toContain('name\\u001b[1mbold.md');
        }
      }
    } finally {
      rmSync(hostile, { recursive: true, force: true });
    }
  }, 120_000); // four CLI processes, each loading the app's modules

  test('an unknown format is a usage error', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await run(['check', dir, '--format', 'sarif'])).toBe(2);
  });
});
