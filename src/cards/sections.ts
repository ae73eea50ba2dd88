import type { CardKey, ExtraField } from '../core/card';
import type { Heading, Paragraph } from './blocks';
import { matchSectionLabel } from './labels';

export interface Section {
  key: CardKey;
  label: string;
  text: string;
  /** Heading line, 1-based. */
  line: number;
  /** The section body's lines and the 1-based line of the first. */
  body: string[];
  bodyLine: number;
}

/**
 * Detail sections under their keys. A section runs to the next heading of the same or a higher level, or
 * to the next heading that names a known section (whatever its level), or to the summary table.
 * Unknown headings are kept as extras; a repeated section is kept as an extra too, the first counts.
 */
export function readSections(
  headings: readonly Heading[],
  lines: readonly string[],
  tableLine: number,
): { sections: Section[]; extras: ExtraField[] } {
  const sections: Section[] = [];
  const extras: ExtraField[] = [];
  const keys = headings.map((heading) => matchSectionLabel(heading.text));
  const seen = new Set<CardKey>();
  headings.forEach((heading, index) => {
    let end = lines.length;
    for (let next = index + 1; next < headings.length; next++) {
      if (headings[next].depth <= heading.depth || keys[next] !== undefined) {
        end = headings[next].line;
        break;
      }
    }
    if (tableLine > heading.line && tableLine < end) end = tableLine;
    const body = lines.slice(heading.end, end);
    const text = body.join('\n').trim();
    const key = keys[index];
    const line = heading.line + 1;
    if (key === undefined || seen.has(key)) {
      extras.push({ label: heading.text, text, line, kind: 'section' });
      return;
    }
    seen.add(key);
    sections.push({ key, label: heading.text, text, line, body, bodyLine: heading.end + 1 });
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
