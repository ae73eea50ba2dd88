import type { CardKey } from './card';
import type { Checklist, ChecklistPart } from './ethics-checklist';

/** Why a key counts as missing for a gate. */
export type GapReason =
  | 'absent'
  | 'empty'
  | 'placeholder'
  | 'unanswered'
  | 'incomplete'
  /** A coupled component stands below the gate's `componentMinLevel` (params: component, level, required). */
  | 'component-level'
  /** Coupled components no card carries (params: components); reported, not blocking. */
  | 'component-unknown'
  /** The linked ethics checklist falls short of the gate's demand (see `checklist`). */
  | 'checklist-open'
  /** The linked ethics checklist cannot be read (params: path, problem). */
  | 'checklist-missing';

export interface Gap {
  key: CardKey;
  /** The card's own label, or the default label of the key ("Testing status"). */
  label: string;
  reason: GapReason;
  /** Source line on the card, when the row or section is there. */
  line?: number;
  /** What the reason's sentence names (`reason.<reason>` interpolation), for the reasons that need it. */
  params?: Record<string, string | number>;
  /** For `checklist-open`: the counts, and the parts that fall short of the gate's demand. */
  checklist?: Pick<Checklist, 'checked' | 'total' | 'parts' | 'path'> & { short: ChecklistPart[] };
  /** When the bot first saw this section missing (ISO), where it keeps track (the engine, the digest). */
  firstSeen?: string;
}

/** A waiver: a reviewer or admin let this gate go without one key until a date. */
export interface Waiver {
  key: CardKey;
  until: string; // ISO timestamp
  by: string;
  reason: string;
}

export interface GapReport {
  gate: { from: number; to: number };
  required: Gap[];
  recommended: Gap[];
  /** Required gaps covered by an unexpired waiver (not blocking, still reported). */
  waived: Gap[];
  /** True when nothing required is missing (after waivers). */
  ok: boolean;
}
