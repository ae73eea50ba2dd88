import { MAX_SNOOZE_DAYS } from '../commands/command-types';
import type { VoteChoice } from '../engine/store-ports';

/**
 * Button and select values: short, versioned, pipe-separated strings the engine decodes (platforms pass
 * them through untouched). Anything that does not decode is refused as a stale or forged button.
 */
export type ActionValue =
  /** `revision`: the card revision the vote message showed (v2); a click on another one is refused. */
  | { kind: 'vote'; reviewId: string; choice: VoteChoice; level?: number; revision?: string }
  /** `reviewId`: the review the button was sent for (absent on buttons from before it was carried). */
  | { kind: 'snooze'; projectId: string; days: number; reviewId?: string }
  | { kind: 'not-mine'; reviewId: string }
  /** The digest's "Open the portfolio": the full portfolio, privately, with the clicker's own link. */
  | { kind: 'portfolio' };

const SAFE = /^[\w.-]{1,64}$/;
const REVISION = /^[0-9a-f]{6,64}$/i;
const CHOICES: VoteChoice[] = ['approve', 'request-changes', 'abstain', 'switchback'];

export function encodeAction(value: ActionValue): string {
  if (value.kind === 'vote') {
    // v2 appends the revision: the fields before it read as in v1.
    return value.revision
      ? ['v2', value.reviewId, value.choice, value.level ?? '', value.revision].join('|')
      : ['v1', value.reviewId, value.choice, value.level ?? ''].join('|');
  }
  if (value.kind === 'snooze') {
    return value.reviewId
      ? ['s2', value.projectId, value.days, value.reviewId].join('|')
      : ['s1', value.projectId, value.days].join('|');
  }
  if (value.kind === 'portfolio') return 'p1|all';
  return ['n1', value.reviewId].join('|');
}

export function decodeAction(text: string): ActionValue | undefined {
  if (text.length > 300) return undefined;
  const [tag, id, a, b, c] = text.split('|');
  if (!id || !SAFE.test(id)) return undefined;
  if ((tag === 'v1' || tag === 'v2') && CHOICES.includes(a as VoteChoice)) {
    const revision = tag === 'v2' ? c : undefined;
    if (tag === 'v2' && !(revision && REVISION.test(revision))) return undefined;
    const level = b ? Number(b) : undefined;
    if (level !== undefined && !(Number.isInteger(level) && level >= 0 && level <= 9)) return undefined;
    return { kind: 'vote', reviewId: id, choice: a as VoteChoice, level, ...(revision ? { revision } : {}) };
  }
  // The same cap as the snooze command: a forged `s1|R07.2|99` is no way around it.
  if (tag === 's1' && /^\d{1,2}$/.test(a ?? '') && Number(a) > 0 && Number(a) <= MAX_SNOOZE_DAYS)
    return { kind: 'snooze', projectId: id, days: Number(a) };
  if (tag === 's2' && /^\d{1,2}$/.test(a ?? '') && Number(a) > 0 && b && SAFE.test(b))
    return { kind: 'snooze', projectId: id, days: Number(a), reviewId: b };
  if (tag === 'n1') return { kind: 'not-mine', reviewId: id };
  if (tag === 'p1' && id === 'all' && a === undefined) return { kind: 'portfolio' };
  return undefined;
}

/**
 * The review a button value names, even when the rest of it does not decode (a tampered vote kind): so a
 * forged click can be audited against that review's project.
 */
export function reviewIdOfValue(text: string): string | undefined {
  if (text.length > 300) return undefined;
  const [tag, id] = text.split('|');
  return (tag === 'v1' || tag === 'v2' || tag === 'n1') && id && SAFE.test(id) ? id : undefined;
}
