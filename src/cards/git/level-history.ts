import type { SimpleGit } from 'simple-git';
import type { Card } from '../../core/card';
import { parseLevelCell } from '../level-cell';

/**
 * Every level a card file stated in its history: the "Current Level" rows added by each commit (one
 * `git log -p` of that file, zero context), plus the levels its prior-level card links name ("level 3
 * card", "level-4.md").
 */
export async function levelHistory(
  git: SimpleGit,
  commit: string,
  path: string,
  card: Card,
  placeholders: readonly RegExp[],
): Promise<number[]> {
  const out = await git.raw(['log', '-p', '--unified=0', '--no-renames', '--no-color', '--format=', commit, '--', path]);
  const levels = new Set<number>();
  for (const line of out.split('\n')) {
    if (!line.startsWith('+|')) continue;
    const cells = line.slice(1).split('|');
    if (!/^\s*current\s+level\s*$/i.test(cells[1] ?? '')) continue;
    const parsed = parseLevelCell(cells[2] ?? '', placeholders);
    if (parsed.ok) levels.add(parsed.level);
  }
  for (const match of (card.fields['prior-cards']?.text ?? '').matchAll(/level[\s_-]*(\d)(?!\d)/gi)) {
    levels.add(Number(match[1]));
  }
  return [...levels].sort((a, b) => a - b);
}
