import type { Card } from './card';
import { contentState } from './placeholders';

/**
 * MLTRL: a system is only as ready as its least mature component. A card's "Coupled components" row names
 * other projects by ID; the system level is the minimum over the project and every component it couples,
 * transitively. Cycles are reported (and do not hang the walk); IDs no card carries are listed as unknown.
 */
export interface SystemLevel {
  /** The project's own level (recorded, else the card's). */
  own: number;
  /** Minimum over the project and its resolved components, transitively. */
  level: number;
  /** Every resolved component in the closure, in the order the cards name them (not the project itself). */
  components: ComponentLevel[];
  /** The component holding the system level down, when it is below the project's own level. */
  heldBy?: ComponentLevel;
  /** Named components no card carries, as written. */
  unknown: string[];
  /** Each cycle as a path that ends where it starts: ["A", "B", "A"]. */
  cycles: string[][];
}

export interface ComponentLevel {
  projectId: string;
  name: string;
  level: number;
  /** The project whose card names this component. */
  via: string;
}

/** Words that mean "no components": the row is answered, nothing to resolve. */
const NOTHING = /^(?:none|n\/?a|-+|nothing|no(?:ne)? coupled components?)$/i;

/**
 * The coupled-components cell split into the components it names: "F01.2 (sales data pipeline), F02.0",
 * "[R02.1](./r02.md) | P12.2", "D02.7 (OCR service)". Each entry is the ID of a known project when the
 * entry names one, else its first ID-like token, else its text (listed as unknown).
 */
export function coupledComponentRefs(
  text: string | undefined,
  isKnown: (id: string) => string | undefined,
  placeholders: readonly RegExp[] = [],
): string[] {
  if (!text || contentState(text, placeholders) !== 'content') return [];
  const refs: string[] = [];
  const pieces = text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .split(/\s*(?:[,;|\n]|\\\||<br\s*\/?>|\band\b)\s*/i);
  for (const piece of pieces) {
    const plain = piece
      .replace(/\([^)]*\)/g, ' ')
      .replace(/[*`]/g, '')
      .trim();
    if (!plain || NOTHING.test(plain) || !/[\p{L}\p{N}]/u.test(plain)) continue;
    const tokens = plain.split(/\s+/).map((token) => token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''));
    const known = tokens.map(isKnown).find((id) => id !== undefined);
    const idLike = tokens.find((token) => /\p{N}/u.test(token) && /^[\p{L}\p{N}._:/#-]+$/u.test(token));
    const ref = known ?? idLike ?? plain;
    if (!refs.includes(ref)) refs.push(ref);
  }
  return refs;
}

export interface SystemGraph {
  /** The card with this project ID (exact, else case-insensitive), if any. */
  find(projectId: string): Card | undefined;
  /** The level the bot counts for a project: recorded by reviews, else the card's. */
  levelOf(card: Card): number;
  placeholders?: readonly RegExp[];
}

export function systemLevelOf(card: Card, graph: SystemGraph): SystemLevel {
  const own = graph.levelOf(card);
  const result: SystemLevel = { own, level: own, components: [], unknown: [], cycles: [] };
  const isKnown = (id: string) => graph.find(id)?.projectId;
  // Depth-first: an edge back to a project still on the path is a cycle; each project is expanded once.
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (current: Card): void => {
    path.push(current.projectId);
    const refs = coupledComponentRefs(
      current.fields['coupled-components']?.text,
      isKnown,
      graph.placeholders,
    );
    for (const ref of refs) {
      const component = graph.find(ref);
      if (!component) {
        if (!result.unknown.includes(ref)) result.unknown.push(ref);
        continue;
      }
      const id = component.projectId;
      const onPath = path.indexOf(id);
      if (onPath >= 0) {
        result.cycles.push([...path.slice(onPath), id]);
        continue;
      }
      if (done.has(id)) continue;
      done.add(id);
      const level = graph.levelOf(component);
      const entry: ComponentLevel = { projectId: id, name: component.name, level, via: current.projectId };
      result.components.push(entry);
      if (level < result.level) {
        result.level = level;
        result.heldBy = entry;
      }
      visit(component);
    }
    path.pop();
  };
  done.add(card.projectId);
  visit(card);
  return result;
}

/** Lookup by project ID over a card list: exact first, then case-insensitive (as the card source does). */
export function cardFinder(cards: readonly Card[]): (projectId: string) => Card | undefined {
  const exact = new Map(cards.map((card) => [card.projectId, card]));
  const folded = new Map<string, Card>();
  for (const card of cards)
    if (!folded.has(card.projectId.toLowerCase())) folded.set(card.projectId.toLowerCase(), card);
  return (projectId) => exact.get(projectId) ?? folded.get(projectId.toLowerCase());
}

/** The system level of every card at once (cards check, the digest). */
export function systemLevels(
  cards: readonly Card[],
  levelOf: (card: Card) => number = (card) => card.level,
  placeholders?: readonly RegExp[],
): Map<string, SystemLevel> {
  const find = cardFinder(cards);
  const graph: SystemGraph = { find, levelOf, placeholders };
  return new Map(cards.map((card) => [card.projectId, systemLevelOf(card, graph)]));
}
