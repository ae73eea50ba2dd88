import { isOnlyPlaceholder } from '../core/placeholders';

/** "Retina lesion detector (R07.2)" -> name and project ID; without an ID in parentheses, a slug of the name. */
export function parseTechName(
  cell: string,
  placeholders: readonly RegExp[],
): { name: string; projectId?: string } {
  const withoutLinks = cell.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').trim();
  const match = /^(.*?)\s*\(([^()]+)\)\s*$/.exec(withoutLinks);
  if (match && !isOnlyPlaceholder(`(${match[2]})`, placeholders) && /[\p{L}\p{N}]/u.test(match[2])) {
    const name = plain(match[1]) || plain(match[2]);
    return { name, projectId: plain(match[2]) };
  }
  const nameText = match ? match[1] : withoutLinks;
  const name = isOnlyPlaceholder(nameText, placeholders) ? '' : plain(nameText);
  return { name, projectId: name ? slugify(name) : undefined };
}

function plain(text: string): string {
  return text.replace(/[*_`]+/g, '').trim();
}

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}
