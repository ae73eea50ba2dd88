import type { Card } from '../card';
import { nearestProject } from '../commands';
import type { Actor, PlatformName } from '../events';
import { gateFrom, type Flow, type Gate } from '../flow';
import type { GapReport, Waiver } from '../gap-types';
import { checklistLink, type ChecklistFile } from '../ethics-checklist';
import { findGaps } from '../gaps';
import { sightGaps } from '../gap-sightings';
import { contentState } from '../placeholders';
import { cardFinder, coupledComponentRefs, systemLevelOf, type SystemLevel } from '../system-level';
import type { GroupSnapshot, GroupTarget } from '../groups';
import { resolvePeople, type ResolvedPerson } from '../people-resolver';
import { isAdmin } from '../person-match';
import { electorateOf, findActorIn, type RequiredGroup } from './electorate';
import type { EngineContext } from './engine-context';
import type { Review } from './store-ports';
import { storeReads, type ContextReads } from './context-reads';

/**
 * Everything the engine knows about one project at one moment: the card (re-read), its flow, the gate
 * under review, the gaps, and the people resolved on the review's platform.
 */
export interface ProjectContext {
  card: Card;
  flow: Flow;
  /** Recorded level, else the card's stated level. */
  level: number;
  recordedLevel?: number;
  gate?: Gate;
  report?: GapReport;
  /** The system level through the card's coupled components (absent when the card names none). */
  system?: SystemLevel;
  waivers: Waiver[];
  owners: ResolvedPerson[];
  reviewers: ResolvedPerson[];
  /**
   * Eligible voters (src/core/engine/electorate.ts): reviewers in the gate's voter roles, the flow's extra
   * voter roles and required groups' members, never the owners.
   */
  voters: ResolvedPerson[];
  /** Card reviewers the gate's voter roles leave out. */
  outsideRoles: ResolvedPerson[];
  /** Groups to expand when the vote opens (the card's, and those the gate requires an approval from). */
  groupTargets: GroupTarget[];
  /** The review's stored group expansions (from the vote's opening on). */
  groups: GroupSnapshot;
  /** Groups the gate requires an approval from, with their members. */
  required: RequiredGroup[];
  /** Card people not found on the platform (they cannot vote; messages say how to fix it). */
  unresolved: string[];
  platform: PlatformName;
  /** Where the flow came from: the card's `Flow` row, the channel's `flow use`, or the default. */
  flowSource: 'card' | 'channel' | 'default';
  /** The card's `Flow` row names no known flow (an error: the default is NOT used silently for reviews). */
  unknownFlow?: string;
}

export type ProjectLookup = { found: true; context: ProjectContext } | { found: false; suggestion?: string };

export async function loadProject(
  ctx: EngineContext,
  projectId: string,
  platform: PlatformName,
  fixedGate?: Review['gate'],
  flowName?: string,
  groups?: GroupSnapshot,
): Promise<ProjectLookup> {
  let card = await ctx.deps.cards.find(projectId);
  if (!card) {
    // A full read before saying "no such card": the source's index may not yet know of an ID just
    // written into an existing file in place.
    const all = await ctx.deps.cards.loadAll();
    card = cardFinder(all.cards)(projectId.trim());
    if (!card)
      return {
        found: false,
        suggestion: nearestProject(
          projectId,
          all.cards.map((c) => c.projectId),
        ),
      };
  }
  return { found: true, context: await contextFor(ctx, card, platform, fixedGate, flowName, groups) };
}

export function contextFor(
  ctx: EngineContext,
  card: Card,
  platform: PlatformName,
  fixedGate?: Review['gate'],
  /** The review's recorded flow, or the channel's choice for a new review; the card's row wins. */
  flowName?: string,
  /** The review's group expansions, once its vote has opened. */
  groups?: GroupSnapshot,
): Promise<ProjectContext> {
  return readContext(ctx, storeReads(ctx), card, platform, fixedGate, flowName, groups);
}

