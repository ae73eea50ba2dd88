import type { Card, CardField } from './card';
import { defaultCardLabel } from './card-labels';
import type { Flow, Gate, Requirement } from './flow';
import { gateFrom } from './flow';
import type { Gap, GapReason, GapReport, Waiver } from './gap-types';
import { DEFAULT_INCOMPLETE, hasContent, isOnlyPlaceholder, matchesAny } from './placeholders';

export type { Gap, GapReason, GapReport, Waiver } from './gap-types';

/**
 * The gap checker: what the card lacks for its next gate (or for the gate into `gateTo`). Pure, never
 * throws for a parsed card. A level-9 card gets the recurring monitoring review. Required gaps covered
 * by a waiver that has not expired at `now` move to `waived` and no longer block.
 */
export function findGaps(
  card: Card,
  flow: Flow,
  options: { gateTo?: number; waivers?: Waiver[]; now?: Date } = {},
): GapReport {
  const gate = selectGate(card, flow, options.gateTo);
  if (!gate) {
    const to = options.gateTo ?? Math.min(card.level + 1, 9);
    return { gate: { from: card.level, to }, required: [], recommended: [], waived: [], ok: true };
  }
  const check = (requirement: Requirement) => gapFor(card, flow, requirement);
  const missing = gate.required.map(check).filter((gap): gap is Gap => gap !== undefined);
  const recommended = gate.recommended.map(check).filter((gap): gap is Gap => gap !== undefined);

  const now = (options.now ?? new Date()).getTime();
  const active = new Set(
    (options.waivers ?? []).filter((waiver) => Date.parse(waiver.until) > now).map((waiver) => waiver.key),
  );
  const required = missing.filter((gap) => !active.has(gap.key));
  const waived = missing.filter((gap) => active.has(gap.key));
  return { gate: { from: gate.from, to: gate.to }, required, recommended, waived, ok: required.length === 0 };
}

/** The gate out of the card's level, or the gate into `gateTo` (the recurring one for a level-9 card). */
export function selectGate(card: Card, flow: Flow, gateTo?: number): Gate | undefined {
  if (gateTo === undefined) return gateFrom(flow, card.level);
  const candidates = flow.gates.filter((gate) => gate.to === gateTo);
  return (
    candidates.find((gate) => gate.from === card.level) ??
    candidates.find((gate) => !gate.recurring) ??
    candidates[0]
  );
}

function gapFor(card: Card, flow: Flow, requirement: Requirement): Gap | undefined {
  const field = card.fields[requirement.key];
  const label = field?.label ?? defaultCardLabel(requirement.key);
  const gap = (reason: GapReason, line = field?.line): Gap =>
    line === undefined
      ? { key: requirement.key, label, reason }
      : { key: requirement.key, label, reason, line };

  const reason = textReason(field, flow);
  if (reason) return gap(reason);
  if (requirement.complete && matchesAny(field!.text, flow.incomplete ?? DEFAULT_INCOMPLETE)) {
    return gap('incomplete');
  }
  if (requirement.key === 'owners' && card.owners.length === 0) return gap('placeholder');
  if (requirement.key === 'reviewers' && card.reviewers.length === 0) return gap('placeholder');
  if (requirement.key === 'stage-debrief') {
    // A prose debrief without the four questions written out is taken as answered; once questions are
    // written, each needs its answer.
    const written = card.debrief.filter((question) => question.line !== field!.line);
    const unanswered = card.debrief.find((question) => !question.answered);
    if (written.length > 0 && unanswered) return gap('unanswered', unanswered.line);
  }
  return undefined;
}

function textReason(field: CardField | undefined, flow: Flow): GapReason | undefined {
  if (!field) return 'absent';
  if (!hasContent(field.text)) return 'empty';
  if (isOnlyPlaceholder(field.text, flow.placeholders)) return 'placeholder';
  return undefined;
}
