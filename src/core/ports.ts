import type { OutboundMessage } from './messages';
import type { PlatformName } from './events';

/** Time comes in through a port: real in production, controllable in tests and in the playground. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A message as the platform identifies it after posting (Slack `ts`, Teams activity id). */
export interface PostedMessage {
  conversationId: string;
  messageId: string;
}

/**
 * What every platform implements so the delivery workers can talk to it. Methods throw
 * `RateLimitedError` (retry after), `PermanentDeliveryError` (give up, tell the requester) or anything
 * else (transient: retried with back-off).
 */
export interface ChatPort {
  readonly platform: PlatformName;
  /** Post in a conversation, or in the thread of `threadId` (a platform message id). */
  post(
    conversationId: string,
    message: OutboundMessage,
    threadId?: string,
    options?: DeliveryOptions,
  ): Promise<PostedMessage>;
  /**
   * Replace a posted message in place (the live tally). `order`: where this version stands among the
   * message's queued updates; a port that keeps its own copy of the message (Teams, for refreshes) keeps
   * this one only while no newer update was queued.
   */
  update(target: PostedMessage, message: OutboundMessage, order?: UpdateOrder): Promise<void>;
  /** A direct message to one person, by platform user id. */
  directMessage(userId: string, message: OutboundMessage, options?: DeliveryOptions): Promise<PostedMessage>;
  /** Shown only to one person in a conversation. */
  ephemeral(conversationId: string, userId: string, message: OutboundMessage): Promise<void>;
  /**
   * Optional crash recovery for the delivery queue: the message posted earlier with this idempotency key
   * (see `DeliveryOptions`), or undefined when the platform has none. Only asked when a worker died after
   * claiming a delivery and before recording where it landed; without it the queue does not post again
   * (never twice) and logs the key as uncertain. `undefined` makes the queue post again, so implement it
   * only where the answer comes from the platform's own copy of the message (the key travels with it,
   * e.g. in Slack message metadata, or the playground's store written in the same step). A record the
   * adapter writes after the platform answered has the same blind spot as the queue's own ledger.
   */
  findPosted?(idempotencyKey: string, where: PostedWhere): Promise<PostedMessage | undefined>;
  /**
   * A link a person can open to a posted message (Slack permalink, Teams deep link, playground
   * address), or undefined when the platform has none. Used for the vote thread in decision records.
   */
  linkTo?(message: PostedMessage): Promise<string | undefined>;
}

/** Links to messages the bot posted, by delivery key (the ledger knows where each landed). */
export interface MessageLinks {
  linkTo(deliveryKey: string): Promise<string | undefined>;
}

/**
 * Where to look for a message that may have been posted (`ChatPort.findPosted`): its conversation (or the
 * person, for a DM), the thread it was sent into, and when the attempt that may have posted it began.
 * `findPosted` throws `CannotTellError` when the platform cannot say either way.
 */
export interface PostedWhere {
  conversationId?: string;
  userId?: string;
  /** The platform message id of the thread's parent, for a reply. */
  threadId?: string;
  /** Epoch ms: the message, if posted, is not older than this. */
  since?: number;
}

/** Extra delivery facts a platform may attach to the message (e.g. Slack message metadata). */
export interface DeliveryOptions {
  /** The delivery request's deterministic key: lets `findPosted` recognise the message later. */
  idempotencyKey?: string;
}

/** What a platform knows about its users, for resolving card people and their time zones. */
export interface PlatformPeople {
  readonly platform: PlatformName;
  lookupByEmail(email: string): Promise<PlatformProfile | undefined>;
  profile(userId: string): Promise<PlatformProfile | undefined>;
  /**
   * Members (platform user ids) of a platform group, for reviewer groups: Slack user groups by id
   * (`usergroups.users.list`). Absent where the platform offers no member list (Teams tags: the Bot
   * Connector cannot read them). Throws when the platform refuses; the error's `code` says why.
   */
  groupMembers?(group: { id?: string; name?: string }): Promise<string[]>;
  /**
   * A token that changes whenever an answer of `lookupByEmail` or `profile` may have changed: on every
   * write of what they answer from, and with time where remembered answers expire. Where a platform
   * offers it, a vote click's context check asks it instead of every look-up again (context-reads.ts).
   */
  answersVersion?(): Promise<string>;
}

/** An update's number, and the Redis key that holds the number of the newest update queued (delivery). */
export interface UpdateOrder {
  seqKey: string;
  seq: number;
}

