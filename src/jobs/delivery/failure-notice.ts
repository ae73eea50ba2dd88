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
  'uncertain',
]);

/**
 * The requests that tell people a delivery failed for good (or may not have gone out), through the same
 * queue: the requester in the conversation where they asked (only to them), else as a DM; each review
 * lead (`notify.leads`) as a DM. Empty when nobody asked to be told. A notice about a notice is never
 * sent (its key ends in `|failure-notice...`), so a broken platform cannot start a loop.
 */
export function failureNotices(request: DeliveryRequest, reason: string, t: Translate): DeliveryRequest[] {
  if ((request.op !== 'post' && request.op !== 'dm') || !request.notify) return [];
  if (request.key.includes('|failure-notice')) return [];
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
  const notices: DeliveryRequest[] = [
    notify.conversationId
      ? { op: 'ephemeral', key, conversationId: notify.conversationId, userId: notify.userId, message }
      : { op: 'dm', key, platform: notify.platform, userId: notify.userId, message },
  ];
  for (const lead of new Set(notify.leads ?? [])) {
    if (lead === notify.userId) continue;
    notices.push({ op: 'dm', key: `${key}|${lead}`, platform: notify.platform, userId: lead, message });
  }
  return notices;
}
