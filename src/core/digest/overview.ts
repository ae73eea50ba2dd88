import { localLevelName, PHASES, type LevelInfo, type Phase } from '../levels';
import type { DigestProject } from './snapshot';

/** How many projects sit at each level and in each phase. */
export interface PortfolioOverview {
  total: number;
  byLevel: Array<{ level: number; name: string; phase: Phase; count: number }>;
  byPhase: Array<{ phase: Phase; count: number }>;
}

/**
 * The level a project is counted at: the recorded level (what gate reviews decided) when there is one,
 * else the level stated on the card.
 */
export function effectiveLevel(project: DigestProject): number {
  return project.recordedLevel ?? project.statedLevel;
}

export function portfolioOverview(
  projects: readonly DigestProject[],
  levels: readonly LevelInfo[],
  locale?: string,
): PortfolioOverview {
  const counts = new Map<number, number>();
  for (const project of projects) {
    const level = effectiveLevel(project);
    counts.set(level, (counts.get(level) ?? 0) + 1);
  }
  const byLevel = [...levels]
    .sort((a, b) => a.level - b.level)
    .map((info) => ({
      level: info.level,
      name: localLevelName(info, locale),
      phase: info.phase,
      count: counts.get(info.level) ?? 0,
    }));
  const byPhase = PHASES.map((phase) => ({
    phase,
    count: byLevel.filter((row) => row.phase === phase).reduce((sum, row) => sum + row.count, 0),
  }));
  return { total: projects.length, byLevel, byPhase };
}

const BAR_WIDTH = 20;

/**
 * Text bars for clients without images: one line per level, the bar scaled to the largest level, the
 * count always written (a bar alone carries no number for screen readers).
 */
export function levelBars(
  overview: PortfolioOverview,
  /** A level's short mark in the reader's language ("L3", "N3"). */
  levelMark: (level: number) => string = (level) => `L${level}`,
): string[] {
  const max = Math.max(1, ...overview.byLevel.map((row) => row.count));
  const countWidth = String(max).length;
  return overview.byLevel.map((row) => {
    const length = row.count === 0 ? 0 : Math.max(1, Math.round((row.count / max) * BAR_WIDTH));
    return `${levelMark(row.level)} ${'█'.repeat(length)}${'·'.repeat(BAR_WIDTH - length)} ${String(row.count).padStart(countWidth)}  ${row.name}`;
  });
}
