import type { Job } from 'bullmq';
import type { DeliveryRequest } from '../../core/engine-api';
import { CannotTellError, PermanentDeliveryError, RateLimitedError } from '../../core/errors';
import type { ChatPort, PostedMessage, PostedWhere } from '../../core/ports';
import type { Logger } from '../../logging/logger';
import type { MetricsCounters } from '../metrics-counters';
import type { DeliveryJobData } from './delivery-job';
import type { LedgerEntry, MessageLedger } from './message-ledger';

export type SendRequest = Exclude<DeliveryRequest, { op: 'update' }>;

/** What the delivery worker lends the resolution of an ambiguous post. */
export interface AmbiguousPostParts {
  ledger: MessageLedger;
  counters: MetricsCounters;
  logger: Logger;
  /** A claim older than this belongs to a dead or cut-off attempt. */
  claimTimeoutMs: number;
  /** Moves the job to the delayed set until `until` (BullMQ's DelayedError: never returns). */
  delay(
    job: Job<DeliveryJobData>,
    token: string,
    until: number,
    patch: Partial<DeliveryJobData>,
  ): Promise<never>;
  /** Tells the requester and the review leads, and audits, that a message may or may not have gone out. */
  reportUncertain(request: SendRequest): Promise<void>;
}

/**
 * A post whose earlier attempt left a claim and no result (a worker killed mid-call, an answer that was
 * a 5xx or came too late): once the claim is old enough, the platform is asked for the message by its
 * delivery key; found, it is recorded where it landed; not there, this attempt takes the claim over and
 * posts; and when nobody can tell, it is not posted again ("uncertain") and the requester is told.
 */
export class AmbiguousPosts {
  constructor(private readonly parts: AmbiguousPostParts) {}

  /**
   * Another attempt claimed this key and has not recorded a result. Returns a job result when the
   * matter is settled, or undefined when this attempt now holds the claim and should post.
   */
  async resolveOldClaim(
    job: Job<DeliveryJobData>,
    token: string,
    request: SendRequest,
    port: ChatPort,
    entry: LedgerEntry,
    attempt: string,
  ): Promise<string | undefined> {
    if (entry.state !== 'claimed') return `already ${entry.state}`;
    const age = Date.now() - entry.at;
    if (age < this.parts.claimTimeoutMs) {
      // That attempt may still be talking to the platform: look again once its call deadline passed.
      return this.parts.delay(job, token, entry.at + this.parts.claimTimeoutMs + 100, {});
    }
    if (port.findPosted && request.op !== 'ephemeral') {
      const found = await this.findPosted(job, token, port, request, entry);
      if (found === 'cannot tell') return this.markUncertain(job, request, port, entry);
      if (found) {
        await this.parts.ledger.record(request.key, {
          state: 'posted',
          message: found,
          platform: port.platform,
        });
        await this.parts.counters.increment('delivery_recovered');
        return `recovered ${found.messageId}`;
      }
      if (await this.parts.ledger.takeOver(request.key, entry, attempt, Date.now())) return undefined;
      throw new Error(`the claim on ${request.key} changed under us; retrying`);
    }
    return this.markUncertain(job, request, port, entry);
  }

  /** Asks the platform for the message a dead or ambiguous attempt may have posted. */
  private async findPosted(
    job: Job<DeliveryJobData>,
    token: string,
    port: ChatPort,
    request: Exclude<SendRequest, { op: 'ephemeral' }>,
    entry: Extract<LedgerEntry, { state: 'claimed' }>,
  ): Promise<PostedMessage | undefined | 'cannot tell'> {
    const where: PostedWhere =
      request.op === 'post'
        ? { conversationId: request.conversationId, since: entry.at }
        : { userId: request.userId, since: entry.at };
    if (request.op === 'post' && request.threadOf) {
      const parent = await this.parts.ledger.get(request.threadOf);
      if (parent?.state === 'posted') where.threadId = parent.message.messageId;
    }
    try {
      return await port.findPosted!(request.key, where);
    } catch (error) {
      if (error instanceof CannotTellError) return 'cannot tell';
      if (error instanceof RateLimitedError)
        return this.parts.delay(job, token, Date.now() + Math.max(error.retryAfterMs, 100), {
          slotAt: undefined,
        });
      if (error instanceof PermanentDeliveryError) {
        // e.g. a Slack app without the history scopes: it cannot look, so it must not post again.
        this.parts.logger.warn('delivery: the platform refused the look-up', {
          key: request.key,
          reason: error.reason,
        });
        return 'cannot tell';
      }
      throw error;
    }
  }

  /** Nobody can tell whether the message went out: not posted again, and the requester is told. */
  private async markUncertain(
    job: Job<DeliveryJobData>,
    request: SendRequest,
    port: ChatPort,
    entry: LedgerEntry,
  ): Promise<string> {
    if (!(await this.parts.ledger.replaceIf(request.key, entry, { state: 'uncertain' }))) {
      throw new Error(`the claim on ${request.key} changed under us; retrying`);
    }
    await this.parts.counters.increment('delivery_uncertain');
    this.parts.logger.warn('delivery uncertain: it may have been posted; not posting again', {
      key: request.key,
      platform: port.platform,
      jobId: job.id,
    });
    await this.parts.reportUncertain(request);
    return 'uncertain: not posted again';
  }
}
