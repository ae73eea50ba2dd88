import type { Card, CardError, CardField, CardKey, DebriefQuestion, ExtraField } from '../core/card';
import { stripControls } from '../core/control-chars';
import { defaultCardLabel } from '../core/card-labels';
import type { CardSynonyms } from '../core/card-synonyms';
import type { FlowSource } from '../core/ports';
import { isOnlyPlaceholder } from '../core/placeholders';
import { bundledCardSynonyms } from '../flows/load-labels';
import { loadDefaultFlow } from '../flows/load-flows';
import { collectBlocks, pipeRowsWithoutHeader, type Heading } from './blocks';
import { cardError } from './card-error';
import { parseDebrief } from './debrief';
import { liftFootnotes } from './footnotes';
import { parseLevelCell } from './level-cell';
import { parseMarkdownBlocks } from './markdown';
import { parsePeopleCell } from './people-cell';
import { lazyContentHash, withLazyRevisions } from './lazy-revisions';
import { LazyContentHash } from './revision';
import { findTldr, readSections } from './sections';
import { SourceLines } from './source-lines';
import { findSummaryTable, mergeRows, readSummaryRows, type SummaryRows } from './summary-rows';
import { parseTechName, slugify } from './tech-name';
import { escapeMentionPipes } from './mention-pipes';

/** Cards larger than this are refused, not truncated (SPEC section 7). */
export const MAX_CARD_BYTES = 1024 * 1024;

export interface ParseCardOptions {
  /**
   * Template-text patterns of the default flow; used to tell whether an owner or level cell says
   * anything. Omitted: the bundled default flow's (flows/mltrl.yaml, the one place they are written).
   */
  placeholders?: readonly RegExp[];
  /** The patterns of the flow a card's `Flow` row names, so each card is read with its own flow's rules. */
  placeholdersFor?: (flowName: string) => readonly RegExp[] | undefined;
  /** How cards name rows, sections and debrief questions (flows/labels); omitted: the bundled ones. */
  synonyms?: CardSynonyms;
}

/** Parse options from the flows in use: the default flow's patterns, and each named flow's for its cards. */
export function parseOptionsFor(flows: FlowSource): ParseCardOptions {
  return {
    placeholders: flows.defaultFlow().placeholders,
    placeholdersFor: (name) => flows.get(name)?.placeholders,
    ...(flows.synonyms ? { synonyms: flows.synonyms } : {}),
  };
}

let bundled: readonly RegExp[] | undefined;
function bundledPlaceholders(): readonly RegExp[] {
  return (bundled ??= loadDefaultFlow().placeholders);
}

/**
 * Markdown text -> Card, or a CardError with a sentence a person understands. Never throws: anything
 * unexpected becomes an `unreadable` error naming the file.
 */
export function parseCard(text: string, file: string, options: ParseCardOptions = {}): Card | CardError {
  return guarded(file, () => {
    const size = Buffer.byteLength(text, 'utf8');
    if (size > MAX_CARD_BYTES) return cardError(file, 'too-large', { size, limit: MAX_CARD_BYTES });
    if (text.includes('\u0000')) return cardError(file, 'binary');
    return readCard(text, file, options);
  });
}

/** The same for raw bytes, as read from disk: size and NUL bytes are checked before decoding. */
export function parseCardBuffer(bytes: Buffer, file: string, options: ParseCardOptions = {}): Card | CardError {
  return guarded(file, () => {
    if (bytes.length > MAX_CARD_BYTES) return cardError(file, 'too-large', { size: bytes.length, limit: MAX_CARD_BYTES });
    if (bytes.includes(0)) return cardError(file, 'binary');
    return readCard(bytes.toString('utf8'), file, options);
  });
}

/** The full SHA-256 (hex) of the text a card was parsed from: the directory cache compares it. */
export function cardContentHash(card: Card): string | undefined {
  return lazyContentHash(card);
}

function guarded(file: string, read: () => Card | CardError): Card | CardError {
  try {
    return read();
  } catch (error) {
    return cardError(file, 'unreadable', { reason: error instanceof Error ? error.message : String(error) });
  }
}

