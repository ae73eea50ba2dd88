import type { Token } from './markdown';

/** The block structure the card reader needs, from one pass over markdown-it's tokens. Lines are 0-based. */
export interface TableRow {
  cells: string[];
  line: number;
}

export interface Heading {
  depth: number;
  text: string;
  /** First line of the heading and the line after it. */
  line: number;
  end: number;
}

export interface Paragraph {
  text: string;
  line: number;
}

export interface Blocks {
  tables: TableRow[][];
  headings: Heading[];
  /** Top-level paragraphs that start with "TL" (candidates for the TL;DR line). */
  paragraphs: Paragraph[];
}

const MAYBE_TLDR = /^[\s*_]*TL/i;

export function collectBlocks(tokens: readonly Token[]): Blocks {
  const blocks: Blocks = { tables: [], headings: [], paragraphs: [] };
  let table: TableRow[] | undefined;
  let row: TableRow | undefined;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    switch (token.type) {
      case 'table_open':
        table = [];
        blocks.tables.push(table);
        break;
      case 'table_close':
        table = undefined;
        break;
      case 'tr_open':
        row = { cells: [], line: token.map ? token.map[0] : -1 };
        break;
      case 'tr_close':
        if (table && row) table.push(row);
        row = undefined;
        break;
      case 'inline':
        if (row) row.cells.push(cleanCell(token.content));
        break;
      case 'heading_open': {
        const inline = tokens[index + 1];
        if (token.map && inline?.type === 'inline') {
          blocks.headings.push({
            depth: Number(token.tag.slice(1)),
            text: inline.content.trim(),
            line: token.map[0],
            end: token.map[1],
          });
        }
        break;
      }
      case 'paragraph_open': {
        const inline = tokens[index + 1];
        // Only a paragraph that may be the TL;DR line is kept; cards have dozens of others.
        if (token.map && inline?.type === 'inline' && token.level === 0 && MAYBE_TLDR.test(inline.content)) {
          blocks.paragraphs.push({ text: inline.content, line: token.map[0] });
        }
        break;
      }
    }
  }
  return blocks;
}

/** GFM keeps `\|` escaped in the raw cell text; a person means a pipe. */
function cleanCell(content: string): string {
  return (content.includes('\\|') ? content.replace(/\\\|/g, '|') : content).trim();
}

/**
 * Pipe rows that markdown-it did not read as a table (a table without its header/delimiter row): each
 * run of lines starting with "|" becomes a table, so such a card still parses sensibly.
 */
export function pipeRowsWithoutHeader(lines: readonly string[]): TableRow[][] {
  const tables: TableRow[][] = [];
  let current: TableRow[] | undefined;
  lines.forEach((line, at) => {
    const trimmed = line.trim();
    if (!trimmed.startsWith('|')) {
      current = undefined;
      return;
    }
    if (/^\|[\s|:-]+\|?$/.test(trimmed)) return; // a delimiter row
    if (!current) {
      current = [];
      tables.push(current);
    }
    const cells = trimmed
      .replace(/^\||\|$/g, '')
      .split(/(?<!\\)\|/)
      .map(cleanCell);
    current.push({ cells, line: at });
  });
  return tables;
}