export interface PlatformProfile {
  userId: string;
  name?: string;
  email?: string;
  tz?: string;
  locale?: string;
}

/** Message text by i18n key, in the reader's language (falls back to DEFAULT_LOCALE, then English). */
export type Translate = (key: string, params?: Record<string, unknown>, locale?: string) => string;

/**
 * Cards as the engine sees them: re-read whenever needed (an owner fixes a gap by editing the file),
 * cheap when nothing changed (src/cards caches by file identity).
 */
export interface CardSource {
  /** Every card in the directory, with broken cards and skipped files. */
  loadAll(): Promise<import('./card').CardSet>;
  /** One card by project ID (exact match first, then case-insensitive). */
  find(projectId: string): Promise<import('./card').Card | undefined>;
  /**
   * Tells `listener` which card files changed (paths as in `Card.file`), soon after an edit or a fetched
   * push. Returns the unsubscribe function. Absent on sources that never change under the bot.
   */
  onChange?(listener: (files: string[]) => void): () => void;
  /** Starts watching / cloning; `stop` ends it. Both optional and idempotent. */
  start?(): Promise<void>;
  stop?(): Promise<void>;
  /** The source's state for /healthz: degraded when the last fetch failed (the last good commit serves). */
  health?(): CardSourceHealth;
  /**
   * Levels the card itself shows as reached: every "Current Level" its history stated (git sources) and
   * the levels its prior-level card links name. Switchback targets come from these as well as Redis.
   */
  levelHistory?(card: import('./card').Card): Promise<number[]>;
  /** A link to the card as read (revision-aware for git sources), when the source knows one. */
  linkOf?(card: import('./card').Card): string | undefined;
  /**
   * A file the card links to by a relative path (its ethics checklist), read from the same folder or
   * revision the card came from; never outside the card source. Never throws.
   */
  readLinked?(card: import('./card').Card, link: string): Promise<import('./ethics-checklist').ChecklistFile>;
  /**
   * When the card last changed (ISO): the last commit touching it for git sources, else the file's
   * modification time. Undefined when unknown. Used for the age of cards never reviewed.
   */
  changedAt?(card: import('./card').Card): Promise<string | undefined>;
}

/**
 * The newest card-repository commit any bot process has seen (Redis in production), so that no process
 * decides about a card with an older version than another process already acted on.
 */
export interface SharedCardCommit {
  get(): Promise<string | undefined>;
  /** Records `to` if the record still holds `from` (undefined: no record yet); false when it moved. */
  advance(from: string | undefined, to: string): Promise<boolean>;
}

/** A gate decision as it is written back into the card (CARDS_WRITE_BACK). */
export interface CardDecision {
  reviewId: string;
  projectId: string;
  /** Card file as in `Card.file`. */
  file: string;
  gate: { from: number; to: number };
  outcome: 'advanced' | 'switchback';
  /** The level the card now states. */
  level: number;
  /** The card revision the votes were cast on. */
  revision: string;
  /** ISO time of the decision. */
  at: string;
  votes: Array<{ voter: string; choice: string; reason?: string; switchbackTo?: number }>;
  /** Where the vote ran (opaque conversation id) and, when known, a link to it. */
  conversationId: string;
  threadUrl?: string;
}

/**
 * Writes decisions back into the card repository: a commit on the branch or a pull/merge request.
 * Idempotent per review (a retried job finds its own record and does nothing twice). Throws when the
 * forge or remote refuses; the job queue retries.
 */
export interface CardWriter {
  readonly mode: 'commit' | 'pull-request';
  write(decision: CardDecision): Promise<{ url?: string; commit?: string }>;
}

export interface CardSourceHealth {
  state: 'ok' | 'degraded';
  /** The commit being served (git sources). */
  commit?: string;
  /** What went wrong last, without credentials. */
  lastError?: string;
}

/** Flows by name; `forCard` picks the card's `Flow` row, else the default flow. */
export interface FlowSource {
  defaultFlow(): import('./flow').Flow;
  get(name: string): import('./flow').Flow | undefined;
  forCard(card: import('./card').Card): import('./flow').Flow;
  /** Names of every loaded flow (for messages naming the choices). */
  names?(): string[];
  /** How cards name rows, sections and debrief questions (FLOWS_DIR/labels beside the bundled files). */
  synonyms?: import('./card-synonyms').CardSynonyms;
}
