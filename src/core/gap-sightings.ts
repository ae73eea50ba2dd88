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
  const open = new Set<CardKey>();
  for (const gap of [...report.required, ...report.waived, ...report.recommended]) open.add(gap.key);
  const seen = await store.observe(projectId, [...open], at.toISOString());
  const dated = (gap: Gap): Gap => (seen[gap.key] ? { ...gap, firstSeen: seen[gap.key] } : gap);
  return {
    ...report,
    required: report.required.map(dated),
    recommended: report.recommended.map(dated),
    waived: report.waived.map(dated),
  };
}
