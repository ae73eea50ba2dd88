/**
 * Neutral outbound messages. The engine builds them; each platform renders them in its own idiom
 * (Block Kit, Adaptive Cards, HTML). Text is plain: no markup, except mention tokens `<@USERID>`
 * (a platform user id of the conversation's platform), which renderers turn into real mentions.
 * Every message carries a `text` fallback for notifications and clients without rich rendering.
 */

export type MessageKind =
  | 'gap-report'
  | 'nudge'
  | 'escalation'
  | 'vote'
  | 'vote-stale'
  | 'outcome'
  | 'status'
  | 'history'
  | 'help'
  | 'usage'
  | 'error'
  | 'notice'
  | 'digest'
  | 'portfolio';

export type MessageBlock =
  | { type: 'header'; text: string }
  | { type: 'text'; text: string }
  | { type: 'fields'; fields: { label: string; value: string }[] }
  /** A capped list: `more` is the line that says what was left out ("...and 4 more: /mltrl portfolio"). */
  | { type: 'list'; title?: string; items: string[]; more?: string }
  | { type: 'context'; text: string }
  | { type: 'actions'; actions: MessageAction[] }
  /** A picture (the digest chart): PNG bytes as base64, so the message stays JSON for the queues. */
  | { type: 'image'; alt: string; pngBase64?: string; url?: string }
  | { type: 'divider' }
  /**
   * Formatted text from a card (markdown read by the bot): paragraphs and list items made of spans, so
   * every platform writes its own markup (Slack mrkdwn, Teams markdown, playground elements).
   */
  | { type: 'rich'; title?: string; paragraphs: RichParagraph[] };

/** One paragraph or list item; `list` items carry their number when ordered. */
export interface RichParagraph {
  list?: 'bullet' | 'ordered';
  number?: number;
  spans: RichSpan[];
}

/** A run of text with its emphasis; `url` only http(s) or mailto (anything else stays plain text). */
export interface RichSpan {
  text: string;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
  url?: string;
}

export type ActionId =
  | 'vote-approve'
  | 'vote-request-changes'
  | 'vote-abstain'
  | 'vote-switchback'
  | 'snooze'
  | 'not-my-project'
  | 'open-card'
  /** The digest's "Open the portfolio": a link button, or (in a channel) a button that answers privately. */
  | 'open-portfolio';

export type MessageAction =
  | {
      type: 'button';
      actionId: ActionId;
      label: string;
      /** Opaque to platforms; the engine decodes it (at most 2,000 characters: Slack's limit). */
      value: string;
      style?: 'primary' | 'danger';
      /** The platform asks for a reason before sending the action (request changes). */
      asksReason?: boolean;
      /** A link button (open card); no action is sent back. */
      url?: string;
    }
  | {
      type: 'select';
      actionId: ActionId;
      placeholder: string;
      /** At most 100 options; each value at most 150 characters (Slack's limits). */
      options: { label: string; value: string }[];
      /** The platform asks for a reason before sending the choice (switchback proposals). */
      asksReason?: boolean;
    };

export interface OutboundMessage {
  kind: MessageKind;
  /** Plain-text fallback, also the notification text. */
  text: string;
  blocks: MessageBlock[];
  /**
   * When the message was due (ISO), for a message sent late (a reminder run after the clock jumped or
   * the workers were down): platforms that stamp messages themselves (the playground) use it.
   */
  dueAt?: string;
  /**
   * Platform user ids who may use the actions (Teams gives only them the buttons). Undefined: anyone who
   * sees the message may click; the engine still checks every action.
   */
  actionableBy?: string[];
  /**
   * The language the text is written in (BCP 47). Renderers write their own words (Teams' "Show my vote
   * buttons", Slack's "...and 4 more") in it; undefined: the platform's default.
   */
  locale?: string;
}

const MENTION = /<@([^>\s]+)>/g;

