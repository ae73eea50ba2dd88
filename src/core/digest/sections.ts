import type { Translate } from '../ports';
import { businessDaysBetween, calendarDaysBetween } from './business-days';
import type { DigestChange, DigestProject, DigestSettings, DigestSnapshot } from './snapshot';

/**
 * The digest's lists, each sorted (oldest / most urgent first) but not yet capped: the builder caps them
 * so the "...and N more" count is exact. Every function is pure over the snapshot.
 */

/** Longest list item: a hostile card name must not blow a platform's text limit. */
const MAX_ITEM_CHARS = 300;

export function clip(text: string): string {
  return text.length <= MAX_ITEM_CHARS ? text : `${text.slice(0, MAX_ITEM_CHARS - 1)}…`;
}

export function projectLabel(projectId: string, name: string): string {
  return name && name !== projectId ? `${projectId} ${name}` : projectId;
}

export function settingsOf(project: DigestProject, snapshot: DigestSnapshot): DigestSettings {
  return { ...snapshot.settings, ...project.settings };
}

/** "less than a day", "3 days", "5 weeks". */
export function duration(from: Date, to: Date, t: Translate, locale?: string): string {
  const days = calendarDaysBetween(from, to);
  if (days < 1) return t('digest:duration.lessThanDay', {}, locale);
  if (days < 28) return t('digest:duration.days', { count: days }, locale);
  return t('digest:duration.weeks', { count: Math.floor(days / 7) }, locale);
}

export function changeItems(changes: readonly DigestChange[], t: Translate, locale?: string): string[] {
  return [...changes]
    .sort((a, b) => a.at.localeCompare(b.at) || a.projectId.localeCompare(b.projectId))
    .map((change) => {
      const project = projectLabel(change.projectId, change.name);
      const params = { project, from: change.from ?? '?', to: change.to ?? '?' };
      switch (change.kind) {
        case 'advanced':
          return clip(t('digest:changes.advanced', params, locale));
        case 'switchback':
          return clip(t('digest:changes.switchback', params, locale));
        case 'review-opened':
          return clip(t('digest:changes.reviewOpened', params, locale));
        case 'review-closed': {
          const outcome = t(`digest:changes.outcome.${change.outcome ?? 'cancelled'}`, {}, locale);
          return clip(t('digest:changes.reviewClosed', { ...params, outcome }, locale));
        }
      }
    });
}

function people(list: readonly string[], t: Translate, locale?: string): string {
  return list.length > 0 ? list.join(', ') : t('digest:waiting.nobody', {}, locale);
}

function ownersText(list: readonly string[], t: Translate, locale?: string): string {
  if (list.length === 0) return t('digest:waiting.nobody', {}, locale);
  return t('digest:gaps.owners', { count: list.length, owners: list.join(', ') }, locale);
}

/** Open gates, the longest-waiting first. */
export function waitingItems(snapshot: DigestSnapshot, t: Translate, locale?: string): string[] {
  const now = new Date(snapshot.now);
  return snapshot.projects
    .filter((project) => project.openReview)
    .sort(
      (a, b) =>
        a.openReview!.waitingSince.localeCompare(b.openReview!.waitingSince) ||
        a.projectId.localeCompare(b.projectId),
    )
    .map((project) => {
      const review = project.openReview!;
      const key = review.phase === 'voting' ? 'digest:waiting.vote' : 'digest:waiting.gaps';
      return clip(
        t(
          key,
          {
            project: projectLabel(project.projectId, project.name),
            from: review.gate.from,
            to: review.gate.to,
            people: people(review.waitingOn, t, locale),
            duration: duration(new Date(review.waitingSince), now, t, locale),
          },
          locale,
        ),
      );
    });
}

/** Required gaps older than the project's flow threshold (in working days), the oldest first. */
export function oldGapItems(snapshot: DigestSnapshot, t: Translate, locale?: string): string[] {
  const now = new Date(snapshot.now);
  const rows: Array<{ age: number; text: string }> = [];
  for (const project of snapshot.projects) {
    if (!project.openReview) continue;
    const threshold = settingsOf(project, snapshot).gapAgeBusinessDays;
    for (const gap of project.openReview.gaps) {
      const age = businessDaysBetween(new Date(gap.since), now, snapshot.tz, snapshot.holidays);
      if (age <= threshold) continue;
      const text = t(
        'digest:gaps.item',
        {
          project: project.projectId,
          section: gap.label,
          owners: ownersText(project.owners, t, locale),
          count: age,
        },
        locale,
      );
      rows.push({ age, text: clip(text) });
    }
  }
  return rows.sort((a, b) => b.age - a.age || a.text.localeCompare(b.text)).map((row) => row.text);
}

/** Projects without review activity for the flow's `staleWeeks`, the longest-quiet first. */
export function staleItems(snapshot: DigestSnapshot, t: Translate, locale?: string): string[] {
  const now = new Date(snapshot.now);
  return snapshot.projects
    .filter((project) => {
      if (!project.lastActivityAt) return false;
      const weeks = settingsOf(project, snapshot).staleWeeks;
      return now.getTime() - new Date(project.lastActivityAt).getTime() > weeks * 7 * 86_400_000;
    })
    .sort(
      (a, b) => a.lastActivityAt!.localeCompare(b.lastActivityAt!) || a.projectId.localeCompare(b.projectId),
    )
    .map((project) =>
      clip(
        t(
          'digest:stale.item',
          {
            project: projectLabel(project.projectId, project.name),
            duration: duration(new Date(project.lastActivityAt!), now, t, locale),
          },
          locale,
        ),
      ),
    );
}

/** Cards whose stated level is not the level the reviews recorded. */
export function mismatchItems(snapshot: DigestSnapshot, t: Translate, locale?: string): string[] {
  return snapshot.projects
    .filter((project) => project.recordedLevel !== undefined && project.recordedLevel !== project.statedLevel)
    .sort((a, b) => a.projectId.localeCompare(b.projectId))
    .map((project) =>
      clip(
        t(
          'digest:mismatch.item',
          {
            project: projectLabel(project.projectId, project.name),
            stated: project.statedLevel,
            recorded: project.recordedLevel,
          },
          locale,
        ),
      ),
    );
}
