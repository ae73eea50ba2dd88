import type { CardKey } from '../card';
import type { Delegation } from '../delegation';
import type { PlatformName } from '../events';
import type { Waiver } from '../gap-types';
import type { GroupSnapshot } from '../groups';

/**
 * What the engine keeps between events. Redis implements these in production (src/storage/redis-*),
 * memory fakes in unit tests (src/storage/memory/*). Every method that decides something under
 * concurrency (one open review per project, one counted vote per voter, closing once) is atomic in the
 * store itself, so any number of web and worker processes may call it at once.
 * Timestamps are ISO strings so records stay plain JSON.
 */

export type ReviewPhase = 'gaps' | 'voting' | 'closed';
export type ReviewOutcome = 'advanced' | 'changes-requested' | 'switchback' | 'expired' | 'cancelled';

/** A person as the engine records them: directory id when known, else `platform:userId`. */
export interface PersonKeyRef {
  /** Stable key: the people-directory id, or `slack:U123` for someone not in the directory. */
  key: string;
  platform: PlatformName;
  /** Platform user id on `platform` (for mentions). */
  userId: string;
  name?: string;
}

/** Reminder state of a review: which round was sent, whether the lead was told. */
export interface NudgeState {
  /** Who is being chased: owners (gaps phase) or pending voters (voting phase). */
  target: 'owners' | 'voters';
  /** Reminders sent so far in this phase (0 = none yet). */
  round: number;
  /** When the next reminder round is due (ISO), undefined when none is planned. */
  nextAt?: string;
  /** The one escalation to the review lead / channel has been sent. */
  escalated: boolean;
}

/**
 * An owner of the card as the review last read it: kept on the review so the bot can still name and
 * mention them when the card is gone (deleted, renamed to another project).
 */
export interface ReviewOwner {
  /** People-directory id, else `platform:userId`, else `ref:<card text>`. */
  key: string;
  name: string;
  /** Platform user id on the review's platform, when known (for the mention). */
  userId?: string;
}

export interface Review {
  /** Short unique id, safe in job ids and delivery keys (letters, digits, '-'). */
  id: string;
  projectId: string;
  flowName: string;
  gate: { from: number; to: number };
  phase: ReviewPhase;
  outcome?: ReviewOutcome;
  /** The level recorded by the outcome (to for advanced, the target for switchback). */
  outcomeLevel?: number;
  /** The person who asked for the review (the review lead when the directory names no `lead`). */
  requestedBy: PersonKeyRef;
  /** Channel the review runs in (opaque, `slack:...`). */
  conversationId: string;
  openedAt: string;
  voteOpenedAt?: string;
  /** When the vote closes at the latest (closeAfterBusinessDays). */
  voteDeadline?: string;
  closedAt?: string;
  closedBy?: PersonKeyRef;
  /** Card file and revision last seen by the engine. */
  cardFile: string;
  cardRevision: string;
  /** Card revision votes bind to; moves when a required section changes during the vote. */
  voteRevision?: string;
  /** Revisions of the gate's required fields when the vote opened (or last went stale). */
  voteFieldRevisions?: Partial<Record<CardKey, string>>;
  nudges: NudgeState;
  /** Short reasons / explanation of the outcome (changes-requested reasons, switchback reason). */
  outcomeNote?: string;
  /** Reviewer groups as expanded when the vote opened: later votes are judged by this membership. */
  groups?: GroupSnapshot;
  /** The review lead was told that absences leave the quorum out of reach (once per review). */
  absenceWarned?: boolean;
  /** The card's owners, from the start and every re-check while the card could be read (absent on old records). */
  owners?: ReviewOwner[];
  /** The card is gone since then (ISO): the review is paused until it is back. */
  cardGoneSince?: string;
  /** How many times the card went away during the review (one notice each, keyed by it). */
  cardGoneCount?: number;
}

/** What `ReviewStore.create` returns: the new review, or the one already open for the project. */
export type CreateReviewResult = { created: true; review: Review } | { created: false; review: Review };

export interface ReviewStore {
  /**
   * Creates the review unless one is already open (phase gaps or voting) for its project; atomic, so two
   * people typing `review R07.2` at once get one review.
   */
  create(review: Review): Promise<CreateReviewResult>;
  get(id: string): Promise<Review | undefined>;
  /** The open review of a project, if any. */
  openForProject(projectId: string): Promise<Review | undefined>;
  listOpen(): Promise<Review[]>;
  /** Closed reviews, newest first, at most `limit` (of one project when given). */
  listClosed(options?: { projectId?: string; limit?: number }): Promise<Review[]>;
  /**
   * Saves the review when its stored phase is still `expectedPhase` (compare-and-set): returns false and
   * changes nothing otherwise. Closing (phase 'closed') frees the project for a new review. Use the same
   * phase to save non-phase changes (nudge state, card revision).
   */
  save(review: Review, expectedPhase: ReviewPhase): Promise<boolean>;
}

