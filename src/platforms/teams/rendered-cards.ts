import { deepFreeze } from '../../core/deep-freeze';
import type { OutboundMessage } from '../../core/messages';
import type { Translate } from '../../core/ports';
import { renderTeamsCard, type AdaptiveCard, type CardRenderContext } from './render/adaptive-card';

/** Versions kept per message: one per viewer and language (a vote's reviewers, the shared copy). */
const PER_MESSAGE = 50;

interface Rendered {
  t: Translate;
  card: AdaptiveCard;
  /** Every name the card was rendered with, as [Teams user id, name]. */
  names: Array<[string, string | undefined]>;
}

/**
 * Adaptive Cards rendered lately, per message object. The engine hands out the same frozen message while
 * a vote's message is unchanged, and the Teams store the same frozen card while its JSON is, so a
 * reviewer confirming a vote or a client refreshing its card gets the card rendered the last time for
 * that viewer and language, while every name on it is still the same: rendering it again (the blocks,
 * the mentions, the buttons) was the largest part of the Teams layer's work on such a click
 * (bench/README.md). A card is frozen, as every reader of it shares it.
 */
export class RenderedCards {
  private readonly byMessage = new WeakMap<OutboundMessage, Map<string, Rendered>>();

  render(message: OutboundMessage, context: CardRenderContext): AdaptiveCard {
    if (!Object.isFrozen(message)) return renderTeamsCard(message, context);
    const { view, nameOf, t } = context;
    const key = JSON.stringify([view.audience === 'user' ? view.userId : null, context.locale ?? null]);
    let known = this.byMessage.get(message);
    if (!known) this.byMessage.set(message, (known = new Map()));
    const hit = known.get(key);
    if (hit && hit.t === t && hit.names.every(([id, name]) => nameOf(id) === name)) return hit.card;
    const names: Rendered['names'] = [];
    const noted = (id: string) => {
      const name = nameOf(id);
      names.push([id, name]);
      return name;
    };
    const card = deepFreeze(renderTeamsCard(message, { ...context, nameOf: noted }));
    known.delete(key);
    if (known.size >= PER_MESSAGE) known.delete(known.keys().next().value!);
    known.set(key, { t, card, names });
    return card;
  }
}
