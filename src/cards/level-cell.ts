import { isOnlyPlaceholder } from '../core/placeholders';

/**
 * The "Current Level" cell: "3", "**4**", "Level 4", "MLTRL-4", "4 - PoC", "4 (*link to prior level cards*)",
 * "4 ([level 3 card](./r07-level-3.md))". `priorCards` is what in the rest of the cell points at earlier
 * cards (its links, or the template's prompt for them); a level name or note ("- PoC") is not.
 */
export type LevelCell =
  | { ok: true; level: number; rest: string; priorCards: string }
  | { ok: false; code: 'no-level' | 'bad-level'; written: string };

const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const NUMBER =
  /^[\s*_]*(?:(?:ml\s*-?\s*)?trl\s*[:#-]?\s*)?(?:(?:level|lvl)\s*[:#-]?\s*|l(?=\d))?(-?\d+(?:[.,]\d+)?|[a-z]+)(?![\p{L}\p{N}])[\s*_]*(.*)$/isu;

export function parseLevelCell(cell: string, placeholders: readonly RegExp[]): LevelCell {
  const written = cell.trim();
  const text = written.replace(/<[^>]*>/g, ' ').trim();
  if (!/[\p{L}\p{N}]/u.test(text) || isOnlyPlaceholder(text, placeholders)) {
    return { ok: false, code: 'no-level', written };
  }
  const match = NUMBER.exec(text.replace(/\[\^[^\]]*\]/g, ''));
  if (!match) return { ok: false, code: 'bad-level', written };
  const token = match[1].toLowerCase();
  const level = /^-?\d+$/.test(token) ? Number(token) : WORDS.indexOf(token);
  if (!Number.isInteger(level) || level < 0 || level > 9) return { ok: false, code: 'bad-level', written };
  const rest = match[2].trim();
  return { ok: true, level, rest, priorCards: priorCardsIn(rest, placeholders) };
}

const MARKDOWN_LINK = /!?\[[^\]]*\]\([^)]*\)|\[[^\]]*\]\[[^\]]*\]/g;
const BARE_LINK = /<?\b(?:https?:\/\/|mailto:)[^\s<>)]+>?|(?:\.{0,2}\/)?[\w./-]+\.md\b/gi;
const PROMPT = /\(\s*([*_]).*?\1\s*\)/g;

/** The links in what follows the level; else the template's prompt (so the gap says "placeholder"); else "". */
export function priorCardsIn(rest: string, placeholders: readonly RegExp[]): string {
  if (!rest) return '';
  const links = rest.match(MARKDOWN_LINK) ?? [];
  const bare = rest.replace(MARKDOWN_LINK, ' ').match(BARE_LINK) ?? [];
  const found = [...links, ...bare];
  if (found.length > 0) return found.join(', ');
  const prompts = rest.match(PROMPT) ?? [];
  const prompt = prompts.find((candidate) => isOnlyPlaceholder(candidate, placeholders) && /prior|previous|earlier|card|link/i.test(candidate));
  return prompt ?? '';
}
