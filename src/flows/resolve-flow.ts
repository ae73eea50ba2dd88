import { CARD_KEYS, type CardKey } from '../core/card';
import type { ChecklistDemand, ChecklistPart } from '../core/ethics-checklist';
import type { Flow, FlowFile, Gate, Requirement, VotePolicy } from '../core/flow';
import { compilePlaceholder, DEFAULT_INCOMPLETE_SOURCES } from '../core/placeholders';
import type { FlowProblem } from './flow-error';

type FileRequirement = FlowFile['gates'][number]['required'][number];

/**
 * A validated flow file -> Flow: gates in order with requirements accumulated (required stays required;
 * recommended accumulates unless it became required), `alwaysRequired` on every gate, vote and nudge
 * defaults applied, patterns compiled. Problems the schema cannot see (gate chain, regexes) are returned.
 */
export function resolveFlow(data: FlowFile, file: string): { flow?: Flow; problems: FlowProblem[] } {
  const problems: FlowProblem[] = [];
  const problem = (path: string, text: string) => problems.push({ file, path, problem: text });

  const levels = [...data.levels].sort((a, b) => a.level - b.level);
  levels.forEach((info, index) => {
    if (info.level !== index)
      problem('levels', `levels must list 0 to 9 once each (level ${index} is missing)`);
  });

  const placeholders = compileAll(data.placeholders, 'placeholders', problem);
  const incomplete = compileAll(data.incomplete ?? [...DEFAULT_INCOMPLETE_SOURCES], 'incomplete', problem);

  const seenFrom = new Map<number, number>();
  data.gates.forEach((gate, index) => {
    const expectedTo = gate.recurring ? gate.from : gate.from + 1;
    if (gate.to !== expectedTo) {
      problem(
        `gates[${index}].to`,
        gate.recurring
          ? `a recurring gate keeps the level: to must equal from (${gate.from})`
          : `a gate goes up one level: from ${gate.from} the gate goes to ${gate.from + 1}`,
      );
    }
    if (seenFrom.has(gate.from)) {
      problem(`gates[${index}].from`, `gates[${seenFrom.get(gate.from)}] already leaves level ${gate.from}`);
    }
    seenFrom.set(gate.from, index);
    (gate.switchbackTo ?? []).forEach((level, at) => {
      if (level >= gate.from)
        problem(`gates[${index}].switchbackTo[${at}]`, `a switchback goes below ${gate.from}`);
    });
  });
  if (problems.length > 0) return { problems };

  const always = mergeRequirements(new Map(), data.alwaysRequired);
  let required = new Map<CardKey, boolean>();
  let recommended = new Map<CardKey, boolean>();
  let componentMinLevel: number | undefined;
  let ethicsChecklist: Gate['ethicsChecklist'];
  const gates: Gate[] = [...data.gates]
    .sort((a, b) => a.from - b.from || Number(a.recurring) - Number(b.recurring))
    .map((gate) => {
      required = mergeRequirements(required, gate.required);
      for (const key of gate.drop) required.delete(key);
      recommended = mergeRequirements(recommended, gate.recommended);
      const gateRequired = mergeRequirements(new Map(always), toRequirements(required));
      const gateRecommended = new Map([...recommended].filter(([key]) => !gateRequired.has(key)));
      if (gate.componentMinLevel !== undefined)
        componentMinLevel = Math.max(componentMinLevel ?? 0, gate.componentMinLevel);
      for (const [part, demand] of Object.entries(gate.ethicsChecklist ?? {}) as Array<
        [ChecklistPart, ChecklistDemand]
      >) {
        if (!demand) continue;
        const before = ethicsChecklist?.[part];
        ethicsChecklist = { ...ethicsChecklist, [part]: before === 'complete' ? before : demand };
      }
      return {
        from: gate.from,
        to: gate.to,
        required: inCardOrder(gateRequired),
        recommended: inCardOrder(gateRecommended),
        vote: votePolicy(data, gate),
        nudges: { ...data.defaults.nudges, ...defined(gate.nudges ?? {}) },
        switchbackTo:
          gate.switchbackTo ?? Array.from({ length: gate.from }, (_, index) => gate.from - 1 - index),
        recurring: gate.recurring,
        ...(componentMinLevel !== undefined ? { componentMinLevel } : {}),
        ...(ethicsChecklist ? { ethicsChecklist: { ...ethicsChecklist } } : {}),
      };
    });

  return {
    problems,
    flow: {
      name: data.name,
      file,
      levels,
      gates,
      placeholders,
      incomplete,
      workingHours: data.defaults.workingHours,
      holidays: data.defaults.holidays,
      digest: data.defaults.digest,
    },
  };
}

function votePolicy(data: FlowFile, gate: FlowFile['gates'][number]): VotePolicy {
  const fromLevel = data.defaults.voteFromLevel;
  const upper = fromLevel && gate.from >= fromLevel.level ? defined(fromLevel.vote) : {};
  return { ...data.defaults.vote, ...upper, ...defined(gate.vote ?? {}) };
}

function compileAll(
  sources: string[],
  field: string,
  problem: (path: string, text: string) => void,
): RegExp[] {
  const compiled: RegExp[] = [];
  sources.forEach((source, index) => {
    try {
      compiled.push(compilePlaceholder(source));
    } catch (error) {
      problem(`${field}[${index}]`, `not a valid regular expression: ${(error as Error).message}`);
    }
  });
  return compiled;
}

/** A key required twice keeps the stricter demand (complete wins). */
function mergeRequirements(
  into: Map<CardKey, boolean>,
  more: ReadonlyArray<FileRequirement | Requirement>,
): Map<CardKey, boolean> {
  const merged = new Map(into);
  for (const entry of more) {
    const { key, complete } = typeof entry === 'string' ? { key: entry, complete: false } : entry;
    merged.set(key, (merged.get(key) ?? false) || complete);
  }
  return merged;
}

function toRequirements(map: Map<CardKey, boolean>): Requirement[] {
  return [...map].map(([key, complete]) => ({ key, complete }));
}

function inCardOrder(map: Map<CardKey, boolean>): Requirement[] {
  return CARD_KEYS.filter((key) => map.has(key)).map((key) => ({ key, complete: map.get(key)! }));
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