export type VoteChoice = 'approve' | 'request-changes' | 'abstain' | 'switchback';

export interface VoteRecord {
  voter: PersonKeyRef;
  choice: VoteChoice;
  /** Target level of a switchback vote. */
  switchbackTo?: number;
  reason?: string;
  /** The delegate who cast this vote in the voter's stead ("x for y"); absent for one's own vote. */
  by?: PersonKeyRef;
  /** Card revision the voter saw (`Review.voteRevision` at the time); another one means stale. */
  revision: string;
  at: string;
}

/** The same vote as far as the ballot box is concerned (a double click): choice, level, reason, revision. */
export function sameVote(a: VoteRecord, b: VoteRecord): boolean {
  return (
    a.choice === b.choice &&
    a.switchbackTo === b.switchbackTo &&
    (a.reason ?? '') === (b.reason ?? '') &&
    a.revision === b.revision
  );
}

export type RecordVoteStatus = 'recorded' | 'changed' | 'unchanged' | 'closed';

export interface RecordVoteResult {
  status: RecordVoteStatus;
  /** Increases with every counted change, unique per review (update delivery keys); 0 when nothing changed. */
  seq: number;
  /** The ballot as this record left it, read in the same atomic step. */
  ballot: Ballot;
}

/** The current votes, one per voter, and whether the box is closed. */
export interface Ballot {
  votes: VoteRecord[];
  closed: boolean;
}

export interface VoteStore {
  /**
   * Records a vote atomically: the last vote of a voter counts; the same vote again (a double click) is
   * 'unchanged'; once `close` ran, nothing is recorded ('closed'). Answers with the ballot it left.
   */
  record(reviewId: string, vote: VoteRecord): Promise<RecordVoteResult>;
  /** Current votes, one per voter. */
  votes(reviewId: string): Promise<VoteRecord[]>;
  /** Closes the ballot box atomically and returns the final votes; later `record` calls are refused. */
  close(reviewId: string): Promise<VoteRecord[]>;
  /** The current votes and whether the box is closed, in one read. */
  ballot(reviewId: string): Promise<Ballot>;
}

export type AuditType =
  | 'review-started'
  | 'gaps-reported'
  | 'nudged'
  | 'snoozed'
  | 'escalated'
  | 'vote-opened'
  | 'voted'
  | 'vote-changed'
  | 'votes-stale'
  | 'closed'
  | 'waived'
  | 'cancelled'
  | 'level-recorded'
  | 'not-mine'
  | 'waiver-withdrawn'
  | 'flow-chosen'
  | 'group-expanded'
  | 'group-not-expanded'
  | 'delegated'
  | 'delegation-ended'
  | 'quorum-unreachable'
  | 'digest-subscribed'
  | 'digest-unsubscribed'
  | 'digest-posted'
  | 'delivery-failed'
  | 'refused';

/** One line of the append-only audit trail: who, what, when, on which card revision. */
export interface AuditEvent {
  /** Stream id assigned by the store (absent before append). */
  id?: string;
  at: string;
  /** Person key of who did it, or 'bot' for scheduled actions. */
  actor: string;
  type: AuditType;
  projectId: string;
  reviewId?: string;
  revision?: string;
  data?: Record<string, string | number | boolean>;
}

export interface AuditLog {
  append(event: AuditEvent): Promise<string>;
  /** A project's events, oldest first; with `limit`, the newest `limit` of them. */
  listByProject(projectId: string, limit?: number): Promise<AuditEvent[]>;
  /** All events at or after `since`, oldest first (the digest's "what changed"). */
  listSince(since: Date, limit?: number): Promise<AuditEvent[]>;
}

export interface LevelChange {
  level: number;
  /** Level before the change (undefined for the entry level). */
  from?: number;
  at: string;
  reviewId?: string;
  kind: 'entry' | 'advanced' | 'switchback';
}

export interface LevelStore {
  /** The recorded level of a project (undefined before its first review). */
  get(projectId: string): Promise<number | undefined>;
  /** Records the level a project entered the bot with, once (later calls change nothing). */
  recordEntry(projectId: string, level: number, at: string): Promise<void>;
  /** Records an advance or switchback, appending to the history. */
  record(projectId: string, change: LevelChange): Promise<void>;
  /** Oldest first. */
  history(projectId: string): Promise<LevelChange[]>;
  /** Recorded levels of every project. */
  all(): Promise<Record<string, number>>;
  /** Recorded levels of these projects (those with none are left out). */
  some(projectIds: readonly string[]): Promise<Record<string, number>>;
}

