import type { Card, CardKey } from '../core/card';
import { fieldRevision, type LazyContentHash, revisionOf } from './revision';

/**
 * A card's `revision` and `fieldRevisions` are read when a vote is cast or checked for staleness, not by
 * the gap checker or the digest: both are computed on first read, then kept (hashing every card and field
 * up front cost a fifth of the parse). They are own enumerable accessors, so JSON and spreads see them
 * like any property, and assigning one replaces the computed value.
 *
 * The accessors are the same two functions on every card, defined with `Object.defineProperties`, and
 * what they compute from sits in a non-enumerable property. Writing them in the card's object literal
 * (`get revision() {...}`) made two closures per accessor on every card and, profiled on 10,000 cards,
 * left each card a slow dictionary-mode object that survived the young-generation collections until the
 * next full one, its whole text with it: the garbage collector then copied every card it read, even the
 * ones already dropped.
 */
const LAZY = Symbol('card revisions');

interface LazyRevisions {
  hash: LazyContentHash;
  fields: Card['fields'];
  revision?: string;
  fieldRevisions?: Card['fieldRevisions'];
}

const lazyOf = (card: object): LazyRevisions => (card as { [LAZY]: LazyRevisions })[LAZY];

const ACCESSORS = {
  revision: {
    get(this: Card): string {
      const lazy = lazyOf(this);
      return (lazy.revision ??= revisionOf(lazy.hash.value));
    },
    set(this: Card, value: string) {
      lazyOf(this).revision = value;
    },
    enumerable: true,
    configurable: true,
  },
  fieldRevisions: {
    get(this: Card): Card['fieldRevisions'] {
      const lazy = lazyOf(this);
      return (lazy.fieldRevisions ??= computeFieldRevisions(lazy.fields));
    },
    set(this: Card, value: Card['fieldRevisions']) {
      lazyOf(this).fieldRevisions = value;
    },
    enumerable: true,
    configurable: true,
  },
} satisfies PropertyDescriptorMap;

/** The card with its `revision` (of the text `hash` is of) and `fieldRevisions` (of `fields`) on demand. */
export function withLazyRevisions(card: Omit<Card, 'revision' | 'fieldRevisions'>, hash: LazyContentHash): Card {
  const lazy: LazyRevisions = { hash, fields: card.fields };
  Object.defineProperty(card, LAZY, { value: lazy });
  return Object.defineProperties(card, ACCESSORS) as Card;
}

/** The full SHA-256 (hex) of the text a card was parsed from (undefined for a copy of a card). */
export function lazyContentHash(card: Card): string | undefined {
  return (card as Partial<{ [LAZY]: LazyRevisions }>)[LAZY]?.hash.value;
}

function computeFieldRevisions(fields: Card['fields']): Card['fieldRevisions'] {
  const revisions: Card['fieldRevisions'] = {};
  for (const key of Object.keys(fields) as CardKey[]) revisions[key] = fieldRevision(fields[key]!.text);
  return revisions;
}
