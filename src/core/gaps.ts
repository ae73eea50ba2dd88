import type { Card, CardField, CardKey } from './card';
import { defaultCardLabel } from './card-labels';
import type { Flow, Gate, Requirement } from './flow';
import { gateFrom } from './flow';
import type { Gap, GapReason, GapReport, Waiver } from './gap-types';
import { contentState, DEFAULT_INCOMPLETE, matchesAny } from './placeholders';
import type { SystemLevel } from './system-level';
import { checklistShortfall, parseChecklist, type ChecklistFile } from './ethics-checklist';

export type { Gap, GapReason, GapReport, Waiver } from './gap-types';

/**
 * The gap checker: what the card lacks for its next gate (or for the gate into `gateTo`). Pure, never
 * throws for a parsed card. A level-9 card gets the recurring monitoring review. Required gaps covered
 * by a waiver that has not expired at `now` move to `waived` and no longer block.
 */
export function findGaps(
  card: Card,
  flow: Flow,
  options: {
    gateTo?: number;
    waivers?: Waiver[];
    now?: Date;
    system?: SystemLevel;
    /** The ethics checklist the card links to, as read through the card source. */
    checklist?: ChecklistFile;
  } = {},
): GapReport {
  const gate = selectGate(card, flow, options.gateTo);
  if (!gate) {
    const to = options.gateTo ?? Math.min(card.level + 1, 9);
    return { gate: { from: card.level, to }, required: [], recommended: [], waived: [], ok: true };
  }
  const checklist = { file: options.checklist, demands: gate.ethicsChecklist };
  const missing = collectGaps(card, flow, gate.required, checklist);
  const recommended = collectGaps(card, flow, gate.recommended, checklist);
  if (gate.componentMinLevel !== undefined && options.system) {
    const components = componentGaps(card, gate.componentMinLevel, options.system);
    missing.push(...components.required);
    recommended.push(...components.recommended);
  }
  const active = activeWaivers(options.waivers, options.now);
  if (active.size === 0 || missing.length === 0) {
    return {
      gate: { from: gate.from, to: gate.to },
      required: missing,
      recommended,
      waived: [],
      ok: missing.length === 0,
    };
  }
  const required = missing.filter((gap) => !active.has(gap.key));
  const waived = missing.filter((gap) => active.has(gap.key));
  return { gate: { from: gate.from, to: gate.to }, required, recommended, waived, ok: required.length === 0 };
}

const NO_WAIVERS: ReadonlySet<CardKey> = new Set();

function activeWaivers(waivers: Waiver[] | undefined, now: Date | undefined): ReadonlySet<CardKey> {
  if (!waivers || waivers.length === 0) return NO_WAIVERS;
  const at = (now ?? new Date()).getTime();
  return new Set(waivers.filter((waiver) => Date.parse(waiver.until) > at).map((waiver) => waiver.key));
}

// Plain loops, no closures: the gap checker runs for every card of every digest and status call.
interface ChecklistInput {
  file?: ChecklistFile;
  demands?: Gate['ethicsChecklist'];
}

function collectGaps(
  card: Card,
  flow: Flow,
  requirements: readonly Requirement[],
  checklist: ChecklistInput,
): Gap[] {
  const gaps: Gap[] = [];
  for (const requirement of requirements) {
    const gap =
      requirement.key === 'ethics-checks' && checklist.file
        ? checklistGap(card, flow, checklist.file, checklist.demands ?? {})
        : gapFor(card, flow, requirement);
    if (gap) gaps.push(gap);
  }
  return gaps;
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
  const reason = textReason(field, flow);
  if (reason) return makeGap(requirement.key, field, reason);
  const text = field!.text;
  if (requirement.complete && matchesAny(text, flow.incomplete ?? DEFAULT_INCOMPLETE)) {
    return makeGap(requirement.key, field, 'incomplete');
  }
  if (requirement.key === 'owners' && card.owners.length === 0)
    return makeGap('owners', field, 'placeholder');
  if (requirement.key === 'reviewers' && card.reviewers.length === 0)
    return makeGap('reviewers', field, 'placeholder');
  if (requirement.key === 'stage-debrief') {
    // A prose debrief without the four questions written out is taken as answered; once questions are
    // written, each needs its answer.
    let written = false;
    let unanswered: Card['debrief'][number] | undefined;
    for (const question of card.debrief) {
      if (question.line !== field!.line) written = true;
      if (!question.answered && !unanswered) unanswered = question;
    }
    if (written && unanswered) return makeGap('stage-debrief', field, 'unanswered', unanswered.line);
  }
  return undefined;
}

/**
 * The "Ethics checks?" row when it links a checklist file: the file decides (not the cell's "WIP"). A file
 * that cannot be read is a gap naming its path; otherwise each part the gate demands must be started or
 * complete.
 */
function checklistGap(
  card: Card,
  flow: Flow,
  file: ChecklistFile,
  demands: NonNullable<Gate['ethicsChecklist']>,
): Gap | undefined {
  const field = card.fields['ethics-checks'];
  const reason = textReason(field, flow);
  if (reason) return makeGap('ethics-checks', field, reason);
  if (!file.ok)
    return {
      ...makeGap('ethics-checks', field, 'checklist-missing'),
      params: { path: file.path, problem: file.problem },
    };
  const checklist = parseChecklist(file.text, file.path);
  const short = checklistShortfall(checklist, demands);
  if (short.length === 0) return undefined;
  const { checked, total, parts, path } = checklist;
  return {
    ...makeGap('ethics-checks', field, 'checklist-open'),
    checklist: { checked, total, parts, path, short },
  };
}

/**
 * Each coupled component (transitively) below the gate's minimum holds the gate; components no card
 * carries cannot be checked, so they are reported (recommended), never silently passed over.
 */
function componentGaps(
  card: Card,
  minLevel: number,
  system: SystemLevel,
): { required: Gap[]; recommended: Gap[] } {
  const field = card.fields['coupled-components'];
  const required = system.components
    .filter((component) => component.level < minLevel)
    .map((component) => ({
      ...makeGap('coupled-components', field, 'component-level'),
      params: {
        component:
          component.name && component.name !== component.projectId
            ? `${component.projectId} ${component.name}`
            : component.projectId,
        level: component.level,
        required: minLevel,
      },
    }));
  const recommended = system.unknown.length
    ? [
        {
          ...makeGap('coupled-components', field, 'component-unknown'),
          params: { components: system.unknown.join(', ') },
        },
      ]
    : [];
  return { required, recommended };
}

function makeGap(key: CardKey, field: CardField | undefined, reason: GapReason, line = field?.line): Gap {
  const label = field?.label ?? defaultCardLabel(key);
  return line === undefined ? { key, label, reason } : { key, label, reason, line };
}

function textReason(field: CardField | undefined, flow: Flow): GapReason | undefined {
  if (!field) return 'absent';
  const state = contentState(field.text, flow.placeholders);
  return state === 'content' ? undefined : state;
}
