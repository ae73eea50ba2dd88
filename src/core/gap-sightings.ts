import type { CardKey } from './card';
import type { GapSightingStore } from './engine/store-ports';
import type { Gap, GapReport } from './gap-types';

/**
 * Records one look at a project's gaps (a review, a re-check, `status`, Home, the digest) and dates each
 * gap by when its section was first seen missing. Every gap the report names counts as still open, waived
 * and recommended ones too (their sections are still unfilled); a section no longer in the report is
 * forgotten, so it starts again from the day it goes missing again.
 */
export async function sightGaps(
  store: GapSightingStore,
  projectId: string,
  report: GapReport,
  at: Date,
): Promise<GapReport> {
  return (await sightManyGaps(store, [{ projectId, report }], at))[0];
}

/** The same for many projects in one go (the digest), reports in the same order. */
export async function sightManyGaps(
  store: GapSightingStore,
  looks: ReadonlyArray<{ projectId: string; report: GapReport }>,
  at: Date,
): Promise<GapReport[]> {
  const seen = await store.observeMany(
    looks.map(({ projectId, report }) => ({ projectId, open: openKeys(report) })),
    at.toISOString(),
  );
  return looks.map(({ report }, index) => dated(report, seen[index]));
}

function openKeys(report: GapReport): CardKey[] {
  const open = new Set<CardKey>();
  for (const gap of [...report.required, ...report.waived, ...report.recommended]) open.add(gap.key);
  return [...open];
}

function dated(report: GapReport, seen: Partial<Record<CardKey, string>>): GapReport {
  const date = (gap: Gap): Gap => (seen[gap.key] ? { ...gap, firstSeen: seen[gap.key] } : gap);
  return {
    ...report,
    required: report.required.map(date),
    recommended: report.recommended.map(date),
    waived: report.waived.map(date),
  };
}
