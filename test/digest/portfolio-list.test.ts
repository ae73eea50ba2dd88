import { parseCommand } from '../../src/core/commands';
import { buildDigest } from '../../src/core/digest';
import type { OutboundMessage } from '../../src/core/messages';
import { defaultTranslator } from '../../src/i18n/translator';
import { generateSnapshot } from './support/generate-snapshot';

/** `portfolio` lists every project; its filters keep the ones asked for. */
const t = defaultTranslator();
const snapshot = generateSnapshot({ projects: 60 });
const projectList = (message: OutboundMessage) => {
  const block = message.blocks.find((b) => b.type === 'list' && b.title?.startsWith('Projects'));
  if (block?.type !== 'list') throw new Error('no project list');
  return block;
};
const portfolio = (text: string) => {
  const parsed = parseCommand(text);
  if (!parsed.ok || parsed.command.name !== 'portfolio') throw new Error(`not a portfolio command: ${text}`);
  const viewer = { handles: ['<@U0SAM>'] };
  return buildDigest(snapshot, { mode: 'portfolio', filter: parsed.command.filter, viewer }, t)!;
};

describe('portfolio filters', () => {
  it('lists every project with its level, open gate, who it waits on and its oldest gap', () => {
    const list = projectList(portfolio('portfolio'));
    expect(list.title).toBe('Projects (60)');
    expect(list.items).toHaveLength(40);
    expect(list.more).toBe(
      '...and 20 more; narrow the list: /mltrl portfolio waiting, mine, level <n> or a project ID prefix',
    );
    expect(list.items).toContain(
      'P0006.3 Demand forecaster · card level 3, recorded 2 · gate 3 -> 4 (vote), waiting on <@U0SAM>',
    );
  });

  it('waiting, level, mine and an ID prefix each keep only their projects', () => {
    const waiting = projectList(portfolio('portfolio waiting'));
    expect(waiting.title).toMatch(/^Projects, waiting on people \(\d+\)$/);
    expect(waiting.items.every((item) => item.includes('waiting on'))).toBe(true);

    const level5 = projectList(portfolio('portfolio level 5'));
    const expected = snapshot.projects.filter((p) => (p.recordedLevel ?? p.statedLevel) === 5).length;
    expect(level5.title).toBe(`Projects, level 5 (${expected})`);
    expect(level5.items.filter((item) => !/level 5|recorded 5/.test(item))).toEqual([]);

    const mine = projectList(portfolio('portfolio mine'));
    expect(mine.items.length).toBeGreaterThan(0);
    const samIds = snapshot.projects
      .filter((p) => [...p.owners, ...(p.openReview?.waitingOn ?? [])].includes('<@U0SAM>'))
      .map((p) => p.projectId)
      .sort();
    expect(mine.items.map((item) => item.split(' ')[0])).toEqual(samIds.slice(0, 40));

    const prefix = projectList(portfolio('portfolio P001'));
    expect(prefix.items).toHaveLength(10);
    expect(prefix.items.every((item) => item.startsWith('P001'))).toBe(true);
    expect(projectList(portfolio('portfolio Z9')).items).toEqual(['No project matches.']);
  });

  it('refuses what is not a filter', () => {
    for (const [text, problem] of [
      ['portfolio level x', 'bad-level'],
      ['portfolio waiting now', 'extra-words'],
      ['portfolio R07/x', 'bad-project'],
    ]) {
      const parsed = parseCommand(text);
      expect(parsed.ok ? undefined : parsed.error.problem).toBe(problem);
    }
  });
});