/** contextFor, reading through `reads` (context-memo.ts notes them). */
export async function readContext(
  ctx: EngineContext,
  reads: ContextReads,
  card: Card,
  platform: PlatformName,
  fixedGate?: Review['gate'],
  flowName?: string,
  groups?: GroupSnapshot,
): Promise<ProjectContext> {
  const { deps } = ctx;
  const { flow, flowSource, unknownFlow } = flowOf(ctx, card, flowName);
  const resolver = {
    people: deps.people,
    platformPeople: reads.platformPeople,
    defaultTz: deps.defaultTz,
    defaultLocale: deps.defaultLocale,
  };
  // The owners resolve from the start, beside everything else: a chain of round trips, not a sequence.
  // (Awaited below; the no-op handler only keeps a failure from counting as unhandled meanwhile.)
  const resolvingOwners = resolvePeople(card.owners, platform, resolver);
  resolvingOwners.catch(() => undefined);
  // An open review fixes the gate: its waivers are read in the same round trip as the recorded level.
  const fixed = fixedGate
    ? (flow.gates.find((g) => g.from === fixedGate.from && g.to === fixedGate.to) ??
      gateFrom(flow, fixedGate.from))
    : undefined;
  const [recordedLevel, fixedWaivers] = await Promise.all([
    reads.recordedLevel(card.projectId),
    fixed ? reads.waivers(card.projectId, fixed) : undefined,
  ]);
  const level = recordedLevel ?? card.level;
  const gate = fixedGate ? fixed : gateFrom(flow, level);
  // The reviewers (the electorate needs the owners only at its end), the waivers, the system level and
  // the ethics checklist together.
  const electing = electorateOf({
    card,
    gate,
    owners: resolvingOwners,
    platform,
    snapshot: groups,
    resolver,
  });
  electing.catch(() => undefined);
  const [waivers, system, checklist] = await Promise.all([
    fixedWaivers ?? (gate ? reads.waivers(card.projectId, gate) : []),
    systemFor(reads, card, level, flow),
    gate ? checklistFor(ctx, card, reads) : undefined,
  ]);
  const found = gate
    ? findGaps({ ...card, level: gate.from }, flow, {
        gateTo: gate.to,
        waivers,
        now: ctx.now(),
        system,
        checklist,
      })
    : undefined;
  // Each look at the gaps dates them (first seen).
  const [report, owners, { reviewers, voters, outsideRoles, groupTargets, required }] = await Promise.all([
    found && sightGaps(deps.stores.gapSightings, card.projectId, found, ctx.now()),
    resolvingOwners,
    electing,
  ]);
  const unresolved = [...owners, ...reviewers].filter((p) => !p.userId).map((p) => p.name);
  return {
    card,
    flow,
    level,
    recordedLevel,
    gate,
    report,
    ...(system ? { system } : {}),
    waivers,
    owners,
    reviewers,
    voters,
    outsideRoles,
    groupTargets,
    groups: groups ?? {},
    required,
    unresolved,
    platform,
    flowSource,
    ...(unknownFlow ? { unknownFlow } : {}),
  };
}

/** The ethics checklist the card links to, read through the card source (when it can read files). */
export async function checklistFor(
  ctx: EngineContext,
  card: Card,
  reads: ContextReads = storeReads(ctx),
): Promise<ChecklistFile | undefined> {
  const link = checklistLink(card);
  if (!link || !ctx.deps.cards.readLinked) return undefined;
  return reads.readLinked(card, link);
}

/** The flow of a card: its `Flow` row, else the channel's (or review's) flow, else the default. */
export function flowOf(
  ctx: EngineContext,
  card: Card,
  flowName?: string,
): { flow: Flow; flowSource: ProjectContext['flowSource']; unknownFlow?: string } {
  const { flows } = ctx.deps;
  if (card.flowName) {
    const named = flows.get(card.flowName);
    if (named) return { flow: named, flowSource: 'card' };
    return { flow: flows.defaultFlow(), flowSource: 'card', unknownFlow: card.flowName };
  }
  const chosen = flowName ? flows.get(flowName) : undefined;
  const flow = chosen ?? flows.defaultFlow();
  return { flow, flowSource: flow === flows.defaultFlow() ? 'default' : 'channel' };
}

/** "mltrl, lean" for messages that name the choices. */
export function knownFlows(ctx: EngineContext): string {
  return (ctx.deps.flows.names?.() ?? [ctx.deps.flows.defaultFlow().name]).join(', ');
}

/**
 * The project's system level: its own level (recorded, else the card's) and that of every coupled
 * component, transitively, each at its recorded level where the bot recorded one.
 */
export async function systemFor(
  reads: Pick<ContextReads, 'findCard' | 'recordedLevels'>,
  card: Card,
  level: number,
  flow: Flow,
): Promise<SystemLevel | undefined> {
  const row = card.fields['coupled-components'];
  if (!row || contentState(row.text, flow.placeholders) !== 'content') return undefined;
  const cards = await componentCards(reads, card, flow.placeholders);
  // Only the components' recorded levels: a portfolio's whole table of levels is not read per click.
  const components = [...cards.values()].filter((other): other is Card => !!other && other !== card);
  const recorded = await reads.recordedLevels([...new Set(components.map((other) => other.projectId))]);
  return systemLevelOf(card, {
    find: (id) => (id === card.projectId ? card : (cards.get(id) ?? undefined)),
    levelOf: (other) =>
      other.projectId === card.projectId ? level : (recorded[other.projectId] ?? other.level),
    placeholders: flow.placeholders,
  });
}

