import type { CardKey } from '../card';
import type { LevelInfo } from '../levels';

/**
 * Everything the digest builder needs, gathered beforehand by src/digest (cards + stores), so building is
 * pure and fast. Times are ISO strings so a snapshot is plain JSON (golden files, `--json`).
 */
export interface DigestSnapshot {
  /** When the digest is built (the scheduled fire time for scheduled digests). */
  now: string;
  /** IANA time zone of the channel (or the caller): business days and dates are counted there. */
  tz: string;
  /** Holidays (YYYY-MM-DD) skipped when counting business days. */
  holidays: string[];
  /** The default flow's levels (names and phases, for the overview). */
  levels: LevelInfo[];
  /** The default flow's digest settings; a project may override them with its own flow's. */
  settings: DigestSettings;
  projects: DigestProject[];
  /** What happened since the previous digest (empty for `portfolio`, and when nothing is recorded). */
  changes: DigestChange[];
  /** Card files that could not be read, so the digest can say so (never silently dropped). */
  brokenCards: number;
  /** False when no review history could be read (the CLI preview): sections that need it are left out. */
  historyAvailable: boolean;
}

export interface DigestSettings {
  gapAgeBusinessDays: number;
  staleWeeks: number;
  listCap: number;
}

export interface DigestProject {
  projectId: string;
  name: string;
  /** Level stated on the card. */
  statedLevel: number;
  /** Level recorded by gate reviews, when the bot has recorded one. */
  recordedLevel?: number;
  /**
   * Through the card's coupled components (MLTRL: the least mature part sets the system's level), when
   * the card names any: the system level, the component holding it below the project's own level, the
   * components no card carries, and cycles.
   */
  system?: { level: number; heldBy?: string; unknown: string[]; cycles: string[][] };
  /** Owners as display text: mention tokens `<@U1>` when resolved, else "@handle" or a name. */
  owners: string[];
  /** Flow settings of the project's own flow, when it differs from the default flow. */
  settings?: Partial<DigestSettings>;
  openReview?: DigestOpenReview;
  /**
   * Required gaps of the project's current gate (the open review's, else the next one), each since it was
   * first seen missing: the same gaps and ages `status` shows. Absent without review history (CLI preview).
   */
  gaps?: DigestGap[];
  /** Last review activity (review opened, vote, nudge answered, outcome), when any is recorded. */
  lastActivityAt?: string;
  /**
   * When the card last changed (its last commit for git sources, else the file's modification time):
   * the age of a project never reviewed.
   */
  cardChangedAt?: string;
}

/**
 * A required gap: its row or section key, the card's own label for it (or the template's English label
 * when the card lacks it: the digest then says it in the reader's language), and when it was first seen.
 */
export interface DigestGap {
  key?: CardKey;
  label: string;
  since: string;
}

export interface DigestOpenReview {
  gate: { from: number; to: number };
  /** Gaps: waiting for owners to complete the card. Voting: waiting for reviewers. */
  phase: 'gaps' | 'voting';
  openedAt: string;
  /** Who the gate waits on now (display text as for owners): owners in `gaps`, pending voters in `voting`. */
  waitingOn: string[];
  /** Since when it waits on them (the vote opening for `voting`, the review opening for `gaps`). */
  waitingSince: string;
}

export type DigestChangeKind = 'advanced' | 'switchback' | 'review-opened' | 'review-closed';

export interface DigestChange {
  kind: DigestChangeKind;
  projectId: string;
  name: string;
  at: string;
  /** Levels for advanced / switchback; the gate for review-opened / review-closed. */
  from?: number;
  to?: number;
  /** How a closed review ended without moving the level (changes-requested, expired, cancelled). */
  outcome?: string;
}

/** Which period a digest covers, in the channel's time zone. */
export interface DigestPeriod {
  /** Stable id used in delivery keys: "2026-W48" (weekly schedules) or "2026-11-27T0900". */
  id: string;
  /** What readers see: "week 48 (23-29 Nov)". */
  label: string;
}
