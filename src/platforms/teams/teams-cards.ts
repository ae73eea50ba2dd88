import { Activity } from '@microsoft/agents-activity';
import { plainTimes, type MessageBlock, type OutboundMessage } from '../../core/messages';
import type { PeopleDirectory } from '../../core/people';
import type { Translate } from '../../core/ports';
import type { AdaptiveCard, CardView } from './render/adaptive-card';
import { RenderedCards } from './rendered-cards';
import { mentionedUserIds } from './render/mentions';
import type { TeamsProfile, TeamsStore } from './teams-store';

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** Profiles read for these Teams user ids (an id without a stored profile has none in `profiles`). */
export interface KnownProfiles {
  ids: ReadonlySet<string>;
  profiles: ReadonlyMap<string, TeamsProfile>;
}

/** Renders neutral messages for Teams with the names of the people they mention (roster, then directory). */
export class TeamsCards {
  private readonly rendered = new RenderedCards();

  constructor(
    private readonly store: TeamsStore,
    private readonly people: PeopleDirectory,
    private readonly t: Translate,
    private readonly defaultLocale: string,
  ) {}

  /**
   * The profiles of the people a message mentions, read ahead: a click reads them for the card it was
   * made on while the engine works, and the new card, which mentions the same people as a rule, is then
   * rendered without another round trip to Redis.
   */
  async mentionedProfiles(message: OutboundMessage): Promise<KnownProfiles> {
    const ids = mentionedIn(message);
    return { ids: new Set(ids), profiles: await this.store.profiles(ids) };
  }

  async render(
    original: OutboundMessage,
    view: CardView,
    locale?: string,
    /** Profiles read ahead (mentionedProfiles); whoever they do not cover is read now. */
    known?: Promise<KnownProfiles | undefined>,
  ): Promise<AdaptiveCard> {
    const message = await this.withTeamsUserIds(original);
    const ids = mentionedIn(message);
    const ahead = await known?.catch(() => undefined);
    const profiles =
      ahead && ids.every((id) => ahead.ids.has(id)) ? ahead.profiles : await this.store.profiles(ids);
    const nameOf = (userId: string) =>
      profiles.get(userId)?.name ?? this.people.people.find((person) => person.teamsId === userId)?.name;
    const language = message.locale ?? locale ?? this.defaultLocale;
    return this.rendered.render(message, { t: this.t, locale: language, nameOf, view });
  }

  /**
   * Refresh lists and button checks use Teams user ids (29:...); a people directory may name people by
   * their AAD object id instead, which the roster maps back.
   */
  private async withTeamsUserIds(message: OutboundMessage): Promise<OutboundMessage> {
    const others = message.actionableBy?.filter((id) => !id.startsWith('29:')) ?? [];
    if (others.length === 0) return message;
    const mapped = await this.store.userIdsByAadObjectId(others);
    return { ...message, actionableBy: message.actionableBy!.map((id) => mapped.get(id) ?? id) };
  }

  /** A message activity carrying the card (shared view by default: buttons come through each user's refresh). */
  async activity(
    message: OutboundMessage,
    locale?: string,
    extra: Record<string, unknown> = {},
    view: CardView = { audience: 'shared' },
  ): Promise<Activity> {
    const card = await this.render(message, view, locale);
    return Activity.fromObject({
      type: 'message',
      summary: String(card.fallbackText ?? plainTimes(message.text)).slice(0, 250),
      attachments: [{ contentType: ADAPTIVE_CARD, content: card }],
      ...extra,
    });
  }
}

/** Who a frozen message mentions, found once (a click asks for the card it was made on and the new card). */
const mentionedByMessage = new WeakMap<OutboundMessage, string[]>();

function mentionedIn(message: OutboundMessage): string[] {
  const known = mentionedByMessage.get(message);
  if (known) return known;
  const ids = mentionedUserIds(textsOf(message));
  if (Object.isFrozen(message)) mentionedByMessage.set(message, ids);
  return ids;
}

function textsOf(message: OutboundMessage): string[] {
  const texts = [message.text];
  for (const block of message.blocks) texts.push(...blockTexts(block));
  return texts;
}

function blockTexts(block: MessageBlock): string[] {
  switch (block.type) {
    case 'header':
    case 'text':
    case 'context':
      return [block.text];
    case 'fields':
      return block.fields.flatMap((field) => [field.label, field.value]);
    case 'list':
      return [block.title ?? '', ...block.items, block.more ?? ''];
    default:
      return [];
  }
}
