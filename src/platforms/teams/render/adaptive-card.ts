import {
  fillReaderTime,
  plainTimes,
  replaceTimes,
  type MessageAction,
  type MessageBlock,
  type OutboundMessage,
  type RichSpan,
} from '../../../core/messages';
import type { Translate } from '../../../core/ports';
import { refreshAction, renderAction, REFRESH_VERB, ACTION_MARK, type CardElement } from './card-actions';
import { MentionCollector } from './mentions';

/** Teams shows buttons per person: `refresh.userIds` takes at most 60 users (beyond: a manual refresh). */
export const MAX_REFRESH_USERS = 60;
/** Teams refuses messages over about 28 KB; stay below with room for the activity envelope. */
export const MAX_CARD_BYTES = 26_000;

/** Who the card is rendered for: everyone in the conversation, or one user (an invoke answer). */
export type CardView = { audience: 'shared' } | { audience: 'user'; userId: string };

export interface CardRenderContext {
  t: Translate;
  locale?: string;
  /** Display names of mentioned users (from the roster); unknown ids render as "someone". */
  nameOf(userId: string): string | undefined;
  view: CardView;
}

export interface AdaptiveCard extends CardElement {
  type: 'AdaptiveCard';
  version: '1.5';
  body: CardElement[];
}

const SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

/**
 * Renders a neutral message as an Adaptive Card 1.5 (pure). Messages with `actionableBy` are sent as a
 * read-only card whose `refresh.userIds` lists the eligible people: their Teams clients ask the bot for
 * their own version (`renderTeamsCard` with a user view), which carries the buttons.
 */
export function renderTeamsCard(message: OutboundMessage, context: CardRenderContext): AdaptiveCard {
  const { t, locale, view } = context;
  const mentions = new MentionCollector((id) => context.nameOf(id) ?? t('teams:someone', undefined, locale));
  const interactive = message.blocks.some(
    (block) => block.type === 'actions' && block.actions.some((action) => !isLink(action)),
  );
  const restricted = message.actionableBy !== undefined;
  const canAct = !restricted || (view.audience === 'user' && message.actionableBy!.includes(view.userId));
  const manualRefresh = restricted && interactive && message.actionableBy!.length > MAX_REFRESH_USERS;

  const body: CardElement[] = [];
  let separateNext = false;
  for (const block of message.blocks) {
    if (block.type === 'divider') {
      separateNext = body.length > 0;
      continue;
    }
    const element = renderBlock(block, { canAct, manualRefresh, mentions, t, locale });
    if (!element) continue;
    if (separateNext) element.separator = true;
    separateNext = false;
    body.push(element);
  }

  // A message without blocks still says something: its text.
  if (body.length === 0)
    body.push({
      type: 'TextBlock',
      text: mentions.text(teamsCommandWords(teamsTimes(message.text))),
      wrap: true,
    });
  const card: AdaptiveCard = { type: 'AdaptiveCard', $schema: SCHEMA, version: '1.5', body };
  const fallback = teamsCommandWords(plainTimes(message.text)).replace(/<@[^>\s]+>/g, (token) =>
    mentions.text(token).replace(/<\/?at>/g, ''),
  );
  if (fallback.trim()) card.fallbackText = fallback;
  if (restricted && interactive && message.actionableBy!.length > 0) {
    const refresh: CardElement = {
      action: {
        type: 'Action.Execute',
        title: t('teams:refresh', undefined, locale),
        verb: REFRESH_VERB,
        data: { [ACTION_MARK]: 'refresh' },
      },
    };
    if (!manualRefresh) refresh.userIds = [...message.actionableBy!];
    card.refresh = refresh;
  }
  const msteams: CardElement = { width: 'Full' };
  const entities = mentions.entities();
  if (entities.length > 0) msteams.entities = entities;
  card.msteams = msteams;
  return fitCardSize(card, t, locale);
}

interface BlockContext {
  canAct: boolean;
  manualRefresh: boolean;
  mentions: MentionCollector;
  t: Translate;
  locale?: string;
}

