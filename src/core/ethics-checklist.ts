import type { Card } from './card';

/**
 * MLTRL's ethics checklist as a markdown file next to the cards, linked from the card's "Ethics checks?"
 * cell. Its task-list items (`- [x]` / `- [ ]`) are counted per part: pre-development (per new project),
 * post-development (before deployment) and anything else (organisation questions). A heading naming a
 * part ("Pre-development", "Post-dev checklist") puts every item under it, and under its sub-headings, in
 * that part.
 */
export type ChecklistPart = 'pre-dev' | 'post-dev' | 'other';

export const CHECKLIST_PARTS: readonly ChecklistPart[] = ['pre-dev', 'post-dev', 'other'];

export interface ChecklistCount {
  checked: number;
  total: number;
}

export interface Checklist {
  /** The link as written on the card, e.g. "../ethics_checklist.md". */
  path: string;
  parts: Record<ChecklistPart, ChecklistCount>;
  checked: number;
  total: number;
}

/** A checklist file as read through the card source: its text, or why it could not be read. */
export type ChecklistFile =
  | { path: string; ok: true; text: string }
  | { path: string; ok: false; problem: 'missing' | 'unreadable' | 'outside' | 'too-large' };

/** What a gate asks of each part: at least one item checked, or every item checked. */
export type ChecklistDemand = 'started' | 'complete';

const TASK = /^\s*(?:[-*+]|\d+[.)])\s+\[([ xX])\]/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;

export function partOfHeading(text: string): ChecklistPart | undefined {
  if (/\bpre[\s-]*(?:dev|development)\b/i.test(text)) return 'pre-dev';
  if (/\bpost[\s-]*(?:dev|development)\b/i.test(text)) return 'post-dev';
  return undefined;
}

export function parseChecklist(text: string, path: string): Checklist {
  const parts: Record<ChecklistPart, ChecklistCount> = {
    'pre-dev': { checked: 0, total: 0 },
    'post-dev': { checked: 0, total: 0 },
    other: { checked: 0, total: 0 },
  };
  // The part set by each open heading level: a sub-heading inherits its parent's part.
  const stack: Array<{ depth: number; part: ChecklistPart | undefined }> = [];
  let fence: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const fenceMatch = FENCE.exec(line);
    if (fenceMatch) {
      if (!fence) fence = fenceMatch[1][0];
      else if (fenceMatch[1][0] === fence) fence = undefined;
      continue;
    }
    if (fence) continue;
    const heading = HEADING.exec(line);
    if (heading) {
      const depth = heading[1].length;
      while (stack.length > 0 && stack[stack.length - 1].depth >= depth) stack.pop();
      const inherited = stack.length > 0 ? stack[stack.length - 1].part : undefined;
      stack.push({ depth, part: partOfHeading(heading[2]) ?? inherited });
      continue;
    }
    const task = TASK.exec(line);
    if (!task) continue;
    const part = (stack.length > 0 ? stack[stack.length - 1].part : undefined) ?? 'other';
    parts[part].total++;
    if (task[1] !== ' ') parts[part].checked++;
  }
  const checked = CHECKLIST_PARTS.reduce((sum, part) => sum + parts[part].checked, 0);
  const total = CHECKLIST_PARTS.reduce((sum, part) => sum + parts[part].total, 0);
  return { path, parts, checked, total };
}

/**
 * The checklist file the card's "Ethics checks?" cell links to: the first link (markdown or bare) to a
 * relative path, e.g. `WIP: *link to [checklist](../ethics_checklist.md)*`. A web link (a wiki page)
 * is not followed: the cell's text decides, as without a link.
 */
export function checklistLink(card: Card): string | undefined {
  const text = card.fields['ethics-checks']?.text;
  if (!text) return undefined;
  const targets = [
    ...[...text.matchAll(/\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]),
    ...[
      ...text.replace(/\[[^\]]*\]\([^)]*\)/g, ' ').matchAll(/(?:^|[\s(])((?:\.{1,2}\/)?[\w./-]+\.md)\b/g),
    ].map((match) => match[1]),
  ];
  return targets
    .map((target) => target.replace(/#.*$/, ''))
    .find((target) => target.length > 0 && !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('//'));
}

/** What falls short of the demands, per part: nothing when every demand is met. */
export function checklistShortfall(
  checklist: Checklist,
  demands: Partial<Record<ChecklistPart, ChecklistDemand>>,
): ChecklistPart[] {
  const short: ChecklistPart[] = [];
  // A checklist without part headings is one list: every demand applies to all of it.
  const unsplit = checklist.parts['pre-dev'].total + checklist.parts['post-dev'].total === 0;
  for (const part of CHECKLIST_PARTS) {
    const demand = demands[part];
    if (!demand) continue;
    const { checked, total } = unsplit ? checklist : checklist.parts[part];
    if (total === 0 || (demand === 'started' ? checked === 0 : checked < total)) short.push(part);
  }
  return short;
}

/**
 * "12 of 15 checked (pre-dev complete, post-dev 3 open)" through the caller's catalog: `say(key, params)`
 * with keys `summary`, `partComplete`, `partOpen`, `partEmpty` and `part.<part>`. A demanded part with no
 * items says so.
 */
export function checklistSummary(
  checklist: Pick<Checklist, 'checked' | 'total' | 'parts'> & { short?: ChecklistPart[] },
  say: (key: string, params?: Record<string, string | number>) => string,
): string {
  const shown = CHECKLIST_PARTS.filter(
    (part) => checklist.parts[part].total > 0 || checklist.short?.includes(part),
  );
  const parts = shown.map((part) => {
    const { checked, total } = checklist.parts[part];
    const name = say(`part.${part}`);
    if (total === 0) return say('partEmpty', { part: name });
    return checked === total
      ? say('partComplete', { part: name })
      : say('partOpen', { part: name, count: total - checked });
  });
  return say('summary', { checked: checklist.checked, total: checklist.total, parts: parts.join(', ') });
}
