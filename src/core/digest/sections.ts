import { defaultCardLabel } from '../card-labels';
import type { Translate } from '../ports';
import { joinList } from '../render/format';
import { businessDaysBetween, calendarDaysBetween } from './business-days';
import type { DigestChange, DigestGap, DigestProject, DigestSettings, DigestSnapshot } from './snapshot';

/**
 * The digest's lists, each sorted (oldest / most urgent first) and capped: only the first `cap` rows are
 * put into words (translating is the expensive part with thousands of projects), while `total` keeps
 * the "...and N more" count exact. Every function is pure over the snapshot.
 */
export interface CappedList {
  items: string[];
  total: number;
}

function capped<T>(rows: T[], cap: number, render: (row: T) => string): CappedList {
  return { items: rows.slice(0, cap).map((row) => clip(render(row))), total: rows.length };
}

/** Plain code-unit order: ISO timestamps and project ids sort right, far faster than localeCompare. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A gap's row or section as the reader should look for it: the card's own label, or, where the card
 * lacks the row, the template's label in the reader's language ("Teststatus").
 */
export function gapLabelText(gap: DigestGap, t: Translate, locale?: string): string {
  return gap.key && gap.label === defaultCardLabel(gap.key)
    ? t(`engine:cardLabel.${gap.key}`, {}, locale)
    : gap.label;
}

/** Longest list item: a hostile card name must not blow a platform's text limit. */
const MAX_ITEM_CHARS = 300;

export function clip(text: string): string {
  return text.length <= MAX_ITEM_CHARS ? text : `${text.slice(0, MAX_ITEM_CHARS - 1)}…`;
}

export function projectLabel(projectId: string, name: string): string {
  return name && name !== projectId ? `${projectId} ${name}` : projectId;
}

export function settingsOf(project: DigestProject, snapshot: DigestSnapshot): DigestSettings {
  return project.settings ? { ...snapshot.settings, ...project.settings } : snapshot.settings;
}

/** "less than a day", "3 days", "5 weeks". */
export function duration(from: Date, to: Date, t: Translate, locale?: string): string {
  const days = calendarDaysBetween(from, to);
  if (days < 1) return t('digest:duration.lessThanDay', {}, locale);
  if (days < 28) return t('digest:duration.days', { count: days }, locale);
  return t('digest:duration.weeks', { count: Math.floor(days / 7) }, locale);
}

function people(list: readonly string[], t: Translate, locale?: string): string {
  return list.length > 0 ? joinList([...list], locale ?? 'en') : t('digest:waiting.nobody', {}, locale);
}

function ownersText(list: readonly string[], t: Translate, locale?: string): string {
  if (list.length === 0) return t('digest:waiting.nobody', {}, locale);
  return t('digest:gaps.owners', { count: list.length, owners: joinList([...list], locale ?? 'en') }, locale);
}

/** Advances, switchbacks, reviews opened and closed, in the order they happened. */
export function changeItems(
  changes: readonly DigestChange[],
  cap: number,
  t: Translate,
  locale?: string,
): CappedList {
  const rows = [...changes].sort((a, b) => compare(a.at, b.at) || compare(a.projectId, b.projectId));
  return capped(rows, cap, (change) => {
    const params = {
      project: projectLabel(change.projectId, change.name),
      from: change.from ?? '?',
      to: change.to ?? '?',
    };
    switch (change.kind) {
      case 'advanced':
        return t('digest:changes.advanced', params, locale);
      case 'switchback':
        return t('digest:changes.switchback', params, locale);
      case 'review-opened':
        return t('digest:changes.reviewOpened', params, locale);
      case 'review-closed': {
        const outcome = t(`digest:changes.outcome.${change.outcome ?? 'cancelled'}`, {}, locale);
        return t('digest:changes.reviewClosed', { ...params, outcome }, locale);
      }
    }
  });
}

/** Open gates, the longest-waiting first. */
export function waitingItems(
  snapshot: DigestSnapshot,
  cap: number,
  t: Translate,
  locale?: string,
): CappedList {
  const now = new Date(snapshot.now);
  const rows = snapshot.projects
    .filter((project) => project.openReview)
    .sort(
      (a, b) =>
        compare(a.openReview!.waitingSince, b.openReview!.waitingSince) || compare(a.projectId, b.projectId),
    );
  return capped(rows, cap, (project) => {
    const review = project.openReview!;
    return t(
      review.phase === 'voting' ? 'digest:waiting.vote' : 'digest:waiting.gaps',
      {
        project: projectLabel(project.projectId, project.name),
        from: review.gate.from,
        to: review.gate.to,
        people: people(review.waitingOn, t, locale),
        duration: duration(new Date(review.waitingSince), now, t, locale),
      },
      locale,
    );
  });
}

