import type Redis from 'ioredis';
import type { DeliveryRequest } from '../../core/engine-api';
import type { MessageBlock, OutboundMessage } from '../../core/messages';
import type { Translate } from '../../core/ports';

/**
 * Stale buttons: a message whose newest state could not reach the platform keeps buttons that show an old
 * state (a vote still open after it closed). Two ways out, both in the delivery worker:
 *
 * - the message is known but its update failed for good: one more update turns its buttons off, with a
 *   line saying why (`buttonsOffRequest`);
 * - nobody can tell where the message landed (its post ended "uncertain"): the newest update that could
 *   not be sent is kept (`UnsentUpdates`), and when someone clicks a button on that message (the click
 *   tells where it is, `seenAs`) it goes out there.
 */

/** Marks the update that turns buttons off, so it never asks for another one when it fails too. */
const BUTTONS_OFF = '|buttons-off';

/** Kept as long as the message ledger keeps its records (a review can run for months). */
const UNSENT_TTL_SECONDS = 180 * 24 * 3600;

export function hasButtons(message: OutboundMessage): boolean {
  return message.blocks.some(
    (block) => block.type === 'actions' && block.actions.some((action) => !isLink(action)),
  );
}

/**
 * The update that turns a message's buttons off after its real update failed for good, or undefined when
 * it has none to turn off (or is that update itself). Link buttons (open the card) stay.
 */
export function buttonsOffRequest(
  request: Extract<DeliveryRequest, { op: 'update' }>,
  t: Translate,
): DeliveryRequest | undefined {
  if (request.key.endsWith(BUTTONS_OFF) || !hasButtons(request.message)) return undefined;
  const why = t('jobs:delivery.buttonsOff', {}, request.message.locale);
  const blocks: MessageBlock[] = [];
  for (const block of request.message.blocks) {
    if (block.type !== 'actions') blocks.push(block);
    else {
      const links = block.actions.filter(isLink);
      if (links.length > 0) blocks.push({ ...block, actions: links });
    }
  }
  blocks.push({ type: 'context', text: why });
  const { actionableBy: _noLongerActionable, ...rest } = request.message;
  return {
    op: 'update',
    key: `${request.key}${BUTTONS_OFF}`,
    of: request.of,
    message: { ...rest, text: `${request.message.text}\n${why}`, blocks },
  };
}

function isLink(action: Extract<MessageBlock, { type: 'actions' }>['actions'][number]): boolean {
  return action.type === 'button' && action.url !== undefined;
}

/**
 * The newest update of each message whose place is unknown (its post ended "uncertain"), by the update's
 * sequence number, so an older one failing later does not replace a newer one.
 */
export class UnsentUpdates {
  constructor(
    private readonly redis: Redis,
    /** e.g. `{mltrl}:deliv:unsent:` */
    private readonly keyPrefix: string,
  ) {}

  async keep(of: string, seq: number, message: OutboundMessage): Promise<void> {
    const key = this.keyPrefix + of;
    const current = await this.redis.get(key);
    if (current !== null && (JSON.parse(current) as { seq: number }).seq > seq) return;
    await this.redis.set(key, JSON.stringify({ seq, message }), 'EX', UNSENT_TTL_SECONDS);
  }

  /** The newest unsent update of `of`, removed: it is about to be sent. */
  async take(of: string): Promise<OutboundMessage | undefined> {
    const raw = await this.redis.getdel(this.keyPrefix + of);
    return raw === null ? undefined : (JSON.parse(raw) as { message: OutboundMessage }).message;
  }
}
