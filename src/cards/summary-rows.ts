import type { CardField, CardKey, ExtraField, PersonRef } from '../core/card';
import type { CardSynonyms } from '../core/card-synonyms';
import type { TableRow } from './blocks';
import { matchRowLabel } from './labels';

/** One summary-table row read as a key (lines are 1-based from here on). */
export interface KeyedRow {
  key: CardKey;
  label: string;
  text: string;
  line: number;
  role?: PersonRef['role'];
}

export interface SummaryRows {
  /** First row of each key; owners/reviewers may have several (split R&D / product rows). */
  rows: Map<CardKey, KeyedRow[]>;
  extras: ExtraField[];
  flow?: { text: string; line: number };
  /** Line of the table's first row, 1-based. */
  line: number;
}

const MULTI_ROW_KEYS: ReadonlySet<CardKey> = new Set(['owners', 'reviewers']);

/** The summary table: the first table with a tech-name row. */
export function findSummaryTable(
  tables: readonly TableRow[][],
  synonyms: CardSynonyms,
): TableRow[] | undefined {
  return tables.find((table) =>
    table.some((row) => {
      const match = matchRowLabel(row.cells[0] ?? '', synonyms);
      return match.kind === 'key' && match.key === 'tech-name';
    }),
  );
}

export function readSummaryRows(
  table: readonly TableRow[],
  hasHeaderRow: boolean,
  synonyms: CardSynonyms,
): SummaryRows {
  const result: SummaryRows = { rows: new Map(), extras: [], line: (table[0]?.line ?? 0) + 1 };
  table.forEach((row, index) => {
    const label = row.cells[0] ?? '';
    const text =
      row.cells.length <= 2
        ? (row.cells[1] ?? '')
        : row.cells
            .slice(1)
            .filter((cell) => cell.length > 0)
            .join(' | ');
    const line = row.line + 1;
    const match = matchRowLabel(label, synonyms);
    if (match.kind === 'flow') {
      result.flow ??= { text, line };
      return;
    }
    if (match.kind === 'none') {
      // The header row ("Summary info | Content, links") says nothing about the project.
      if (!(hasHeaderRow && index === 0)) result.extras.push({ label, text, line, kind: 'row' });
      return;
    }
    const existing = result.rows.get(match.key);
    if (existing && !MULTI_ROW_KEYS.has(match.key)) {
      result.extras.push({ label, text, line, kind: 'row' }); // a repeated row is kept, the first counts
      return;
    }
    const keyed: KeyedRow = { key: match.key, label, text, line };
    if (match.role) keyed.role = match.role;
    if (existing) existing.push(keyed);
    else result.rows.set(match.key, [keyed]);
  });
  return result;
}

/** Several owner (or reviewer) rows become one field: labels and non-empty texts joined. */
export function mergeRows(rows: readonly KeyedRow[]): CardField {
  if (rows.length === 1) return { key: rows[0].key, label: rows[0].label, text: rows[0].text, line: rows[0].line };
  return {
    key: rows[0].key,
    label: rows.map((row) => row.label).join(' / '),
    text: rows
      .filter((row) => row.text.length > 0)
      .map((row) => row.text)
      .join('; '),
    line: rows[0].line,
  };
}