function renderBlock(
  block: Exclude<MessageBlock, { type: 'divider' }>,
  c: BlockContext,
): CardElement | undefined {
  const text = (value: string) => c.mentions.text(teamsCommandWords(teamsTimes(value)));
  // Teams formats DATE/TIME only inside TextBlock text; facts get the fallback, which names its zone.
  const factText = (value: string) => c.mentions.text(teamsCommandWords(plainTimes(value)));
  // Adaptive Cards have no empty text blocks; a blank text adds nothing to the card.
  if ((block.type === 'header' || block.type === 'text' || block.type === 'context') && !block.text.trim()) {
    return undefined;
  }
  switch (block.type) {
    case 'header':
      return {
        type: 'TextBlock',
        text: text(block.text),
        size: 'Large',
        weight: 'Bolder',
        style: 'heading',
        wrap: true,
      };
    case 'text':
      return { type: 'TextBlock', text: text(block.text), wrap: true };
    case 'context':
      return { type: 'TextBlock', text: text(block.text), size: 'Small', isSubtle: true, wrap: true };
    case 'fields':
      return {
        type: 'FactSet',
        // A fact needs a title and a value; a blank one shows as a dash rather than vanishing.
        facts: block.fields.map((field) => ({
          title: factText(field.label.trim() ? field.label : '-'),
          value: factText(field.value.trim() ? field.value : '-'),
        })),
      };
    case 'list': {
      const items: CardElement[] = [];
      if (block.title?.trim())
        items.push({ type: 'TextBlock', text: text(block.title), weight: 'Bolder', wrap: true });
      for (const item of block.items.filter((entry) => entry.trim()))
        items.push({ type: 'TextBlock', text: `• ${text(item)}`, wrap: true, spacing: 'None' });
      if (block.more?.trim())
        items.push({
          type: 'TextBlock',
          text: text(block.more),
          isSubtle: true,
          wrap: true,
          spacing: 'None',
        });
      return items.length > 0 ? { type: 'Container', items } : undefined;
    }
    case 'rich': {
      const items: CardElement[] = [];
      if (block.title?.trim())
        items.push({ type: 'TextBlock', text: text(block.title), weight: 'Bolder', wrap: true });
      for (const paragraph of block.paragraphs) {
        const marker =
          paragraph.list === 'ordered' ? `${paragraph.number ?? 1}. ` : paragraph.list ? '- ' : '';
        const line = paragraph.spans.map((span) => spanMarkdown(span, text)).join('');
        if (line.trim()) items.push({ type: 'TextBlock', text: marker + line, wrap: true, spacing: 'None' });
      }
      return items.length > 0 ? { type: 'Container', items } : undefined;
    }
    case 'image': {
      const url = block.pngBase64 ? `data:image/png;base64,${block.pngBase64}` : block.url;
      if (!url) return { type: 'TextBlock', text: text(block.alt), isSubtle: true, wrap: true };
      return { type: 'Image', url, altText: plainTimes(block.alt), size: 'Stretch' };
    }
    case 'actions': {
      const actions = block.actions
        .filter((action) => c.canAct || isLink(action))
        .map((action) => renderAction(action, c.t, c.locale));
      if (!c.canAct && c.manualRefresh) actions.push(refreshAction(c.t, c.locale));
      return actions.length > 0 ? { type: 'ActionSet', actions } : undefined;
    }
  }
}

/**
 * A span in the markdown Adaptive Cards' TextBlock understands: **bold**, _italic_, [text](url). Code has
 * no markup there and reads as plain text; markdown characters in the card's words are escaped.
 */
function spanMarkdown(span: RichSpan, text: (value: string) => string): string {
  const [, lead, core, trail] = /^(\s*)([\s\S]*?)(\s*)$/.exec(span.text)!;
  if (!core) return span.text;
  let out = text(core.replace(/([\\*_[\]()`])/g, '\\$1'));
  if (span.url) out = `[${out}](${span.url.replace(/[()\s]/g, encodeURIComponent)})`;
  if (span.italic) out = `_${out}_`;
  if (span.bold) out = `**${out}**`;
  return lead + out + trail;
}

/**
 * Time tokens as Adaptive Cards' DATE and TIME functions, which each Teams client writes in its reader's
 * zone and locale ("Mon, Dec 14, 2026" with SHORT: the weekday and the date, as the issue asks), inside
 * the reader phrase ("..., 5:00 PM your time"). Teams reads only RFC 3339 with no fractions and no
 * spaces inside the braces; the token's instant is written that way.
 */
export function teamsTimes(text: string): string {
  return replaceTimes(text, (time) =>
    fillReaderTime(time, `{{DATE(${time.at}, SHORT)}}`, `{{TIME(${time.at})}}`),
  );
}

/** Shared texts name commands the Slack way (`/mltrl review R07.2`); in Teams people @mention the bot. */
export function teamsCommandWords(text: string): string {
  return text.replace(/(^|[\s("'])\/mltrl\b/g, '$1@mltrl');
}

function isLink(action: MessageAction): boolean {
  return action.type === 'button' && Boolean(action.url);
}

/** Over Teams' size limit: embedded pictures give way to their alt text (said so on the card). */
function fitCardSize(card: AdaptiveCard, t: Translate, locale: string | undefined): AdaptiveCard {
  // Only an embedded picture can give way, so a card without one is not measured: serialising every
  // card to measure it was a noticeable share of answering a vote click (bench/README.md).
  if (!card.body.some(isEmbeddedImage)) return card;
  if (Buffer.byteLength(JSON.stringify(card)) <= MAX_CARD_BYTES) return card;
  const body = card.body.map((element) =>
    isEmbeddedImage(element)
      ? {
          type: 'TextBlock',
          text: t('teams:imageTooLarge', { alt: element.altText }, locale),
          isSubtle: true,
          wrap: true,
        }
      : element,
  );
  return { ...card, body };
}

function isEmbeddedImage(element: CardElement): boolean {
  return element.type === 'Image' && String(element.url).startsWith('data:');
}
