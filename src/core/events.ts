import type { OutboundMessage } from './messages';

export type PlatformName = 'slack' | 'teams' | 'playground';

/** The person behind an inbound event, as the platform knows them. */
export interface Actor {
  platform: PlatformName;
  /** Platform user id (Slack U123, Teams AAD object id or 29: id, playground person id). */
  userId: string;
  /** Other ids the platform itself vouches for (Teams: the AAD object id). Never a display name. */
  altIds?: string[];
  /** Display name: shown, never used to decide who someone is (people can edit it). */
  name?: string;
  email?: string;
  tz?: string;
  locale?: string;
}

/**
 * Conversation ids are opaque strings that only the owning platform decodes, prefixed by the platform:
 * `slack:T123:C456`, `teams:<base64url>`, `playground:ml-reviews`.
 */
export function platformOf(conversationId: string): PlatformName {
  const prefix = conversationId.slice(0, conversationId.indexOf(':'));
  if (prefix === 'slack' || prefix === 'teams' || prefix === 'playground') return prefix;
  throw new Error(`conversation id without a known platform prefix: ${conversationId}`);
}

/** `/mltrl <text>` (Slack), `@mltrl <text>` (Teams), the playground composer. */
export interface CommandEvent {
  type: 'command';
  actor: Actor;
  conversationId: string;
  /** The words after the command name, e.g. "review R07.2". */
  text: string;
  /** Set when the command was typed in a thread. */
  threadId?: string;
}

/** A click on a button or a choice in a select of a message the engine posted. */
export interface ActionEvent {
  type: 'action';
  actor: Actor;
  conversationId: string;
  /** Platform message id of the message that carried the action, when known. */
  messageId?: string;
  actionId: string;
  value: string;
  /** The reason typed in the dialog (request changes, switchback). */
  reason?: string;
}

export type InboundEvent = CommandEvent | ActionEvent;

/** What the engine answers at once; everything posted in channels goes through the delivery queue. */
export interface EngineReply {
  /** Shown only to the actor (Slack ephemeral, Teams invoke answer or 1:1 reply, playground private). */
  ephemeral: OutboundMessage[];
  /**
   * The new version of the message the action came from (the vote message with its tally), so Teams can
   * answer the invoke with it. Slack and the playground get the same update through the delivery queue.
   */
  updated?: OutboundMessage;
}
