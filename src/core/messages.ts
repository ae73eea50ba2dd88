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