/**
 * Required gaps older than the project's flow threshold (in working days), the oldest first: of every
 * project, with an open review or not, each counted from when it was first seen.
 */
export function oldGapItems(
  snapshot: DigestSnapshot,
  cap: number,
  t: Translate,
  locale?: string,
): CappedList {
  const now = new Date(snapshot.now);
  const rows: Array<{ age: number; project: DigestProject; gap: DigestGap }> = [];
  const ages = new Map<string, number>();
  for (const project of snapshot.projects) {
    if (!project.gaps?.length) continue;
    const threshold = settingsOf(project, snapshot).gapAgeBusinessDays;
    for (const gap of project.gaps) {
      let age = ages.get(gap.since);
      if (age === undefined) {
        age = businessDaysBetween(new Date(gap.since), now, snapshot.tz, snapshot.holidays);
        ages.set(gap.since, age);
      }
      if (age > threshold) rows.push({ age, project, gap });
    }
  }
  rows.sort(
    (a, b) =>
      b.age - a.age || compare(a.project.projectId, b.project.projectId) || compare(a.gap.label, b.gap.label),
  );
  return capped(rows, cap, ({ age, project, gap }) =>
    t(
      'digest:gaps.item',
      {
        project: project.projectId,
        section: gapLabelText(gap, t, locale),
        owners: ownersText(project.owners, t, locale),
        count: age,
      },
      locale,
    ),
  );
}

/**
 * Projects without review activity for the flow's `staleWeeks`, the longest-quiet first. A project never
 * reviewed counts from its card's last change (an untouched, never-reviewed card is stale too); only a
 * project with neither is left out.
 */
export function staleItems(snapshot: DigestSnapshot, cap: number, t: Translate, locale?: string): CappedList {
  const now = new Date(snapshot.now);
  const quietSince = (project: DigestProject) => project.lastActivityAt ?? project.cardChangedAt;
  const rows = snapshot.projects
    .filter((project) => {
      const since = quietSince(project);
      if (!since) return false;
      const weeks = settingsOf(project, snapshot).staleWeeks;
      return now.getTime() - Date.parse(since) > weeks * 7 * 86_400_000;
    })
    .sort((a, b) => compare(quietSince(a)!, quietSince(b)!) || compare(a.projectId, b.projectId));
  return capped(rows, cap, (project) =>
    t(
      project.lastActivityAt ? 'digest:stale.item' : 'digest:stale.neverReviewed',
      {
        project: projectLabel(project.projectId, project.name),
        duration: duration(new Date(quietSince(project)!), now, t, locale),
      },
      locale,
    ),
  );
}

/** Cards whose stated level is not the level the reviews recorded. */
export function mismatchItems(
  snapshot: DigestSnapshot,
  cap: number,
  t: Translate,
  locale?: string,
): CappedList {
  const rows = snapshot.projects
    .filter((project) => project.recordedLevel !== undefined && project.recordedLevel !== project.statedLevel)
    .sort((a, b) => compare(a.projectId, b.projectId));
  return capped(rows, cap, (project) =>
    t(
      'digest:mismatch.item',
      {
        project: projectLabel(project.projectId, project.name),
        stated: project.statedLevel,
        recorded: project.recordedLevel,
      },
      locale,
    ),
  );
}

/**
 * Projects whose system level (through coupled components) is below their own level, or whose coupled
 * components cannot all be resolved (unknown IDs, cycles).
 */
export function systemItems(
  snapshot: DigestSnapshot,
  cap: number,
  t: Translate,
  locale?: string,
): CappedList {
  const rows = snapshot.projects
    .filter(
      (project) =>
        project.system &&
        (project.system.heldBy || project.system.unknown.length || project.system.cycles.length),
    )
    .sort((a, b) => compare(a.projectId, b.projectId));
  return capped(rows, cap, (project) => {
    const system = project.system!;
    const own = project.recordedLevel ?? project.statedLevel;
    const parts = [
      system.heldBy
        ? t(
            'digest:system.heldBy',
            {
              project: projectLabel(project.projectId, project.name),
              own,
              system: system.level,
              component: system.heldBy,
            },
            locale,
          )
        : t('digest:system.project', { project: projectLabel(project.projectId, project.name), own }, locale),
    ];
    if (system.unknown.length)
      parts.push(t('digest:system.unknown', { components: system.unknown.join(', ') }, locale));
    for (const cycle of system.cycles)
      parts.push(t('digest:system.cycle', { cycle: cycle.join(' -> ') }, locale));
    return parts.join('; ');
  });
}
