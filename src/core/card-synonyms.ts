import type { CardKey } from './card';

/** What a summary-row label names: a card key (owners and reviewers maybe split R&D / product), the flow row, or nothing. */
export type LabelMatch =
  { kind: 'key'; key: CardKey; role?: 'rnd' | 'product' } | { kind: 'flow' } | { kind: 'none' };

/** MLTRL's four stage-debrief questions, in MLTRL's order. */
export const DEBRIEF_QUESTIONS = ['accomplished', 'punted', 'learned', 'tech-debt'] as const;

/**
 * How cards name their rows, sections and debrief questions, in every language a team writes: data
 * (flows/labels/*.yaml), read by src/flows. Row and section patterns test labels normalised by the card
 * parser (lower case, punctuation as spaces).
 */
export interface CardSynonyms {
  /** Summary-table rows; the first pattern that matches wins. */
  rows: ReadonlyArray<{ match: RegExp; label: Exclude<LabelMatch, { kind: 'none' }> }>;
  /** Detail-section headings; the first pattern that matches wins. */
  sections: ReadonlyArray<{ match: RegExp; key: CardKey }>;
  /** The four debrief questions in MLTRL's order: how each is named when missing, and its key words. */
  debrief: ReadonlyArray<{ question: string; match: RegExp }>;
  /** A short second question on a question's line that belongs to it ("Mitigated?", "und von wem?"). */
  followUp?: RegExp;
  /** The files these came from, in the order they were read. */
  files: readonly string[];
}
