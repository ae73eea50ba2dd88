import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type Redis from 'ioredis';
import type { DeliveryFailure, DeliveryPort, DeliveryRequest } from '../../core/engine-api';
import { AmbiguousDeliveryError, PermanentDeliveryError, RateLimitedError } from '../../core/errors';
import { type PlatformName } from '../../core/events';
import type { ChatPort, PostedMessage, Translate } from '../../core/ports';
import type { Logger } from '../../logging/logger';
import { MetricsCounters } from '../metrics-counters';
import { traceJob } from '../../observability/trace-jobs';
import { ConversationRateLimiter } from './conversation-rate-limiter';
import { conversationOf, DELIVERY_QUEUE, platformOfRequest, type DeliveryJobData } from './delivery-job';
import { updateSeqKey } from './delivery-queue';
import { DeliveryFailures } from './delivery-failures';
import { DeliveryWaits } from './delivery-waits';
import { MessageLedger } from './message-ledger';
import { UnsentUpdates } from './stale-buttons';
import { ledgerPrefix } from './message-links';
import { postpone } from './postpone';
import { withDeadline } from './with-deadline';
import { AmbiguousPosts, type SendRequest } from './ambiguous-post';
import { foundLater } from './found-later';

/**
 * The delivery worker: takes requests off the delivery queue and calls the platform's ChatPort.
 *
 * Exactly once, on at-least-once jobs: before calling the platform it claims the request key in the
 * message ledger; after the platform answers it records where the message landed, and only then
 * acknowledges the job. A job that runs again finds the record and does nothing. The windows left are a
 * worker killed after claiming and before recording, and an ambiguous answer (5xx, a time-out: the
 * platform may have the message anyway, `AmbiguousDeliveryError`); both leave the claim in place. Once
 * that claim is older than the claim time-out, the next attempt asks the platform (`ChatPort.findPosted`,
 * by idempotency key: Slack message metadata, Teams' and the playground's stores); a platform that cannot
 * tell gets no second post, and the key is logged, counted as `delivery_uncertain` and reported to the
 * requester (at most once rather than twice). Updates replace a
 * message with the same content, so they need no claim.
 */
export interface DeliveryWorkerOptions {
  connection: Redis;
  commands: Redis;
  prefix: string;
  chatPort(platform: PlatformName): ChatPort | undefined;
  /** Where failure notices go: the delivery queue itself. */
  notices: DeliveryPort;
  t: Translate;
  logger: Logger;
  concurrency?: number;
  /** Minimum spacing of messages per conversation; default 1 s for Slack and Teams, none for the playground. */
  rateIntervalMs?: Partial<Record<PlatformName, number>>;
  /**
   * A claim older than this belongs to a dead attempt (default 60 s). Platform calls are cut off at half
   * of it, and a ChatPort's own HTTP time-out must be shorter still (config's `platformCallTimeoutMs`), so a call
   * that was cut off cannot land after a later attempt has looked for it.
   */
  claimTimeoutMs?: number;
  /** How long a reply waits for the message it threads under (or updates) to be recorded. */
  parentWaitMs?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Each message that failed for good or may not have gone out (the engine audits it). */
  onFailed?: (failure: DeliveryFailure) => Promise<void>;
  /** Each message the platform accepted: seconds from enqueue to the platform's answer (a histogram). */
  onDelivered?: (platform: PlatformName, seconds: number) => void;
}

const DEFAULT_INTERVALS: Record<PlatformName, number> = { slack: 1000, teams: 1000, playground: 0 };

export function startDeliveryWorker(options: DeliveryWorkerOptions): Worker<DeliveryJobData> {
  const processor = new DeliveryProcessor(options);
  // A delivery's span is a child of the span that enqueued it (same trace), when tracing is on.
  const process = traceJob<DeliveryJobData, string>(DELIVERY_QUEUE, 'child', (job, token) =>
    processor.process(job, token ?? ''),
  );
  return new Worker<DeliveryJobData>(DELIVERY_QUEUE, process, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 10,
    lockDuration: options.lockDurationMs ?? 30000,
    stalledInterval: options.stalledIntervalMs ?? 30000,
    // A job whose worker died is handed back, not failed: the ledger keeps it from posting twice.
    maxStalledCount: 10,
  });
}

export class DeliveryProcessor {
  private readonly ledger: MessageLedger;
  private readonly unsent: UnsentUpdates;
  private readonly counters: MetricsCounters;
  private readonly ambiguous: AmbiguousPosts;
  private readonly failures: DeliveryFailures;
  private readonly waits: DeliveryWaits;
  private readonly intervals: Record<PlatformName, number>;
  private readonly claimTimeoutMs: number;
  private readonly callDeadlineMs: number;

