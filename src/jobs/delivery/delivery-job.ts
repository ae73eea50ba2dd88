import type { DeliveryRequest } from '../../core/engine-api';
import { platformOf, type PlatformName } from '../../core/events';

/** What a delivery job carries: the request, plus bookkeeping the worker keeps between attempts. */
export interface DeliveryJobData {
  request: DeliveryRequest;
  /** Updates of one message are numbered; an older one is skipped when a newer one is queued. */
  updateSeq?: number;
  /** Set by earlier versions (slots reserved ahead); now slots are taken only when free. Cleared on delay. */
  slotAt?: number;
  /** When the job first waited for its parent message (threadOf / of) to be recorded. */
  waitingSince?: number;
  /**
   * Key of the request sent just before this one to the same conversation in the same `send` call: it
   * goes out first (concurrent workers would otherwise race two messages of one batch).
   */
  after?: string;
}

/** Where a post, DM or ephemeral lands, for ordering and rate limiting (updates follow their target). */
export function conversationOf(request: DeliveryRequest): string | undefined {
  if (request.op === 'update') return undefined;
  return request.op === 'dm' ? `dm:${request.platform}:${request.userId}` : request.conversationId;
}

export const DELIVERY_QUEUE = 'delivery';

/** The platform that delivers a post, DM or ephemeral (an update goes where its target landed). */
export function platformOfRequest(request: Exclude<DeliveryRequest, { op: 'update' }>): PlatformName {
  if (request.op !== 'dm') return platformOf(request.conversationId);
  if (!PLATFORMS.includes(request.platform)) throw new Error(`unknown platform: ${String(request.platform)}`);
  return request.platform;
}

const PLATFORMS: readonly PlatformName[] = ['slack', 'teams', 'playground'];
