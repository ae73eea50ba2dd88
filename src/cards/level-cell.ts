import { isOnlyPlaceholder } from '../core/placeholders';

/**
 * The "Current Level" cell: "3", "**4**", "Level 4", "4 (*link to prior level cards*)",
 * "4 ([level 3 card](./r07-level-3.md))". What follows the number is the prior-cards link, when any.
 */
export type LevelCell =
  | { ok: true; level: number; rest: string }
  | { ok: false; code: 'no-level' | 'bad-level'; written: string };

const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const NUMBER = /^[\s*_]*(?:(?:mltrl\s+)?level\s*:?\s*)?(-?\d+(?:[.,]\d+)?|[a-z]+)(?![\p{L}\p{N}])[\s*_]*(.*)$/isu;

export function parseLevelCell(cell: string, placeholders: readonly RegExp[]): LevelCell {
  const written = cell.trim();
  const text = written.replace(/<[^>]*>/g, ' ').trim();
  if (!/[\p{L}\p{N}]/u.test(text) || isOnlyPlaceholder(text, placeholders)) {
    return { ok: false, code: 'no-level', written };
  }
  const match = NUMBER.exec(text);
  if (!match) return { ok: false, code: 'bad-level', written };
  const token = match[1].toLowerCase();
  const level = /^-?\d+$/.test(token) ? Number(token) : WORDS.indexOf(token);
  if (!Number.isInteger(level) || level < 0 || level > 9) return { ok: false, code: 'bad-level', written };
  return { ok: true, level, rest: match[2].trim() };
}
