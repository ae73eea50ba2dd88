import type { DeliveryRequest } from '../../core/engine-api';
import type { OutboundMessage } from '../../core/messages';
import type { Translate } from '../../core/ports';

/** Reasons with their own sentence in i18n/<lang>/jobs.json; others get the generic one with the code. */
const KNOWN_REASONS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'user_not_found',
  'cannot_dm_bot',
  'account_inactive',
  'platform_not_configured',
  'parent_not_posted',
  'gave_up',
]);

/**
 * The request that tells the requester a delivery failed for good, through the same queue: in the
 * conversation where they asked (only to them), else as a DM. Undefined when nobody asked to be told.
 */
export function failureNotice(
  request: DeliveryRequest,
  reason: string,
  t: Translate,
): DeliveryRequest | undefined {
  if ((request.op !== 'post' && request.op !== 'dm') || !request.notify) return undefined;
  const notify = request.notify;
  const because = KNOWN_REASONS.has(reason)
    ? t(`jobs:delivery.reason.${reason}`)
    : t('jobs:delivery.reason.other', { code: reason });
  const text =
    request.op === 'dm'
      ? t('jobs:delivery.failedDm', { userId: request.userId, reason: because })
      : t('jobs:delivery.failedPost', { reason: because });
  const message: OutboundMessage = { kind: 'error', text, blocks: [{ type: 'text', text }] };
  const key = `${request.key}|failure-notice`;
  return notify.conversationId
    ? { op: 'ephemeral', key, conversationId: notify.conversationId, userId: notify.userId, message }
    : { op: 'dm', key, platform: notify.platform, userId: notify.userId, message };
}