  constructor(private readonly options: DeliveryWorkerOptions) {
    const { commands, prefix, logger } = options;
    this.unsent = new UnsentUpdates(commands, `${prefix}:deliv:unsent:`);
    this.ledger = new MessageLedger(commands, ledgerPrefix(prefix));
    this.counters = new MetricsCounters(commands, `${prefix}:metrics`);
    this.intervals = { ...DEFAULT_INTERVALS, ...options.rateIntervalMs };
    this.claimTimeoutMs = options.claimTimeoutMs ?? 60000;
    this.callDeadlineMs = Math.max(1000, Math.floor(this.claimTimeoutMs / 2));
    this.failures = new DeliveryFailures({
      ledger: this.ledger,
      counters: this.counters,
      logger,
      t: options.t,
      notices: options.notices,
      onFailed: options.onFailed,
    });
    this.waits = new DeliveryWaits({
      ledger: this.ledger,
      limiter: new ConversationRateLimiter(commands, `${prefix}:deliv:rate:`),
      logger,
      callDeadlineMs: this.callDeadlineMs,
      parentWaitMs: options.parentWaitMs ?? 10 * 60000,
      fail: (job, request, reason) => this.failures.fail(job, request, reason),
    });
    this.ambiguous = new AmbiguousPosts({
      ledger: this.ledger,
      counters: this.counters,
      logger,
      claimTimeoutMs: this.claimTimeoutMs,
      delay: postpone,
      reportUncertain: (request) => this.failures.uncertain(request),
    });
  }

  async process(job: Job<DeliveryJobData>, token: string): Promise<string> {
    const { request } = job.data;
    const existing = await this.ledger.get(request.key);
    if (existing && existing.state !== 'claimed') return `already ${existing.state}`;
    return request.op === 'update' ? this.update(job, token, request) : this.deliver(job, token, request);
  }

  private async update(
    job: Job<DeliveryJobData>,
    token: string,
    request: Extract<DeliveryRequest, { op: 'update' }>,
  ): Promise<string> {
    if (await this.superseded(job, request)) return 'superseded by a newer update';
    const found = request.seenAs
      ? await foundLater(
          { ledger: this.ledger, counters: this.counters, logger: this.options.logger },
          request,
        )
      : undefined;
    if (request.onlyIfLost && !found) {
      await this.ledger.record(request.key, { state: 'done' });
      return 'not lost: nothing to fix';
    }
    const target = found ?? (await this.waits.parent(job, token, request.of));
    if (!target) {
      if ((await this.ledger.get(request.of))?.state === 'uncertain')
        await this.unsent.keep(request.of, job.data.updateSeq ?? 0, request.message);
      return 'parent not posted';
    }
    // Found where a lost message is: the newest update it missed goes out, unless this one is newer.
    const missed = found ? await this.unsent.take(request.of) : undefined;
    const message = request.onlyIfLost ? (missed ?? request.message) : request.message;
    const port = this.options.chatPort(target.platform);
    if (!port) return this.failures.fail(job, request, 'platform_not_configured');
    const release = await this.waits.slot(
      job,
      token,
      target.message.conversationId,
      this.intervals[target.platform],
    );
    try {
      // A port keeping its own copy (Teams, for refreshes) keeps this one only while no newer update was
      // queued: a click may make one while this update is on its way.
      const order =
        job.data.updateSeq === undefined
          ? undefined
          : { seqKey: updateSeqKey(this.options.prefix, request.of), seq: job.data.updateSeq };
      await this.call(job, token, request, () => port.update(target.message, message, order), undefined);
    } finally {
      await release();
    }
    this.options.onDelivered?.(target.platform, Math.max(0, Date.now() - job.timestamp) / 1000);
    await this.ledger.record(request.key, { state: 'done' });
    await this.counters.increment('delivered');
    return 'updated';
  }

  /** Whether a newer update of the same message was queued since this one (then this one is done). */
  private async superseded(
    job: Job<DeliveryJobData>,
    request: Extract<DeliveryRequest, { op: 'update' }>,
  ): Promise<boolean> {
    if (job.data.updateSeq === undefined) return false;
    const latest = Number(await this.options.commands.get(updateSeqKey(this.options.prefix, request.of)));
    if (latest <= job.data.updateSeq) return false;
    await this.ledger.record(request.key, { state: 'done' });
    await this.counters.increment('delivery_skipped');
    return true;
  }

