import type { Card, CardError, CardSet, SkippedFile } from '../core/card';
import { levelInfo, type Flow } from '../core/flow';
import { findGaps, type GapReport } from '../core/gaps';
import { checklistLink, type ChecklistFile } from '../core/ethics-checklist';
import { cardFinder, systemLevelOf, type SystemLevel } from '../core/system-level';
import type { FlowSource } from '../core/ports';
import { cardError } from './card-error';

export interface CardCheck {
  card: Card;
  flow: Flow;
  report: GapReport;
  /** The card's system level through its coupled components (cards at their stated levels). */
  system: SystemLevel;
}

/** `cards check`: every card against its next gate (or the gate into `gateTo`), with errors and skips. */
export interface CheckResult {
  checks: CardCheck[];
  errors: CardError[];
  skipped: SkippedFile[];
}

export function checkCards(
  set: CardSet,
  flows: FlowSource,
  options: {
    gateTo?: number;
    /** Reads a file the card links to (its ethics checklist), from where the card came from. */
    readLinked?: (card: Card, link: string) => ChecklistFile;
  } = {},
): CheckResult {
  const find = cardFinder(set.cards);
  const checks: CardCheck[] = [];
  const errors = [...set.errors];
  for (const card of set.cards) {
    // A `Flow` row naming no known flow is an error, never a silent fall-back to the default flow.
    if (card.flowName && !flows.get(card.flowName)) {
      const known = flows.names?.().join(', ') ?? flows.defaultFlow().name;
      errors.push(cardError(card.file, 'unknown-flow', { flow: card.flowName, known }, card.flowLine));
      continue;
    }
    const flow = flows.forCard(card);
    const system = systemLevelOf(card, { find, levelOf: (other) => other.level, placeholders: flow.placeholders });
    const link = options.readLinked && checklistLink(card);
    const checklist = link ? options.readLinked!(card, link) : undefined;
    checks.push({ card, flow, system, report: findGaps(card, flow, { gateTo: options.gateTo, system, checklist }) });
  }
  return { checks, errors, skipped: set.skipped };
}

/** 2 when any input could not be read or parsed, else 1 when any card has required gaps, else 0. */
export function checkExitCode(result: CheckResult): 0 | 1 | 2 {
  if (result.errors.length > 0) return 2;
  return result.checks.some((check) => !check.report.ok) ? 1 : 0;
}

/** The `--json` shape (issue 2), with a few more fields: flow, level name, gate recurring, skipped. */
export function checkToJson(result: CheckResult, displayPath: (file: string) => string) {
  const gap = (item: GapReport['required'][number]) => ({
    key: item.key,
    label: item.label,
    reason: item.reason,
    line: item.line ?? null,
    ...(item.params ? { params: item.params } : {}),
    ...(item.checklist ? { checklist: item.checklist } : {}),
  });
  return {
    cards: result.checks.map(({ card, flow, report, system }) => ({
      file: displayPath(card.file),
      projectId: card.projectId,
      name: card.name,
      level: card.level,
      levelName: levelInfo(flow, card.level)?.name ?? null,
      systemLevel: system.level,
      coupled: {
        components: system.components.map(({ projectId, level, via }) => ({ projectId, level, via })),
        heldBy: system.heldBy?.projectId ?? null,
        unknown: system.unknown,
        cycles: system.cycles,
      },
      flow: flow.name,
      revision: card.revision,
      owners: card.owners,
      reviewers: card.reviewers,
      gate: { ...report.gate, recurring: report.gate.from === report.gate.to },
      missing: { required: report.required.map(gap), recommended: report.recommended.map(gap) },
      ok: report.ok,
    })),
    errors: result.errors.map((error) => ({
      file: displayPath(error.file),
      line: error.line ?? null,
      code: error.code,
      message: error.message,
    })),
    skipped: result.skipped.map((skip) => ({ file: displayPath(skip.file), reason: skip.reason })),
  };
}
