import { PermanentDeliveryError, RateLimitedError } from '../../core/errors';

/**
 * Web API errors that retrying cannot fix: the delivery queue gives up and tells the requester
 * (jobs:delivery.reason.<reason> in i18n/<lang>/jobs.json).
 */
export const PERMANENT_SLACK_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'channel_is_archived',
  'restricted_action',
  'user_not_found',
  'users_not_found',
  'cannot_dm_bot',
  'user_disabled',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'invalid_auth',
  'not_authed',
  'missing_scope',
  'team_access_not_granted',
  'ekm_access_denied',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'no_text',
  'too_many_attachments',
  'no_installation',
]);

interface SlackErrorShape {
  code?: string;
  retryAfter?: number;
  data?: { error?: string };
}

/**
 * Turns a Web API failure into the delivery queue's vocabulary: 429 -> RateLimitedError (wait the
 * Retry-After), known hopeless errors -> PermanentDeliveryError, anything else stays transient.
 */
export function toDeliveryError(error: unknown): unknown {
  const shape = (error ?? {}) as SlackErrorShape;
  if (shape.code === 'slack_webapi_rate_limited_error') {
    return new RateLimitedError(Math.max(1, shape.retryAfter ?? 1) * 1000, undefined, { cause: error });
  }
  if (shape.code === 'slack_webapi_platform_error') {
    const reason = shape.data?.error ?? 'unknown_error';
    if (reason === 'ratelimited') return new RateLimitedError(1000, undefined, { cause: error });
    if (PERMANENT_SLACK_ERRORS.has(reason))
      return new PermanentDeliveryError(reason, undefined, { cause: error });
  }
  return error;
}

/** Runs one Web API call, rethrowing its failure in delivery terms. */
export async function callSlack<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toDeliveryError(error);
  }
}