export interface Snooze {
  projectId: string;
  until: string;
  by: string;
}

export interface SnoozeStore {
  /** Pauses nudges for the project until `until` (replaces an earlier snooze). */
  set(snooze: Snooze): Promise<void>;
  /** The snooze in force at `now`, if any. */
  get(projectId: string, now: Date): Promise<Snooze | undefined>;
}

export interface WaiverStore {
  /** Adds or replaces the waiver of one key for one gate of a project. */
  add(projectId: string, gate: { from: number; to: number }, waiver: Waiver): Promise<void>;
  /** Unexpired waivers of that gate at `now`. */
  list(projectId: string, gate: { from: number; to: number }, now: Date): Promise<Waiver[]>;
  /** Withdraws the waiver of one key; false when there was none. */
  remove(projectId: string, gate: { from: number; to: number }, key: string): Promise<boolean>;
}

/** A channel's language, chosen by an admin with `language use <tag>`. */
export interface ChannelLanguage {
  locale: string;
  by: string;
  at: string;
}

export interface ChannelLanguageStore {
  /** The language set for a conversation (opaque id), if an admin set one. */
  get(conversationId: string): Promise<ChannelLanguage | undefined>;
  /** Sets the conversation's language; undefined goes back to DEFAULT_LOCALE. */
  set(conversationId: string, language: ChannelLanguage | undefined): Promise<void>;
}

/** Per-conversation settings chosen by admins (`flow use <name>`). */
export interface ChannelSettingsStore {
  /** The flow the conversation chose, if any. */
  flow(conversationId: string): Promise<string | undefined>;
  /** Chooses a flow for the conversation; undefined goes back to the default flow. */
  setFlow(conversationId: string, name: string | undefined): Promise<void>;
}

/**
 * When each gap of a project was first seen, per project and section key: a gap's age counts from
 * there, not from when a review opened, and a card without a review has gap ages too.
 */
export interface GapSightingStore {
  /**
   * One look at a project's gaps at `at`: each key in `open` not yet recorded is recorded as first seen
   * at `at`; every other recorded key of the project is forgotten (its section was filled, or the gate no
   * longer asks for it). Atomic. Returns when each key in `open` was first seen.
   */
  observe(projectId: string, open: readonly CardKey[], at: string): Promise<Partial<Record<CardKey, string>>>;
  /** The same for many projects at once (the digest's look at every card), answers in the same order. */
  observeMany(
    looks: ReadonlyArray<{ projectId: string; open: readonly CardKey[] }>,
    at: string,
  ): Promise<Array<Partial<Record<CardKey, string>>>>;
  /** What is recorded for a project, recording nothing. */
  get(projectId: string): Promise<Partial<Record<CardKey, string>>>;
}

/**
 * Delegations (`delegate @x until <day> [project]`): one per delegator and scope (a project, or every
 * project). Ended ones are kept a while, so a delegate who clicks after the end hears why.
 */
export interface DelegationStore {
  /** Sets the delegator's delegation for its scope, replacing an earlier one for the same scope. */
  set(delegation: Delegation): Promise<void>;
  /** Removes the delegator's delegation for one scope (a project id or '*'), or all when no scope is given. */
  remove(from: string, scope?: string): Promise<Delegation[]>;
  /** Every stored delegation, ended ones included. */
  all(): Promise<Delegation[]>;
}

/**
 * Each person's last click on each message, so that a second identical click (a double click, a platform's
 * redelivery) is answered without acting twice. Shared by every process.
 */
export interface ClickLedger {
  /**
   * Records `fingerprint` as the last click in `scope` (one person on one message) and says whether it is
   * the same as the click before it: a repeat, not to be acted on. Atomic; forgets after `ttlSeconds`.
   */
  repeated(scope: string, fingerprint: string, ttlSeconds: number): Promise<boolean>;
  /** Forgets the last click in `scope` (it was refused: the same click again deserves its answer again). */
  forget(scope: string): Promise<void>;
}

export interface EngineStores {
  reviews: ReviewStore;
  channels: ChannelSettingsStore;
  votes: VoteStore;
  audit: AuditLog;
  levels: LevelStore;
  snoozes: SnoozeStore;
  waivers: WaiverStore;
  channelLanguages: ChannelLanguageStore;
  gapSightings: GapSightingStore;
  delegations: DelegationStore;
  clicks: ClickLedger;
}