/**
 * The cards a card's coupled components can name, transitively, each looked up by ID in the card source
 * (its index answers without listing the directory, which a click used to do: bench/README.md). Keyed by
 * every word the system-level walk will ask about and by each found card's own ID; `null` when no card
 * has that ID.
 */
async function componentCards(
  reads: Pick<ContextReads, 'findCard'>,
  card: Card,
  placeholders: readonly RegExp[],
): Promise<Map<string, Card | null>> {
  const cards = new Map<string, Card | null>([[card.projectId, card]]);
  const expanded = new Set([card.projectId]);
  let expand = [card];
  while (expand.length > 0) {
    // coupledComponentRefs asks `isKnown` about every word of the row; answering "unknown" to each
    // collects them all (and its refs add the whole entries), which are then looked up together.
    const asked = new Set<string>();
    const ask = (word: string) => {
      if (word && !cards.has(word)) asked.add(word);
      return undefined;
    };
    for (const current of expand) {
      const text = current.fields['coupled-components']?.text;
      for (const ref of coupledComponentRefs(text, ask, placeholders)) ask(ref);
    }
    const words = [...asked];
    const found = await Promise.all(words.map((word) => reads.findCard(word)));
    expand = [];
    words.forEach((word, i) => {
      const other = found[i] ?? null;
      cards.set(word, other);
      if (other && !expanded.has(other.projectId)) {
        cards.set(other.projectId, other);
        expanded.add(other.projectId);
        expand.push(other);
      }
    });
  }
  return cards;
}

/**
 * Is the actor one of these resolved people? Only by identity: the same directory person, or the
 * platform user id the card person resolved to. Never by display name, so an unresolved "Li Wei" on a
 * card cannot be claimed by whoever names themselves Li Wei.
 */
export function findActor(
  ctx: EngineContext,
  actor: Actor,
  people: ResolvedPerson[],
): ResolvedPerson | undefined {
  return findActorIn(actor, people, ctx.deps.people);
}

export function actorIsAdmin(ctx: EngineContext, actor: Actor): boolean {
  return isAdmin(actor, ctx.deps.admins, ctx.deps.people);
}

/** Levels the project has completed (passed the gate out of): switchbacks may only go there. */
export async function completedLevels(ctx: EngineContext, projectId: string): Promise<number[]> {
  return (await levelEvidence(ctx, projectId)).completed;
}

/**
 * The levels a project completed: those it advanced from under the bot; with a card source that has
 * history (git), every level below one the card once stated; and, for a project the bot first saw at
 * level N, the levels below N, taking the card's own level as the evidence (MLTRL: a project at level 9
 * went through the levels below it). `perCardBelow` is that N, so messages can say so.
 */
export interface LevelEvidence {
  completed: number[];
  perCardBelow?: number;
  /**
   * With a card source that has history: the levels below its current one that the card stated in an
   * earlier commit (or names a prior-level card of), read at `at`, the card's revision (short SHA).
   */
  perHistory?: { levels: number[]; at: string };
}

export async function levelEvidence(ctx: EngineContext, projectId: string): Promise<LevelEvidence> {
  const history = await ctx.deps.stores.levels.history(projectId);
  const recorded = history.filter((c) => c.kind === 'advanced' && c.from !== undefined).map((c) => c.from!);
  const source = ctx.deps.cards;
  const card = source.levelHistory ? await source.find(projectId) : undefined;
  const stated = card && source.levelHistory ? await source.levelHistory(card) : [];
  const fromCard = stated.length ? Array.from({ length: Math.max(...stated) }, (_, level) => level) : [];
  const entry = history.find((c) => c.kind === 'entry')?.level;
  const perCard = entry ? [...Array(entry).keys()] : [];
  const before = card ? stated.filter((level) => level < card.level) : [];
  return {
    completed: [...new Set([...recorded, ...fromCard, ...perCard])].sort((a, b) => a - b),
    ...(entry ? { perCardBelow: entry } : {}),
    ...(card && before.length ? { perHistory: { levels: before, at: card.revision } } : {}),
  };
}