function readCard(raw: string, file: string, options: ParseCardOptions): Card | CardError {
  const defaults = options.placeholders ?? bundledPlaceholders();
  const synonyms = options.synonyms ?? bundledCardSynonyms();
  // Control characters in a card are never text: they would reach terminals and chat replies as is.
  const text = stripControls(raw);
  const lifted = liftFootnotes(text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text);
  const { notes } = lifted;
  const normalized = escapeMentionPipes(lifted.text);
  const source = new SourceLines(normalized);
  const blocks = collectBlocks(parseMarkdownBlocks(normalized));

  let table = findSummaryTable(blocks.tables, synonyms);
  let hasHeaderRow = true;
  if (!table) {
    table = findSummaryTable(pipeRowsWithoutHeader(source.all()), synonyms);
    hasHeaderRow = false;
  }
  if (!table) return cardError(file, 'not-a-card');
  const summary = readSummaryRows(table, hasHeaderRow, synonyms);
  const flowName =
    summary.flow && !isOnlyPlaceholder(summary.flow.text, defaults) ? summary.flow.text.replace(/[*_`]/g, '').trim() : '';
  // The card's own flow decides what counts as template text on it (falls back to the default flow's).
  const placeholders = (flowName && options.placeholdersFor?.(flowName)) || defaults;
  const titleHeading = findTitle(blocks.headings, summary.line - 1);

  const levelRow = summary.rows.get('current-level')?.[0];
  if (!levelRow) {
    const looksLikeCard = /mltrl/i.test(titleHeading?.text ?? '');
    return looksLikeCard ? cardError(file, 'no-level', { written: '' }, summary.line) : cardError(file, 'not-a-card');
  }
  const level = parseLevelCell(levelRow.text, placeholders);
  if (!level.ok) return cardError(file, level.code, { written: level.written }, levelRow.line);

  const fields: Partial<Record<CardKey, CardField>> = {};
  for (const [key, rows] of summary.rows) fields[key] = mergeRows(rows);
  if (!fields['prior-cards'] && level.priorCards) {
    fields['prior-cards'] = { key: 'prior-cards', label: defaultCardLabel('prior-cards'), text: level.priorCards, line: levelRow.line };
  }

  const extras: ExtraField[] = [...summary.extras];
  const headings = blocks.headings.filter((heading) => heading !== titleHeading);
  const { sections, extras: extraSections } = readSections(headings, source, summary.line - 1, synonyms);
  extras.push(...extraSections, ...notes);
  for (const section of sections) {
    if (fields[section.key]) {
      extras.push({ label: section.label, text: section.text, line: section.line, kind: 'section' });
    } else {
      fields[section.key] = { key: section.key, label: section.label, text: section.text, line: section.line };
    }
  }
  const tldr = fields.tldr ? undefined : findTldr(blocks.paragraphs);
  if (tldr) fields.tldr = { key: 'tldr', label: 'TL;DR', text: tldr.text, line: tldr.line };

  const techRow = summary.rows.get('tech-name')![0];
  const tech = parseTechName(techRow.text, placeholders);
  const fileStem = tech.name && tech.projectId ? '' : slugify(file.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, ''));
  const name = tech.name || fileStem;
  const titleLine = titleHeading ? titleHeading.line + 1 : 1;

  const debriefSection = sections.find((section) => section.key === 'stage-debrief');
  const debrief: DebriefQuestion[] = debriefSection
    ? parseDebrief(debriefSection.raw.split('\n'), debriefSection.bodyLine, debriefSection.line, placeholders, synonyms)
    : parseDebrief([], 1, titleLine, placeholders, synonyms);

  const card = withLazyRevisions(
    {
      file,
      projectId: tech.projectId || fileStem || 'card',
      name,
      level: level.level,
      title: titleHeading?.text ?? name,
      titleLine,
      owners: people(summary, 'owners', placeholders),
      reviewers: people(summary, 'reviewers', placeholders),
      fields,
      extras,
      debrief,
    },
    new LazyContentHash(text),
  );
  if (flowName) {
    card.flowName = flowName;
    card.flowLine = summary.flow!.line;
  }
  return card;
}

/** The title: the first level-1 heading above the summary table, else the first heading above it. */
function findTitle(headings: readonly Heading[], tableLine: number): Heading | undefined {
  const above = headings.filter((heading) => heading.line < tableLine);
  return above.find((heading) => heading.depth === 1) ?? above[0];
}

function people(summary: SummaryRows, key: 'owners' | 'reviewers', placeholders: readonly RegExp[]) {
  const rows = summary.rows.get(key);
  if (!rows) return [];
  if (rows.length === 1) return parsePeopleCell(rows[0].text, placeholders, rows[0].role);
  return rows.flatMap((row) => parsePeopleCell(row.text, placeholders, row.role));
}

export type { CardError };
