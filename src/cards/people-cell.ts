import type { PersonRef } from '../core/card';
import { hasContent, isOnlyPlaceholder } from '../core/placeholders';

/**
 * An owner/reviewer cell split into people: "Ana Lima, @sam, Priya Nair <priya@example.org>, <@U123ABC>".
 * Separators are commas, semicolons, " and ", "&" and line breaks (`<br>`). Template text names nobody.
 */
export function parsePeopleCell(
  cell: string,
  placeholders: readonly RegExp[],
  role?: PersonRef['role'],
): PersonRef[] {
  // The same few owner and reviewer cells recur on card after card: parse each once per pattern list.
  let byCell = cellCache.get(placeholders);
  if (!byCell) cellCache.set(placeholders, (byCell = new Map()));
  const key = `${role ?? ''}\u0000${cell}`;
  let people = byCell.get(key);
  if (!people) {
    people = readPeopleCell(cell, placeholders, role);
    if (byCell.size >= CELL_CACHE_LIMIT) byCell.clear();
    byCell.set(key, people);
  }
  return people.map((person) => ({ ...person })); // callers own their copies
}

const CELL_CACHE_LIMIT = 5_000;
const cellCache = new WeakMap<readonly RegExp[], Map<string, PersonRef[]>>();

function readPeopleCell(cell: string, placeholders: readonly RegExp[], role?: PersonRef['role']): PersonRef[] {
  const people: PersonRef[] = [];
  // "(*names, comma separated*)" is one prompt, not two people: judge the whole cell first.
  if (!hasContent(cell) || isOnlyPlaceholder(cell, placeholders)) return people;
  for (const part of splitPeople(cell)) {
    if (!hasContent(part) || isOnlyPlaceholder(part, placeholders)) continue;
    const person = parsePerson(part);
    people.push(role ? { ...person, role } : person);
  }
  return people;
}

function splitPeople(cell: string): string[] {
  return cell
    .replace(/<br\s*\/?>/gi, ',')
    .split(/[,;\n]|\s+and\s+|\s+&\s+/i)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/** A Slack user group as Slack writes it: `<!subteam^S0123|@ml-board>` (the label is optional). */
const SLACK_GROUP = /^<!subteam\^([A-Z0-9]+)(?:\|@?([^>]*))?>$/i;
/** A Teams tag mention as Teams sends it: `<at>ML Board</at>`. */
const TEAMS_TAG = /^<at>([^<>]+)<\/at>$/i;
const PLATFORM_ID = /^<@([A-Za-z0-9._:-]+)(?:\|([^>]*))?>$/;
const NAME_AND_EMAIL = /^(.*?)\s*<(?:mailto:)?([^<>\s@]+@[^<>\s@]+)>$/i;
const MARKDOWN_MAILTO = /^\[([^\]]*)\]\(mailto:([^)\s]+)\)$/i;
const MARKDOWN_LINK = /^\[([^\]]*)\]\([^)]*\)$/;
const EMAIL = /^(?:mailto:)?([^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+)$/i;
const HANDLE = /^@([\p{L}\p{N}._-]+)$/u;

export function parsePerson(raw: string): PersonRef {
  const text = raw.trim();
  const plain = stripEmphasis(text);
  let match = SLACK_GROUP.exec(plain);
  if (match) {
    const name = match[2]?.trim();
    return { text, kind: 'group', group: { platform: 'slack', id: match[1], ...(name ? { name } : {}) } };
  }
  match = TEAMS_TAG.exec(plain);
  if (match) return { text, kind: 'group', group: { platform: 'teams', name: match[1].trim() } };
  match = PLATFORM_ID.exec(plain);
  if (match) return withName({ text, kind: 'platform-id', platformId: match[1] }, match[2]);
  match = NAME_AND_EMAIL.exec(plain);
  if (match) return withName({ text, kind: 'email', email: match[2] }, match[1]);
  match = MARKDOWN_MAILTO.exec(plain);
  if (match) return withName({ text, kind: 'email', email: match[2] }, match[1]);
  match = EMAIL.exec(plain);
  if (match) return { text, kind: 'email', email: match[1] };
  match = HANDLE.exec(plain);
  if (match) return { text, kind: 'handle', handle: match[1] };
  match = MARKDOWN_LINK.exec(plain);
  const name = match ? match[1].trim() : plain;
  return { text, kind: 'name', name: name.replace(/\s+/g, ' ') };
}

function withName(ref: PersonRef, name: string | undefined): PersonRef {
  const cleaned = name?.replace(/^["']|["']$/g, '').trim();
  return cleaned ? { ...ref, name: cleaned } : ref;
}

function stripEmphasis(text: string): string {
  return text.replace(/^[*_]+|[*_]+$/g, '').trim();
}
