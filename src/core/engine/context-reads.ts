import type { Card } from '../card';
import { jsonOf } from '../deep-freeze';
import type { ChecklistFile } from '../ethics-checklist';
import type { PlatformName } from '../events';
import type { Waiver } from '../gap-types';
import type { PlatformPeople } from '../ports';
import type { EngineContext } from './engine-context';

/**
 * What a project's context is read from besides the card and the call's own arguments: the recorded
 * levels, the waivers, the card source and the platforms' people. The context reads through this one
 * interface so that a vote click can ask every question again and reuse the context when every answer
 * is the same (src/core/engine/context-memo.ts).
 */
export interface ContextReads {
  recordedLevel(projectId: string): Promise<number | undefined>;
  /** The gate's waivers in force now, by the engine clock. */
  waivers(projectId: string, gate: { from: number; to: number }): Promise<Waiver[]>;
  /** Recorded levels of these projects (those with none are left out). */
  recordedLevels(projectIds: readonly string[]): Promise<Record<string, number>>;
  findCard(projectId: string): Promise<Card | undefined>;
  /** A file the card links to (the ethics checklist), when the card source can read files. */
  readLinked(card: Card, link: string): Promise<ChecklistFile | undefined>;
  platformPeople?: Partial<Record<PlatformName, PlatformPeople>>;
}

/** The reads as the engine's stores, card source and platforms answer them. */
export function storeReads(ctx: EngineContext): ContextReads {
  const { deps } = ctx;
  return {
    recordedLevel: (projectId) => deps.stores.levels.get(projectId),
    waivers: (projectId, gate) => deps.stores.waivers.list(projectId, gate, ctx.now()),
    recordedLevels: (projectIds) => deps.stores.levels.some(projectIds),
    findCard: (projectId) => deps.cards.find(projectId),
    readLinked: async (card, link) => (deps.cards.readLinked ? deps.cards.readLinked(card, link) : undefined),
    platformPeople: deps.platformPeople,
  };
}

/** One question as it was answered, and how to ask it again. */
export interface AnsweredRead {
  /** The answer, written so two answers compare as strings (a card by identity: see `cardIdentity`). */
  answer: Promise<string>;
  again(): Promise<string>;
  /**
   * A look-up whose answer the platform's answers version vouches for (noted before it was asked): while
   * that version is the same, the look-up is not asked again.
   */
  vouchedFor?: true;
}

/**
 * The same reads, each question and its answer noted in `log`: answers as JSON, a card by identity, a
 * read that failed as failed.
 */
export function recordingReads(base: ContextReads): { reads: ContextReads; log: AnsweredRead[] } {
  const log: AnsweredRead[] = [];
  function noted<T>(
    ask: () => Promise<T>,
    write: (value: T) => string = asJson,
    vouched = false,
  ): Promise<T> {
    const asked = ask();
    // Asked again inside a promise: a read that throws at once counts as failed, like one that rejects.
    log.push({
      answer: answerText(asked, write),
      again: () => answerText(Promise.resolve().then(ask), write),
      ...(vouched ? { vouchedFor: true as const } : {}),
    });
    return asked;
  }
  const people = (lookup: PlatformPeople): PlatformPeople => {
    // The platform's answers version, noted before its first look-up is asked (a write in between
    // changes the version the next check reads, so it can only cause one computation too many).
    let versionNoted = false;
    const vouched = () => {
      if (!lookup.answersVersion) return false;
      if (!versionNoted) {
        versionNoted = true;
        noted(() => lookup.answersVersion!());
      }
      return true;
    };
    return {
      platform: lookup.platform,
      lookupByEmail: (email) => noted(() => lookup.lookupByEmail(email), asJson, vouched()),
      profile: (userId) => noted(() => lookup.profile(userId), asJson, vouched()),
      ...(lookup.groupMembers ? { groupMembers: (group) => noted(() => lookup.groupMembers!(group)) } : {}),
    };
  };
  const platformPeople = base.platformPeople
    ? Object.fromEntries(
        Object.entries(base.platformPeople).map(([platform, lookup]) => [platform, lookup && people(lookup)]),
      )
    : undefined;
  return {
    log,
    reads: {
      recordedLevel: (projectId) => noted(() => base.recordedLevel(projectId)),
      waivers: (projectId, gate) => noted(() => base.waivers(projectId, gate)),
      recordedLevels: (projectIds) => noted(() => base.recordedLevels(projectIds)),
      findCard: (projectId) => noted(() => base.findCard(projectId), cardIdentity),
      readLinked: (card, link) => noted(() => base.readLinked(card, link)),
      ...(platformPeople ? { platformPeople } : {}),
    },
  };
}

/**
 * True when every read answers now as it did when noted (asked again all at once: one round trip). A
 * look-up the platform's answers version vouches for is not asked again (the version is), unless it
 * failed.
 */
export async function answersUnchanged(log: readonly AnsweredRead[]): Promise<boolean> {
  // Answered long since (the context was computed from them): no wait.
  const before = await Promise.all(log.map((read) => read.answer));
  const asked = log.flatMap((read, i) => (read.vouchedFor && before[i] !== 'failed' ? [] : [i]));
  const now = await Promise.all(asked.map((i) => log[i].again()));
  return asked.every((index, i) => before[index] === now[i]);
}

async function answerText<T>(asked: Promise<T>, write: (value: T) => string): Promise<string> {
  try {
    return write(await asked);
  } catch {
    return 'failed';
  }
}

function asJson(value: unknown): string {
  // A frozen answer (a profile as the store keeps it) is written out once.
  return value === undefined ? 'undefined' : jsonOf(value);
}

/**
 * The card source hands out the same card object while its file is unchanged (src/cards caches by file
 * identity), so a card compares by identity: a re-read file is a new card.
 */
const cardTokens = new WeakMap<Card, string>();
let nextCardToken = 0;

function cardIdentity(card: Card | undefined): string {
  if (!card) return 'undefined';
  let token = cardTokens.get(card);
  if (!token) cardTokens.set(card, (token = `card#${++nextCardToken}`));
  return token;
}
