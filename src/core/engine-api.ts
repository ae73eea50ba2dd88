import type { PortfolioFilter } from './digest/portfolio-list';
import type { ActionEvent, Actor, EngineReply, InboundEvent, PlatformName } from './events';
import type { OutboundMessage } from './messages';
import type { PostedMessage } from './ports';

/**
 * The engine's one door in. Platforms turn their payloads into `InboundEvent`s and call `handle`;
 * workers call `runJob` when a scheduled job fires. Everything posted in conversations leaves through
 * the `DeliveryPort` (a queue), so `handle` answers fast.
 */
export interface Engine {
  handle(event: InboundEvent): Promise<EngineReply>;
  /**
   * Run a scheduled job (nudge round, vote deadline, re-check). Idempotent: jobs are at-least-once.
   * `dueAt` is when it was scheduled for: a job that runs late (the clock jumped, workers were down)
   * runs as of that time, never re-planned from the moment a worker happens to pick it up.
   */
  runJob(job: EngineJob, dueAt?: Date): Promise<void>;
  /** A person's home view: what waits on them, their projects, the portfolio (App Home, playground). */
  home(actor: Actor): Promise<OutboundMessage>;
  /**
   * Card files changed (an edit in CARDS_DIR, a fetched push): re-checks the open reviews of those cards
   * at once. Idempotent (delivery keys follow the card revision), so two processes may both call it.
   */
  cardsChanged(files: string[]): Promise<void>;
  /**
   * Who an open review waits on, as the reminders see them (the one identity resolution): mentions on
   * `platform` when that is the review's platform, else names. Undefined when the review or card is gone.
   */
  waitingOn?(reviewId: string, platform?: PlatformName): Promise<string[] | undefined>;
  /**
   * A message could not be delivered for good (or may not have gone out): an audit entry under its
   * review's project (found by the delivery key), else under '*'. Called by the delivery worker.
   */
  deliveryFailed?(failure: DeliveryFailure): Promise<void>;
  /**
   * An adapter refused a click before the engine saw it (the playground: a value its message does not
   * offer): the refusal is audited against the review the value names, like the engine's own refusals.
   */
  auditRefusedAction?(event: ActionEvent, reason: string): Promise<void>;
}

/** What the delivery worker reports about a message that failed for good. */
export interface DeliveryFailure {
  key: string;
  op: DeliveryRequest['op'];
  /** The platform's reason code (`channel_not_found`, `gave_up`, `uncertain`, ...). */
  reason: string;
  conversationId?: string;
  userId?: string;
}

/** A job the engine scheduled for itself. `id` is deterministic, derived from domain ids. */
export interface EngineJob {
  id: string;
  kind: 'review-tick' | 'vote-deadline' | 'nudge' | 'write-back';
  reviewId: string;
  /** Which nudge round / which person, for kinds that need it. */
  data?: Record<string, string | number>;
}

/** Schedules engine jobs (BullMQ delayed jobs in production). Scheduling the same id again moves it. */
export interface JobSchedulerPort {
  schedule(job: EngineJob, at: Date): Promise<void>;
  cancel(jobId: string): Promise<void>;
}

/**
 * Outbound delivery. Every request has a deterministic `key`: a key already delivered is never posted
 * again (at-least-once jobs, exactly-once messages). Posts and DMs record where they landed so later
 * requests can thread under them (`threadOf`) or update them (`of`).
 */
export type DeliveryRequest =
  | {
      op: 'post';
      key: string;
      conversationId: string;
      message: OutboundMessage;
      /** Key of an earlier post: reply in its thread. */
      threadOf?: string;
      /** Who hears about it when the post fails permanently (bot not in channel, ...). */
      notify?: DeliveryNotify;
    }
  | {
      op: 'update';
      key: string;
      of: string;
      message: OutboundMessage;
      /**
       * Where a person saw the message `of` (they clicked a button on it). When the ledger cannot tell
       * where `of` landed (its post ended "uncertain"), this is where it is: its stale buttons get fixed.
       */
      seenAs?: PostedMessage;
      /** Only for a message whose place was lost (see `seenAs`); skipped when the ledger knows it. */
      onlyIfLost?: boolean;
    }
  | {
      op: 'dm';
      key: string;
      platform: PlatformName;
      userId: string;
      message: OutboundMessage;
      notify?: DeliveryNotify;
    }
  | { op: 'ephemeral'; key: string; conversationId: string; userId: string; message: OutboundMessage };

/**
 * Who is told when a post or DM cannot be delivered (or may not have gone out): the requester, privately
 * in `conversationId` when given, else by DM; and each of `leads` (user ids on the same platform) by DM.
 */
export interface DeliveryNotify {
  platform: PlatformName;
  userId: string;
  conversationId?: string;
  leads?: string[];
}

export interface DeliveryPort {
  send(requests: DeliveryRequest[]): Promise<void>;
}

/**
 * Signed links to the read-only portfolio page (`<PUBLIC_URL>/portfolio`), one per viewer, valid for an
 * hour. Undefined when the bot has no address people can open.
 */
export interface PortfolioLinkPort {
  linkFor(viewer: Actor): string | undefined;
  /** The digest chart as a PNG under the same kind of signed link, for Home views that fetch pictures. */
  chartLinkFor?(viewer: Actor): string | undefined;
}

/**
 * The digest capability, behind a port so the engine stays small. The engine parses `digest ...` and
 * `portfolio`, checks authorization (only admins manage digests), then calls this.
 */
export interface DigestPort {
  subscribe(input: {
    conversationId: string;
    /** Cron ("0 9 * * 1") or "weekly mon 09:00"; undefined for the flow's default. */
    schedule?: string;
    tz?: string;
    /** A week with no change: one line (default) or nothing. */
    quietWeek?: 'line' | 'skip';
    by: Actor;
  }): Promise<OutboundMessage>;
  unsubscribe(conversationId: string, by: Actor): Promise<OutboundMessage>;
  postNow(conversationId: string, by: Actor): Promise<OutboundMessage>;
  /** The digest content now with every project listed (or those the filter keeps), only for the caller. */
  portfolio(actor: Actor, filter?: PortfolioFilter): Promise<OutboundMessage>;
}
