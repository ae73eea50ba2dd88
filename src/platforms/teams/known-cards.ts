import type { StoredCard } from './teams-store';

const KNOWN_MAX = 1000;

/**
 * The stored cards this process has read lately, as JSON and parsed. Every click on a Teams card reads
 * the card it was made on, and repeated clicks on a card that did not change (a reviewer confirming their
 * vote) read the same JSON each time: parsing it again, and writing the same card back, were a tenth of a
 * click's cost (bench/README.md). A parsed card is frozen, because every reader of the same JSON shares it.
 */
export class KnownCards {
  private readonly cards = new Map<string, { json: string; card: StoredCard }>();

  /** The card stored as `json`, parsed once per distinct JSON (undefined when it is not a card's JSON). */
  parse(messageId: string, json: string): StoredCard | undefined {
    const known = this.cards.get(messageId);
    if (known?.json === json) return known.card;
    let card: StoredCard;
    try {
      card = deepFreeze(JSON.parse(json) as StoredCard);
    } catch {
      return undefined;
    }
    if (this.cards.size >= KNOWN_MAX) this.cards.clear();
    this.cards.set(messageId, { json, card });
    return card;
  }

  /** Whether `read` (a card this process read, in this turn) was stored as exactly `json`. */
  readAs(messageId: string, read: StoredCard, json: string): boolean {
    const known = this.cards.get(messageId);
    return known !== undefined && known.card === read && known.json === json;
  }

  forget(messageId: string): void {
    this.cards.delete(messageId);
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
