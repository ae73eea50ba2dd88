import type { CardKey } from '../core/card';
import type { CardSynonyms, LabelMatch } from '../core/card-synonyms';
import { bundledCardSynonyms } from '../flows/load-labels';

export type { LabelMatch } from '../core/card-synonyms';

/**
 * Row and section labels as people write them, matched tolerantly: case, punctuation, apostrophes,
 * "&" versus "and" and "(s)" plurals do not matter ("Req's, V&V docs" = "reqs v and v docs").
 */
export function normalizeLabel(label: string): string {
  return label
    .toLowerCase()
    .replace(/\(s\)/g, 's')
    .replace(/['’‘`´]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const NONE: LabelMatch = { kind: 'none' };

/** Each label is matched once per synonym set: cards repeat the same few labels thousands of times. */
interface Memo {
  rows: Map<string, LabelMatch>;
  sections: Map<string, CardKey | null>;
}
const memos = new WeakMap<CardSynonyms, Memo>();
const MEMO_LIMIT = 10_000;

function memoOf(synonyms: CardSynonyms): Memo {
  let memo = memos.get(synonyms);
  if (!memo) memos.set(synonyms, (memo = { rows: new Map(), sections: new Map() }));
  return memo;
}

/** What a summary-table row label names, by the synonyms (flows/labels/*.yaml); the first match wins. */
export function matchRowLabel(label: string, synonyms: CardSynonyms = bundledCardSynonyms()): LabelMatch {
  const memo = memoOf(synonyms).rows;
  const cached = memo.get(label);
  if (cached) return cached;
  const normalized = normalizeLabel(label);
  const match = synonyms.rows.find((row) => row.match.test(normalized))?.label ?? NONE;
  if (memo.size < MEMO_LIMIT) memo.set(label, match);
  return match;
}

/** The key a detail-section heading names, if any. */
export function matchSectionLabel(
  label: string,
  synonyms: CardSynonyms = bundledCardSynonyms(),
): CardKey | undefined {
  const memo = memoOf(synonyms).sections;
  const cached = memo.get(label);
  if (cached !== undefined) return cached ?? undefined;
  const normalized = normalizeLabel(label);
  const key = synonyms.sections.find((section) => section.match.test(normalized))?.key;
  if (memo.size < MEMO_LIMIT) memo.set(label, key ?? null);
  return key;
}
