import { z } from 'zod';
import { CARD_KEYS, type CardKey } from './card';
import type { ChecklistDemand, ChecklistPart } from './ethics-checklist';
import { localLevelName, PHASES, type LevelInfo } from './levels';

/**
 * Flow files (flows/*.yaml) say what each gate needs and how it is decided. This is the schema of the
 * file as written; src/flows loads it, reports problems with file and path, and resolves it into a
 * `Flow` (requirements accumulated gate by gate, defaults applied).
 */

const cardKey = z.enum(CARD_KEYS);
const checklistDemand = z.enum(['started', 'complete']);
const ROLE_NAME = /^[a-z0-9][a-z0-9._-]*$/i;
const ROLE_HINT = 'a role like "rnd", "product", "reviewer" or a people.yaml role';
const GROUP_HINT = 'a group name from people.yaml groups, like "ethics-board"';
const VOTER_ROLES_EMPTY =
  'name at least one role (an empty list would let nobody vote); leave it out to let every reviewer vote';
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time like 09:00');

/** A requirement: a card key, optionally demanding completion ("ethics-checks: complete" rejects "WIP: ..."). */
export const requirementSchema = z.union([
  cardKey,
  z.object({ key: cardKey, complete: z.boolean().default(false) }).strict(),
]);

export const votePolicySchema = z
  .object({
    minApprovals: z.number().int().min(1),
    /** Share of eligible voters (0 to 1) who must have voted; abstentions count toward it. */
    quorum: z.number().min(0).max(1),
    /** Reviewer roles whose "request changes" blocks the advance. */
    vetoRoles: z.array(z.string()),
    /** No decision before the vote has been open this long. */
    minOpenHours: z.number().min(0),
    closeAfterBusinessDays: z.number().int().min(1),
    /** Close as soon as the outcome can no longer change. */
    earlyClose: z.boolean(),
    /** People-directory roles who may vote besides the card's reviewers. */
    extraVoterRoles: z.array(z.string()),
    /**
     * Which card reviewers vote at the gate, by role: `reviewer` (a plain "Reviewer(s)" row), `rnd` or
     * `product` (the split rows), or a people-directory role. Absent: every card reviewer votes.
     */
    voterRoles: z.array(z.string().regex(ROLE_NAME, ROLE_HINT)).min(1, VOTER_ROLES_EMPTY).optional(),
    /**
     * Groups (people.yaml `groups:`) each of which must give at least one approval before the gate passes;
     * their members vote at the gate even when the card does not name them.
     */
    approvalFrom: z.array(z.string().regex(ROLE_NAME, GROUP_HINT)).optional(),
  })
  .strict();

export const nudgeScheduleSchema = z
  .object({
    /** Business days after the review starts (or the vote opens) at which owners / voters are reminded. */
    afterBusinessDays: z.array(z.number().int().min(1)).min(1),
    /** After the last reminder, tell the review lead / channel once, then stay silent. */
    escalate: z.boolean(),
  })
  .strict();

export const gateFileSchema = z
  .object({
    from: z.number().int().min(0).max(9),
    to: z.number().int().min(0).max(9),
    required: z.array(requirementSchema).default([]),
    recommended: z.array(requirementSchema).default([]),
    /** Keys required at earlier gates that this gate no longer demands (rare). */
    drop: z.array(cardKey).default([]),
    vote: votePolicySchema.partial().optional(),
    nudges: nudgeScheduleSchema.partial().optional(),
    /** Levels a switchback may go to from this gate (default: any completed level below `from`). */
    switchbackTo: z.array(z.number().int().min(0).max(9)).optional(),
    /** A recurring review that keeps the level (level 9 monitoring). */
    recurring: z.boolean().default(false),
    /**
     * Every coupled component (transitively) must stand at this level or above before this gate passes;
     * carried on to later gates (MLTRL: a system is only as ready as its least mature component).
     */
    componentMinLevel: z.number().int().min(0).max(9).optional(),
    /**
     * What the ethics checklist linked from the card must show, per part: `started` (an item checked) or
     * `complete` (every item checked). Applies where the gate lists `ethics-checks` (required or
     * recommended); carried on to later gates, the stricter demand winning.
     */
    ethicsChecklist: z
      .object({ 'pre-dev': checklistDemand.optional(), 'post-dev': checklistDemand.optional() })
      .strict()
      .optional(),
  })
  .strict();

