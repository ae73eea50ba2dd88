import type { Job } from 'bullmq';
import type { DeliveryFailure, DeliveryPort, DeliveryRequest } from '../../core/engine-api';
import type { Translate } from '../../core/ports';
import type { Logger } from '../../logging/logger';
import type { MetricsCounters } from '../metrics-counters';
import type { DeliveryJobData } from './delivery-job';
import { failureNotices } from './failure-notice';
import type { MessageLedger } from './message-ledger';
import { buttonsOffRequest } from './stale-buttons';

/** What the delivery worker lends the handling of messages that failed or may not have gone out. */
export interface DeliveryFailureParts {
  ledger: MessageLedger;
  counters: MetricsCounters;
  logger: Logger;
  t: Translate;
  /** Where failure notices go: the delivery queue itself. */
  notices: DeliveryPort;
  /** The engine's audit of a failed or uncertain message. */
  onFailed?: (failure: DeliveryFailure) => Promise<void>;
}

/**
 * A message that failed for good is recorded as failed, the requester is told why, and the engine
 * audits it; an update that failed also turns off the buttons of the message it was for, which would
 * otherwise show an old state.
 */
export class DeliveryFailures {
  constructor(private readonly parts: DeliveryFailureParts) {}

  async fail(job: Job<DeliveryJobData>, request: DeliveryRequest, reason: string): Promise<string> {
    const { ledger, counters, logger, t, notices } = this.parts;
    await ledger.record(request.key, { state: 'failed', reason });
    await counters.increment('delivery_failed');
    logger.warn('delivery failed for good', { key: request.key, reason, jobId: job.id });
    await this.tell(request, reason);
    const buttonsOff =
      request.op === 'update' && reason !== 'parent_not_posted' ? buttonsOffRequest(request, t) : undefined;
    if (buttonsOff) {
      await counters.increment('delivery_buttons_off');
      await notices.send([buttonsOff]);
    }
    await this.report(request, reason);
    return `failed: ${reason}`;
  }

  /** A message that may or may not have gone out: the requester and the review leads hear, and it is audited. */
  async uncertain(request: DeliveryRequest): Promise<void> {
    await this.tell(request, 'uncertain');
    await this.report(request, 'uncertain');
  }

  /** The audit entry of a failed delivery; a failing audit is logged, never a reason to retry the post. */
  private async report(request: DeliveryRequest, reason: string): Promise<void> {
    try {
      await this.parts.onFailed?.({
        key: request.key,
        op: request.op,
        reason,
        ...('conversationId' in request ? { conversationId: request.conversationId } : {}),
        ...('userId' in request ? { userId: request.userId } : {}),
      });
    } catch (error) {
      this.parts.logger.warn('delivery failure not audited', {
        key: request.key,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private async tell(request: DeliveryRequest, reason: string): Promise<void> {
    const notices = failureNotices(request, reason, this.parts.t);
    if (notices.length > 0) await this.parts.notices.send(notices);
  }
}
