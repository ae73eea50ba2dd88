import type { CardKey, ExtraField } from '../core/card';
import type { CardSynonyms } from '../core/card-synonyms';
import type { Heading, Paragraph } from './blocks';
import { matchSectionLabel } from './labels';
import type { SourceLines } from './source-lines';

export interface Section {
  key: CardKey;
  label: string;
  text: string;
  /** Heading line, 1-based. */
  line: number;
  /** The section body as written (untrimmed) and the 1-based line it starts on. */
  raw: string;
  bodyLine: number;
}

/**
 * Detail sections under their keys. A section runs to the next heading of the same or a higher level, or
 * to the next heading that names a known section (whatever its level), or to the summary table.
 * Unknown headings are kept as extras; a repeated section is kept as an extra too, the first counts.
 */
export function readSections(
  headings: readonly Heading[],
  source: SourceLines,
  tableLine: number,
  synonyms: CardSynonyms,
): { sections: Section[]; extras: ExtraField[] } {
  const sections: Section[] = [];
  const extras: ExtraField[] = [];
  const keys = headings.map((heading) => matchSectionLabel(heading.text, synonyms));
  const seen = new Set<CardKey>();
  headings.forEach((heading, index) => {
    let end = source.count;
    for (let next = index + 1; next < headings.length; next++) {
      if (headings[next].depth <= heading.depth || keys[next] !== undefined) {
        end = headings[next].line;
        break;
      }
    }
    if (tableLine > heading.line && tableLine < end) end = tableLine;
    const raw = source.slice(heading.end, end);
    const text = raw.trim();
    const key = keys[index];
    const line = heading.line + 1;
    if (key === undefined || seen.has(key)) {
      extras.push({ label: heading.text, text, line, kind: 'section' });
      return;
    }
    seen.add(key);
    sections.push({ key, label: heading.text, text, line, raw, bodyLine: heading.end + 1 });
  });
  return { sections, extras };
}

const TLDR = /^\s*(?:\*\*|__)?\s*TL\s*;?\s*DR\s*[:.]?\s*(?:\*\*|__)?\s*[:\-–—]?\s*/i;

/** The TL;DR line: a paragraph that starts with "TL;DR" (bold or not). */
export function findTldr(paragraphs: readonly Paragraph[]): { text: string; line: number } | undefined {
  for (const paragraph of paragraphs) {
    const match = TLDR.exec(paragraph.text);
    if (match) return { text: paragraph.text.slice(match[0].length).trim(), line: paragraph.line + 1 };
  }
  return undefined;
}