export const flowFileSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    levels: z
      .array(
        z
          .object({
            level: z.number().int().min(0).max(9),
            name: z.string().min(1),
            phase: z.enum(PHASES),
            /** The level's name per language: `{ de: Systementwicklung, ja: システム開発 }`. */
            names: z
              .record(z.string().regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/), z.string().min(1))
              .optional(),
          })
          .strict(),
      )
      .length(10),
    /** Regular expressions (case-insensitive) for template text that counts as missing. */
    placeholders: z.array(z.string()).default([]),
    /**
     * Regular expressions (case-insensitive) for text that marks a row as started but not complete
     * ("WIP: ..."); a gap only where a gate requires the key with `complete: true`. Omitted: the
     * built-in default (src/core/placeholders.ts).
     */
    incomplete: z.array(z.string()).optional(),
    /** Keys every gate requires (owners, reviewers, level, stage debrief). */
    alwaysRequired: z.array(requirementSchema).default([]),
    defaults: z
      .object({
        vote: votePolicySchema,
        /** From this gate's `from` level on, `voteFromLevel` overrides apply (the hard 5 -> 6 hand-off). */
        voteFromLevel: z
          .object({ level: z.number().int().min(0).max(9), vote: votePolicySchema.partial() })
          .strict()
          .optional(),
        nudges: nudgeScheduleSchema,
        workingHours: z.object({ start: clockTime, end: clockTime }).strict(),
        holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-12-25')).default([]),
        digest: z
          .object({
            schedule: z.string().default('weekly mon 09:00'),
            gapAgeBusinessDays: z.number().int().min(1).default(5),
            staleWeeks: z.number().int().min(1).default(6),
            listCap: z.number().int().min(1).default(5),
          })
          .strict(),
      })
      .strict(),
    gates: z.array(gateFileSchema),
  })
  .strict();

export type FlowFile = z.infer<typeof flowFileSchema>;
export type VotePolicy = z.infer<typeof votePolicySchema>;
export type NudgeSchedule = z.infer<typeof nudgeScheduleSchema>;

export interface Requirement {
  key: CardKey;
  /** "WIP: ..." (started, not complete) counts as a gap only when this is true. */
  complete: boolean;
}

/** A gate resolved from the flow file: full requirement lists and policy, nothing left to default. */
export interface Gate {
  from: number;
  to: number;
  required: Requirement[];
  recommended: Requirement[];
  vote: VotePolicy;
  nudges: NudgeSchedule;
  /** Levels a switchback may target; the engine still refuses levels the project never completed. */
  switchbackTo: number[];
  recurring: boolean;
  /** Coupled components must stand at this level or above (from this gate's file entry or an earlier one). */
  componentMinLevel?: number;
  /** What the linked ethics checklist must show per part (this gate's and earlier gates' demands). */
  ethicsChecklist?: Partial<Record<ChecklistPart, ChecklistDemand>>;
}

export interface Flow {
  name: string;
  /** Where it was loaded from, for messages. */
  file: string;
  levels: LevelInfo[];
  gates: Gate[];
  placeholders: RegExp[];
  /** "Started, not complete" patterns (flow file `incomplete`); undefined means the built-in default. */
  incomplete?: RegExp[];
  workingHours: { start: string; end: string };
  holidays: string[];
  digest: { schedule: string; gapAgeBusinessDays: number; staleWeeks: number; listCap: number };
}

/** The gate out of `level` (level 9's is the recurring monitoring review), or undefined. */
export function gateFrom(flow: Flow, level: number): Gate | undefined {
  return flow.gates.find((gate) => gate.from === level);
}

export function levelInfo(flow: Flow, level: number): LevelInfo | undefined {
  return flow.levels.find((info) => info.level === level);
}

/** The level's name in the reader's language when the flow gives one (`names`), else its `name`. */
export function levelName(flow: Flow, level: number, locale?: string): string {
  const info = levelInfo(flow, level);
  return info ? localLevelName(info, locale) : '';
}

export type { CardKey };
