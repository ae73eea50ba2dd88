import type { Translate } from '../ports';
import { clip, duration, gapLabelText, projectLabel } from './sections';
import type { DigestProject, DigestSnapshot } from './snapshot';

/** `portfolio waiting`, `portfolio level 5`, `portfolio mine`, `portfolio R07`. */
export type PortfolioFilter =
  | { kind: 'waiting' }
  | { kind: 'mine' }
  | { kind: 'level'; level: number }
  | { kind: 'project'; text: string };

/** Longest project list in one message; the rest is counted, with how to narrow it. */
export const PORTFOLIO_CAP = 40;

/**
 * Who the viewer is in the snapshot's display text: the mention tokens and names that stand for them
 * among owners and the people a gate waits on (`portfolio mine`).
 */
export interface PortfolioViewer {
  handles: string[];
}

export function filterProjects(
  projects: readonly DigestProject[],
  filter: PortfolioFilter | undefined,
  viewer?: PortfolioViewer,
): DigestProject[] {
  const sorted = [...projects].sort((a, b) => (a.projectId < b.projectId ? -1 : 1));
  if (!filter) return sorted;
  switch (filter.kind) {
    case 'waiting':
      return sorted.filter((p) => p.openReview && p.openReview.waitingOn.length > 0);
    case 'level':
      return sorted.filter((p) => (p.recordedLevel ?? p.statedLevel) === filter.level);
    case 'project': {
      const text = filter.text.toLowerCase();
      return sorted.filter((p) => p.projectId.toLowerCase().startsWith(text));
    }
    case 'mine': {
      const mine = new Set(viewer?.handles ?? []);
      return sorted.filter((p) => [...p.owners, ...(p.openReview?.waitingOn ?? [])].some((h) => mine.has(h)));
    }
  }
}

/**
 * One line per project: ID and name, card level (and the recorded level when it differs), the open
 * gate with its phase and who it waits on, and its oldest gap.
 */
export function portfolioLine(project: DigestProject, now: Date, t: Translate, locale?: string): string {
  const parts = [projectLabel(project.projectId, project.name)];
  parts.push(
    project.recordedLevel !== undefined && project.recordedLevel !== project.statedLevel
      ? t(
          'digest:portfolio.recorded',
          { level: project.statedLevel, recorded: project.recordedLevel },
          locale,
        )
      : t('digest:portfolio.level', { level: project.statedLevel }, locale),
  );
  const review = project.openReview;
  if (!review) {
    parts.push(t('digest:portfolio.noGate', {}, locale));
  } else {
    parts.push(
      t(
        'digest:portfolio.gate',
        {
          from: review.gate.from,
          to: review.gate.to,
          phase: t(`digest:portfolio.phase.${review.phase}`, {}, locale),
          people: review.waitingOn.length
            ? review.waitingOn.join(', ')
            : t('digest:waiting.nobody', {}, locale),
        },
        locale,
      ),
    );
  }
  const oldest = [...(project.gaps ?? [])].sort((a, b) => (a.since < b.since ? -1 : 1))[0];
  if (oldest) {
    parts.push(
      t(
        'digest:portfolio.oldestGap',
        {
          label: gapLabelText(oldest, t, locale),
          duration: duration(new Date(oldest.since), now, t, locale),
        },
        locale,
      ),
    );
  }
  return clip(parts.join(' · '));
}

/** The project list block of `portfolio`: filtered, capped, never cut silently. */
export function portfolioList(
  snapshot: DigestSnapshot,
  filter: PortfolioFilter | undefined,
  viewer: PortfolioViewer | undefined,
  t: Translate,
  locale?: string,
): { title: string; items: string[]; more?: string } {
  const rows = filterProjects(snapshot.projects, filter, viewer);
  const now = new Date(snapshot.now);
  const filterText = filter
    ? t(
        `digest:portfolio.filter.${filter.kind}`,
        { level: (filter as { level?: number }).level, text: (filter as { text?: string }).text },
        locale,
      )
    : undefined;
  const title = filterText
    ? t('digest:portfolio.titleFiltered', { filter: filterText, count: rows.length }, locale)
    : t('digest:portfolio.title', { count: rows.length }, locale);
  if (rows.length === 0) return { title, items: [t('digest:portfolio.none', {}, locale)] };
  const items = rows.slice(0, PORTFOLIO_CAP).map((row) => portfolioLine(row, now, t, locale));
  const more =
    rows.length > PORTFOLIO_CAP
      ? t('digest:portfolio.more', { count: rows.length - PORTFOLIO_CAP }, locale)
      : undefined;
  return { title, items, ...(more ? { more } : {}) };
}
