import { KnownJson } from '../../storage/known-json';
import type { StoredCard } from './teams-store';

const KNOWN_MAX = 1000;

/**
 * The stored cards this process has read lately, as JSON and parsed. Every click on a Teams card reads
 * the card it was made on, and repeated clicks on a card that did not change (a reviewer confirming their
 * vote) read the same JSON each time: parsing it again, and writing the same card back, were a tenth of a
 * click's cost (bench/README.md). A parsed card is frozen, because every reader of the same JSON shares it.
 */
export class KnownCards {
  private readonly cards = new KnownJson<StoredCard>(KNOWN_MAX);
  /** The card each message was last saved as: the engine hands out the same message while it is unchanged. */
  private readonly saved = new Map<string, { card: StoredCard; json: string }>();

  /** The card as JSON: written out once per message object the engine rendered (it is frozen, so unchanged). */
  json(messageId: string, card: StoredCard): string {
    const last = this.saved.get(messageId);
    if (
      last &&
      last.card.message === card.message &&
      Object.isFrozen(card.message) &&
      last.card.conversationId === card.conversationId
    )
      return last.json;
    const json = JSON.stringify(card);
    if (this.saved.size >= KNOWN_MAX) this.saved.clear();
    this.saved.set(messageId, { card, json });
    return json;
  }

  /** The card stored as `json`, parsed once per distinct JSON (undefined when it is not a card's JSON). */
  parse(messageId: string, json: string): StoredCard | undefined {
    try {
      return this.cards.parse(messageId, json);
    } catch {
      return undefined;
    }
  }

  /** Whether `read` (a card this process read, in this turn) was stored as exactly `json`. */
  readAs(messageId: string, read: StoredCard, json: string): boolean {
    return this.cards.readAs(messageId, read, json);
  }

  forget(messageId: string): void {
    this.cards.forget(messageId);
  }
}
