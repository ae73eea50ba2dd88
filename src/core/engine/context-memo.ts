import type { Card } from '../card';
import type { PlatformName } from '../events';
import type { GroupSnapshot } from '../groups';
import type { PeopleDirectory } from '../people';
import { answersUnchanged, recordingReads, storeReads, type AnsweredRead } from './context-reads';
import type { EngineDeps } from './deps';
import type { EngineContext } from './engine-context';
import { flowOf, readContext, type ProjectContext } from './project-context';
import type { Review } from './store-ports';

/** Contexts remembered per engine: one per open vote is plenty (they are small; the cards are shared). */
const LIMIT = 200;

interface Remembered {
  context: ProjectContext;
  people: PeopleDirectory;
  /** Every question the context was computed from, with its answer. */
  reads: AnsweredRead[];
}

const memos = new WeakMap<EngineDeps, Map<string, Remembered>>();

/**
 * The project's context for a vote click, reused while nothing it was computed from has changed.
 *
 * A click re-checks the card it votes on, and computing the context (the people resolved on the
 * platform, the gate, the gaps, the system level) was the largest part of the engine's work per click
 * (bench/README.md). It is a function of the card, the call's arguments, the flows, the people
 * directory and what it read (levels, waivers, component cards, the checklist, platform profiles). So
 * the remembered context is reused when the card is the same object (the card source re-reads a file
 * whose identity changed), the flow and directory are the same, and every read, asked again all at once,
 * answers as before: checked, not assumed, so another process's change or the clock passing a waiver's
 * end is seen on the next click. A reused context does not date its gaps again: their first sighting
 * was written when it was computed, and the open gaps have not changed since.
 */
export async function clickContext(
  ctx: EngineContext,
  card: Card,
  platform: PlatformName,
  gate: Review['gate'],
  flowName: string | undefined,
  groups: GroupSnapshot | undefined,
): Promise<ProjectContext> {
  let memo = memos.get(ctx.deps);
  if (!memo) memos.set(ctx.deps, (memo = new Map()));
  const key = JSON.stringify([
    card.projectId,
    platform,
    gate.from,
    gate.to,
    flowName ?? null,
    groups ?? null,
  ]);
  const remembered = memo.get(key);
  if (
    remembered &&
    remembered.context.card === card &&
    remembered.people === ctx.deps.people &&
    remembered.context.flow === flowOf(ctx, card, flowName).flow &&
    (await answersUnchanged(remembered.reads))
  ) {
    memo.delete(key); // most recently used last: the first key is the one to forget
    memo.set(key, remembered);
    return remembered.context;
  }
  const { reads, log } = recordingReads(storeReads(ctx));
  const context = await readContext(ctx, reads, card, platform, gate, flowName, groups);
  memo.delete(key);
  if (memo.size >= LIMIT) memo.delete(memo.keys().next().value!);
  memo.set(key, { context, people: ctx.deps.people, reads: log });
  return context;
}
