import { isOnlyPlaceholder } from '../core/placeholders';

/**
 * The "Tech name (project ID)" cell -> name and project ID. The ID is the parenthesised part wherever the
 * public template's cells put it, also when decoration follows or surrounds it: `Name (R02.1)[^1]`,
 * `**Name** (R02.1)`, `[Name](link) (R02.1)`, `Name (R02.1) - see note`. Without an ID, a slug of the name.
 */
export function parseTechName(
  cell: string,
  placeholders: readonly RegExp[],
): { name: string; projectId?: string } {
  const text = withoutDecoration(cell);
  const groups = parenthesised(text).filter(
    (group) => /[\p{L}\p{N}]/u.test(group.inner) && !isOnlyPlaceholder(`(${group.inner})`, placeholders),
  );
  // An ID-looking group (one token with a digit: R02.1, ITI_0_0.1) wins wherever it stands; otherwise,
  // as before, only a group that ends the cell is taken as the ID ("Fraud scorer (fraud)").
  const chosen =
    [...groups].reverse().find((group) => ID_LIKE.test(plain(group.inner))) ??
    groups.find((group) => group.end === text.length);
  if (chosen) {
    const projectId = plain(chosen.inner);
    const name = plain(text.slice(0, chosen.start)) || projectId;
    return { name, projectId };
  }
  const nameText = text.replace(/\(\s*([*_]).*?\1\s*\)/g, (prompt) => (isOnlyPlaceholder(prompt, placeholders) ? '' : prompt));
  const name = isOnlyPlaceholder(text, placeholders) ? '' : plain(nameText);
  return { name, projectId: name ? slugify(name) : undefined };
}

/** One token holding a digit, made of letters, digits and ID punctuation. */
const ID_LIKE = /^(?=[^\s]*\p{N})[\p{L}\p{N}][\p{L}\p{N}._:/#-]*$/u;

/** Footnote references, links (inline, reference, autolinks) and HTML tags, reduced to their text. */
function withoutDecoration(cell: string): string {
  return cell
    .replace(/\[\^[^\]]*\]/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/<(?:https?:|mailto:)[^>]*>/gi, '')
    .replace(/<br\s*\/?>/gi, ' ')
    .trim();
}

interface Group {
  inner: string;
  start: number;
  end: number;
}

/** Top-level parenthesised groups, with their positions in the text. */
function parenthesised(text: string): Group[] {
  const groups: Group[] = [];
  let depth = 0;
  let start = -1;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '(') {
      if (depth === 0) start = index;
      depth++;
    } else if (char === ')' && depth > 0) {
      depth--;
      if (depth === 0) groups.push({ inner: text.slice(start + 1, index), start, end: index + 1 });
    }
  }
  return groups;
}

/** Emphasis and code marks removed; an underscore inside a word (ITI_0_0.1) is part of the word. */
export function plain(text: string): string {
  return text
    .replace(/[*`~]+/g, '')
    .replace(/(^|[^\p{L}\p{N}])_+|_+(?=[^\p{L}\p{N}]|$)/gu, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}