  private async deliver(job: Job<DeliveryJobData>, token: string, request: SendRequest): Promise<string> {
    let platform: PlatformName;
    try {
      platform = platformOfRequest(request);
    } catch {
      return this.failures.fail(job, request, 'platform_not_configured');
    }
    const port = this.options.chatPort(platform);
    if (!port) return this.failures.fail(job, request, 'platform_not_configured');

    if (job.data.after && !(await this.waits.predecessorSettled(job, token, job.data.after)))
      return 'waiting';
    let threadId: string | undefined;
    if (request.op === 'post' && request.threadOf) {
      const parent = await this.waits.parent(job, token, request.threadOf);
      if (!parent) return 'parent not posted';
      threadId = parent.message.messageId;
    }
    const release = await this.waits.slot(job, token, conversationOf(request)!, this.intervals[platform]);
    try {
      return await this.send(job, token, request, port, platform, threadId);
    } finally {
      await release();
    }
  }

  /** Claims the key (or settles an older claim) and makes the platform call, holding the slot. */
  private async send(
    job: Job<DeliveryJobData>,
    token: string,
    request: SendRequest,
    port: ChatPort,
    platform: PlatformName,
    threadId: string | undefined,
  ): Promise<string> {
    const attempt = `${job.id}#${token}`;
    const claimedAt = Date.now();
    const claim = await this.ledger.claim(request.key, attempt, claimedAt);
    if (!claim.claimed) {
      const resolved = await this.ambiguous.resolveOldClaim(job, token, request, port, claim.entry, attempt);
      if (resolved !== undefined) return resolved;
    }

    const options = { idempotencyKey: request.key };
    const posted = await this.call(
      job,
      token,
      request,
      async (): Promise<PostedMessage | undefined> => {
        if (request.op === 'post')
          return port.post(request.conversationId, request.message, threadId, options);
        if (request.op === 'dm') return port.directMessage(request.userId, request.message, options);
        await port.ephemeral(request.conversationId, request.userId, request.message);
        return undefined;
      },
      { by: attempt, at: claimedAt },
    );
    this.options.onDelivered?.(platform, Math.max(0, Date.now() - job.timestamp) / 1000);
    await this.ledger.record(
      request.key,
      posted ? { state: 'posted', message: posted, platform } : { state: 'done' },
    );
    await this.counters.increment('delivered');
    return posted ? `posted ${posted.messageId}` : 'delivered';
  }

  /** The platform call, with its deadline and the retry policy by error type. */
  private async call<T>(
    job: Job<DeliveryJobData>,
    token: string,
    request: DeliveryRequest,
    send: () => Promise<T>,
    claim: { by: string; at: number } | undefined,
  ): Promise<T> {
    try {
      return await withDeadline(send(), this.callDeadlineMs);
    } catch (error) {
      if (claim && error instanceof AmbiguousDeliveryError) {
        // A call past its deadline or answered ambiguously may still land: keep the claim and come back
        // when it is old enough to ask the platform (resolveOldClaim). Not an attempt used up: nothing
        // was refused, and a job that gave up here could not tell whether its message went out.
        await this.counters.increment('delivery_ambiguous');
        this.options.logger.warn(
          'delivery answer ambiguous: will look for the message before posting again',
          {
            key: request.key,
            error: error.message,
          },
        );
        return postpone(job, token, claim.at + this.claimTimeoutMs + 100, { slotAt: undefined });
      }
      // Any other answer means the platform did not take the message, so a retry may post.
      if (claim) await this.ledger.release(request.key, claim.by);
      if (error instanceof RateLimitedError) {
        await this.counters.increment('delivery_rate_limited');
        this.options.logger.info('platform rate limit: delivery delayed', {
          key: request.key,
          retryAfterMs: error.retryAfterMs,
        });
        return postpone(job, token, Date.now() + Math.max(error.retryAfterMs, 100), { slotAt: undefined });
      }
      if (error instanceof PermanentDeliveryError) {
        await this.failures.fail(job, request, error.reason);
        throw new UnrecoverableError(`${request.key}: ${error.reason}`);
      }
      const attempts = job.opts.attempts ?? 1;
      if (job.attemptsMade + 1 >= attempts) {
        await this.failures.fail(job, request, 'gave_up');
      } else {
        await this.counters.increment('delivery_retried');
      }
      this.options.logger.warn('delivery failed, will retry', {
        key: request.key,
        attempt: job.attemptsMade + 1,
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
  }
}
