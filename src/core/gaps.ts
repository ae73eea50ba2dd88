import type { Card } from './card';
import type { Flow } from './flow';
import type { GapReport, Waiver } from './gap-types';

export type { Gap, GapReason, GapReport, Waiver } from './gap-types';

/**
 * The gap checker: what the card lacks for its next gate (or for the gate into `gateTo`).
 * CONTRACT (implemented in the foundation issue): pure, never throws for a parsed card.
 */
export function findGaps(
  _card: Card,
  _flow: Flow,
  _options: { gateTo?: number; waivers?: Waiver[]; now?: Date } = {},
): GapReport {
  throw new Error('findGaps: not built yet (foundation issue)');
}
