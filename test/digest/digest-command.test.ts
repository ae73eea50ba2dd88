import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/digest-command';
import type { OutboundMessage } from '../../src/core/messages';

/** `mltrl-bot digest --preview [--json]` on the example cards, without Redis. */
const EXAMPLE_CARDS = join(__dirname, '..', '..', 'cards');

describe('mltrl-bot digest --preview', () => {
  const saved = { ...process.env };
  let out: string;
  let err: string;
  let tmp: string;
  beforeEach(() => {
    out = '';
    err = '';
    tmp = mkdtempSync(join(tmpdir(), 'digest-cli-'));
    process.env = { ...saved, CARDS_DIR: EXAMPLE_CARDS, DEFAULT_TZ: 'Europe/Berlin', REDIS_URL: '' };
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
    jest.spyOn(console, 'error').mockImplementation((...parts) => void (err += parts.join(' ') + '\n'));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.env = saved;
    rmSync(tmp, { recursive: true, force: true });
  });

  it('prints the card-based digest as text and writes the chart', async () => {
    const chart = join(tmp, 'chart.png');
    expect(await run(['--preview', '--chart-out', chart])).toBe(0);
    expect(out).toMatch(/^ML readiness digest · week \d+ \(/);
    expect(out).toContain('Portfolio\nResearch ');
    expect(out).toMatch(/\d+ projects · full list: \/mltrl portfolio/);
    expect(out).toContain('Preview from the cards only: no review history.');
    expect(readFileSync(chart).subarray(1, 4).toString()).toBe('PNG');
  });

  it('--json prints the snapshot and the neutral message, nothing else on stdout', async () => {
    expect(await run(['--preview', '--json'])).toBe(0);
    const parsed = JSON.parse(out) as {
      snapshot: { projects: unknown[]; historyAvailable: boolean };
      message: OutboundMessage;
    };
    expect(parsed.snapshot.historyAvailable).toBe(false);
    expect(parsed.snapshot.projects.length).toBeGreaterThan(0);
    expect(parsed.message.kind).toBe('digest');
    expect(parsed.message.blocks.some((block) => block.type === 'image' && block.pngBase64)).toBe(true);
  });

  it.each([
    [['--json'], 'only --preview is supported (the live digest is posted by the bot)'],
    [['--preview', '--frobnicate'], 'unknown option "--frobnicate"'],
    [['--preview', '--tz'], '--tz needs a value'],
    [
      ['--preview', '--tz', 'Mars/Olympus'],
      'unknown time zone "Mars/Olympus" (use an IANA name such as Europe/Berlin)',
    ],
  ])('bad options %j: one line saying what is wrong, the usage, exit 2', async (args, expected) => {
    expect(await run(args)).toBe(2);
    expect(err.split('\n')[0]).toBe(`mltrl-bot digest: ${expected}`);
    expect(err).toContain('usage: mltrl-bot digest --preview');
    expect(out).toBe('');
  });

  it('a missing CARDS_DIR is named', async () => {
    process.env.CARDS_DIR = join(tmp, 'nope');
    expect(await run(['--preview'])).toBe(2);
    expect(err).toContain(`CARDS_DIR "${join(tmp, 'nope')}" does not exist`);
  });
});
