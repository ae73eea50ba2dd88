import { AmbiguousDeliveryError, PermanentDeliveryError, RateLimitedError } from '../../core/errors';

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
  original?: { code?: string };
}

/** Network errors raised before the request left: the post certainly did not reach Slack. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL']);

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

/**
 * Like `callSlack`, for a call that creates a message: a failure that does not prove Slack refused it (an
 * HTTP 5xx, a time-out, a connection lost mid-call) becomes `AmbiguousDeliveryError`, so the delivery
 * queue looks the message up (`SlackChatPort.findPosted`) before it posts again.
 */
export async function callSlackPost<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const mapped = toDeliveryError(error);
    if (mapped !== error) throw mapped;
    const shape = (error ?? {}) as SlackErrorShape;
    // Slack answered (ok: false): it did not take the message.
    if (shape.code === 'slack_webapi_platform_error') throw error;
    if (shape.code === 'slack_webapi_request_error' && NOT_SENT.has(shape.original?.code ?? '')) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new AmbiguousDeliveryError(`Slack may have stored the post: ${detail}`, { cause: error });
  }
}
