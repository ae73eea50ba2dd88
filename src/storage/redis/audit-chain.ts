import { createHash } from 'node:crypto';

/**
 * The audit trail's hash chain, per project: every entry carries the hash of the project's previous entry
 * (`p`) and its own hash (`h` = SHA-256 of `p`, a newline and the entry's JSON as stored). Changing an
 * entry breaks its own hash; removing or inserting one breaks the link of the entry after it. Entries
 * written before the chain existed carry no hash; the chain starts after them.
 */
export function chainHash(prev: string, json: string): string {
  return createHash('sha256').update(prev).update('\n').update(json).digest('hex');
}

export interface ChainEntry {
  id: string;
  /** The entry's JSON exactly as stored. */
  json: string;
  prev?: string;
  hash?: string;
}

export interface ChainProblem {
  id: string;
  kind: 'changed' | 'unlinked';
}

/**
 * Where a trimmed chain starts: the hash and id of the last entry removed by the length policy, and how
 * many were removed in all (see audit-trim.ts).
 */
export interface ChainAnchor {
  hash: string;
  id: string;
  count: number;
  at?: string;
}

/**
 * The problems of one project's chain, oldest first (empty: the chain holds). With an anchor the first
 * entry must link to the anchor's hash; without one, a first chained entry that links to anything means
 * entries before it were removed.
 */
export function verifyChain(entries: ChainEntry[], anchor?: ChainAnchor): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let previous: string | undefined = anchor?.hash;
  let unchainedBefore = false;
  for (const entry of entries) {
    if (entry.hash === undefined) {
      // Written before the chain existed (or by hand without one): nothing vouches for it.
      if (previous !== undefined) problems.push({ id: entry.id, kind: 'unlinked' });
      else unchainedBefore = true;
      continue;
    }
    if (chainHash(entry.prev ?? '', entry.json) !== entry.hash)
      problems.push({ id: entry.id, kind: 'changed' });
    // The first chained entry may follow unchained (older) entries: its link is taken as given.
    else if (previous !== undefined ? entry.prev !== previous : !unchainedBefore && (entry.prev ?? '') !== '')
      problems.push({ id: entry.id, kind: 'unlinked' });
    previous = entry.hash;
  }
  return problems;
}

/** `field value field value ...` of a stream entry, as a map. */
export function streamFields(fields: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i], fields[i + 1]);
  return map;
}
