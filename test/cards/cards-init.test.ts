import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createCardDirectory } from '../../src/cards';
import { checkCards } from '../../src/cards/check-cards';
import { readLinkedFile } from '../../src/cards/linked-file';
import { run as cardsCommand } from '../../src/cli/cards-command';
import { createFlowSource, loadDefaultFlow } from '../../src/flows';

const run = promisify(execFile);
const bin = join(__dirname, '..', '..', 'bin', 'mltrl-bot.js');

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { ...process.env, CARDS_DIR: '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The command in this process (spawning tsx per case costs seconds on a busy machine). */
async function inProcess(args: string[]): Promise<{ code: number; stderr: string }> {
  const errors: string[] = [];
  const error = jest.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void errors.push(parts.join(' ')));
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    return { code: await cardsCommand(args), stderr: errors.join('\n') };
  } finally {
    error.mockRestore();
    log.mockRestore();
  }
}

describe('mltrl-bot cards init', () => {
  test('writes a card that reads back as the project, with its ethics checklist linked and counted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mltrl-init-'));
    const made = await cli(['cards', 'init', 'Hull crack segmenter', 'H04.2', '--dir', dir, '--level', '3', '--owner', 'Ana Lima', '--reviewer', '@li']);
    expect(made.code).toBe(0);
    expect(made.stdout).toContain('hull-crack-segmenter.md: H04.2 at level 3.');
    expect(readFileSync(join(dir, 'hull-crack-segmenter.md'), 'utf8')).toContain('[ethics checklist](./hull-crack-segmenter-ethics-checklist.md)');

    const source = createCardDirectory(dir);
    const set = await source.loadAll();
    expect(set.errors).toEqual([]);
    expect(set.cards.map((card) => [card.projectId, card.name, card.level, card.owners.map((p) => p.text), card.reviewers.map((p) => p.text)])).toEqual([
      ['H04.2', 'Hull crack segmenter', 3, ['Ana Lima'], ['@li']],
    ]);
    const flow = loadDefaultFlow();
    const [check] = checkCards(set, createFlowSource([flow], flow), {
      readLinked: (card, link) => readLinkedFile(dir, card.file, link),
    }).checks;
    // Every prompt is template text: the 3 -> 4 gate lists them, and the checklist is counted, not missing.
    expect(check.report.required.map((gap) => [gap.key, gap.reason])).toEqual(
      expect.arrayContaining([
        ['tldr', 'placeholder'],
        ['code-repo', 'placeholder'],
        ['stage-debrief', 'unanswered'],
      ]),
    );
    const ethics = check.report.recommended.find((gap) => gap.key === 'ethics-checks');
    expect(ethics).toMatchObject({ reason: 'checklist-open', checklist: { checked: 0, total: 15, short: ['pre-dev'] } });
  });

  test('refuses to overwrite a file or reuse a project ID, and explains bad arguments', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mltrl-init-'));
    writeFileSync(join(dir, 'taken.md'), '# MLTRL card\n\n| a | b |\n|---|---|\n| Tech name | Taken (T1) |\n| Current Level | 2 |\n');
    const reused = await inProcess(['init', 'Another', 'T1', '--dir', dir]);
    expect(reused.code).toBe(2);
    expect(reused.stderr).toContain('T1 is already the project ID of');
    expect((await inProcess(['init', 'Taken', 'T2', '--dir', dir])).stderr).toContain('taken.md already exists; nothing written');
    const missing = await inProcess(['init', 'Only a name']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("say the project's name and ID");
    expect((await inProcess(['init', 'X', 'X1', '--level', '12', '--dir', dir])).stderr).toContain('--level must be a level from 0 to 9');
    expect((await inProcess(['init', 'X', 'bad id!', '--dir', dir])).stderr).toContain('cannot be a project ID');
  });
});