/** Splits text into plain parts and mention parts, for renderers. */
export function splitMentions(text: string): Array<{ text: string } | { userId: string }> {
  const parts: Array<{ text: string } | { userId: string }> = [];
  let last = 0;
  for (const match of text.matchAll(MENTION)) {
    if (match.index! > last) parts.push({ text: text.slice(last, match.index) });
    parts.push({ userId: match[1] });
    last = match.index! + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

export function mention(userId: string): string {
  return `<@${userId}>`;
}

/**
 * A time read by many people (a channel message), handed to renderers as a structured token instead of
 * a formatted string, since only the platform knows each reader's zone. `reader` is the phrase in the
 * message's language with `{date}` and `{time}` slots ("{date}, {time} your time"); `fallback` names one
 * zone ("Mon 14 Dec, 17:00 CET") for plain text, notifications and anything that cannot convert.
 */
export interface TimeToken {
  /** The instant, RFC 3339 in UTC without fractions ("2026-12-14T17:00:00Z"), as Teams requires. */
  at: string;
  reader: string;
  fallback: string;
}

/**
 * Written inline like mention tokens (`<!time^2026-12-14T17:00:00Z^{date}, {time} your time|Mon 14 Dec,
 * 17:00 CET>`), so every text field of every block can carry one without a second message model.
 */
const TIME = /<!time\^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\^([^^|<>]*)\|([^<>]*)>/g;

/** The inline token of a time; `^`, `|`, `<` and `>` (the token's own syntax) are dropped from the words. */
export function timeToken(at: Date, reader: string, fallback: string): string {
  const iso = new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  return `<!time^${iso}^${reader.replace(/[\^|<>]/g, '')}|${fallback.replace(/[<>]/g, '')}>`;
}

/** Splits text into plain parts and time tokens, for renderers. */
export function splitTimes(text: string): Array<{ text: string } | { time: TimeToken }> {
  if (!text.includes('<!time^')) return [{ text }];
  const parts: Array<{ text: string } | { time: TimeToken }> = [];
  let last = 0;
  for (const match of text.matchAll(TIME)) {
    if (match.index! > last) parts.push({ text: text.slice(last, match.index) });
    parts.push({ time: { at: match[1], reader: match[2], fallback: match[3] } });
    last = match.index! + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/** Each time token replaced by `show(token)`; text without tokens comes back as it is. */
export function replaceTimes(text: string, show: (time: TimeToken) => string): string {
  if (!text.includes('<!time^')) return text;
  return splitTimes(text)
    .map((part) => ('time' in part ? show(part.time) : part.text))
    .join('');
}

/** Plain text of a text with time tokens: each token's fallback (notifications, logs, the CLI). */
export function plainTimes(text: string): string {
  return replaceTimes(text, (time) => time.fallback);
}

/** A token's reader phrase with its slots filled ("Mon 14 Dec, 17:00 your time"). */
export function fillReaderTime(time: TimeToken, date: string, clock: string): string {
  return time.reader.replace('{date}', date).replace('{time}', clock);
}

/** Every text field of a message mapped by `map` (headers, texts, fields, lists, context, image alt). */
export function mapMessageText(message: OutboundMessage, map: (text: string) => string): OutboundMessage {
  const blocks = message.blocks.map((block): MessageBlock => {
    switch (block.type) {
      case 'header':
      case 'text':
      case 'context':
        return { ...block, text: map(block.text) };
      case 'fields':
        return { ...block, fields: block.fields.map((f) => ({ label: map(f.label), value: map(f.value) })) };
      case 'list':
        return {
          ...block,
          ...(block.title !== undefined && { title: map(block.title) }),
          items: block.items.map(map),
          ...(block.more !== undefined && { more: map(block.more) }),
        };
      case 'image':
        return { ...block, alt: map(block.alt) };
      default:
        return block;
    }
  });
  return { ...message, text: map(message.text), blocks };
}
