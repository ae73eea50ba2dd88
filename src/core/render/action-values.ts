import { MAX_SNOOZE_DAYS } from '../commands/command-types';
import type { VoteChoice } from '../engine/store-ports';

/**
 * Button and select values: short, versioned, pipe-separated strings the engine decodes (platforms pass
 * them through untouched). Anything that does not decode is refused as a stale or forged button.
 */
export type ActionValue =
  | { kind: 'vote'; reviewId: string; choice: VoteChoice; level?: number }
  /** `reviewId`: the review the button was sent for (absent on buttons from before it was carried). */
  | { kind: 'snooze'; projectId: string; days: number; reviewId?: string }
  | { kind: 'not-mine'; reviewId: string }
  /** The digest's "Open the portfolio": the full portfolio, privately, with the clicker's own link. */
  | { kind: 'portfolio' };

const SAFE = /^[\w.-]{1,64}$/;
const CHOICES: VoteChoice[] = ['approve', 'request-changes', 'abstain', 'switchback'];

export function encodeAction(value: ActionValue): string {
  if (value.kind === 'vote') return ['v1', value.reviewId, value.choice, value.level ?? ''].join('|');
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
  const [tag, id, a, b] = text.split('|');
  if (!id || !SAFE.test(id)) return undefined;
  if (tag === 'v1' && CHOICES.includes(a as VoteChoice)) {
    const level = b ? Number(b) : undefined;
    if (level !== undefined && !(Number.isInteger(level) && level >= 0 && level <= 9)) return undefined;
    return { kind: 'vote', reviewId: id, choice: a as VoteChoice, level };
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
