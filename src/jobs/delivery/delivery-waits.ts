import type { Job } from 'bullmq';
import type { DeliveryRequest } from '../../core/engine-api';
import type { Logger } from '../../logging/logger';
import type { ConversationRateLimiter } from './conversation-rate-limiter';
import type { DeliveryJobData } from './delivery-job';
import type { LedgerEntry, MessageLedger } from './message-ledger';
import { postpone } from './postpone';

const PARENT_RETRY_MS = 500;
const ORDER_RETRY_MS = 100;
/** A slot this close to free is taken at once instead of delaying the job. */
const SLOT_TOLERANCE_MS = 15;

/** What the delivery worker lends the waits of a job. */
export interface DeliveryWaitParts {
  ledger: MessageLedger;
  limiter: ConversationRateLimiter;
  logger: Logger;
  /** Platform calls are cut off after this long: a conversation's slot is held at most this (and its interval). */
  callDeadlineMs: number;
  /** How long a reply waits for the message it threads under (or updates) to be recorded. */
  parentWaitMs: number;
  /** A message that cannot go out: recorded, told, audited (delivery-failures.ts). */
  fail(job: Job<DeliveryJobData>, request: DeliveryRequest, reason: string): Promise<string>;
}

/**
 * What a delivery job waits for before its platform call, each wait a move to BullMQ's delayed set (the
 * job holds no worker while it waits): the message it threads under or updates, the message sent before
 * it in its batch, and its conversation's rate-limit slot.
 */
export class DeliveryWaits {
  constructor(private readonly parts: DeliveryWaitParts) {}

  /** The ledger entry of the message a request threads under or updates; waits while it is pending. */
  async parent(
    job: Job<DeliveryJobData>,
    token: string,
    parentKey: string,
  ): Promise<Extract<LedgerEntry, { state: 'posted' }> | undefined> {
    const entry = await this.parts.ledger.get(parentKey);
    if (entry?.state === 'posted') return entry;
    if (entry && entry.state !== 'claimed') {
      await this.parts.fail(job, job.data.request, 'parent_not_posted');
      return undefined;
    }
    const since = job.data.waitingSince ?? Date.now();
    if (Date.now() - since > this.parts.parentWaitMs) {
      await this.parts.fail(job, job.data.request, 'parent_not_posted');
      return undefined;
    }
    return postpone(job, token, Date.now() + PARENT_RETRY_MS, { waitingSince: since });
  }

  /**
   * Whether the message sent before this one in its batch went out (or failed for good); if not, the job
   * waits a moment. Never waits longer than for a parent: order is kept, not a hostage.
   */
  async predecessorSettled(job: Job<DeliveryJobData>, token: string, key: string): Promise<boolean> {
    const entry = await this.parts.ledger.get(key);
    if (entry && entry.state !== 'claimed') return true;
    const since = job.data.waitingSince ?? Date.now();
    if (Date.now() - since > this.parts.parentWaitMs) return true;
    return postpone(job, token, Date.now() + ORDER_RETRY_MS, { waitingSince: since });
  }

  /**
   * Waits for this conversation's slot (moving the job to the delayed set while it is busy), and holds
   * it during the platform call: the returned function frees it once the call is answered or cut off.
   * Nothing is reserved while waiting, so tally updates that are superseded meanwhile take no slot (sixty
   * flipped votes take one or two), and a slot is never handed out ahead of the platform's answer.
   */
  async slot(
    job: Job<DeliveryJobData>,
    token: string,
    conversation: string,
    intervalMs: number,
  ): Promise<() => Promise<void>> {
    if (intervalMs <= 0) return async () => undefined;
    const { limiter, logger } = this.parts;
    const holder = `${job.id}#${token}`;
    const slot = await limiter.take(conversation, {
      intervalMs,
      toleranceMs: SLOT_TOLERANCE_MS,
      // The longest a call may take (it is cut at its deadline), plus a margin.
      holdMs: this.parts.callDeadlineMs + intervalMs,
      holder,
    });
    if (!slot.taken) return postpone(job, token, Date.now() + (slot.retryAt - slot.now), {});
    return () =>
      limiter.release(conversation, intervalMs, holder).catch((error: unknown) => {
        // The hold runs out by itself; the conversation only waits longer.
        logger.warn('delivery: could not free the conversation slot', {
          conversation,
          error: error instanceof Error ? error.message : String(error),
        });
      });
  }
}
