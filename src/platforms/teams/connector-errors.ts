import { BotError, PermanentDeliveryError, RateLimitedError } from '../../core/errors';

const DEFAULT_RETRY_AFTER_MS = 1000;
const MAX_RETRY_AFTER_MS = 5 * 60_000;

/** The HTTP status of a failed Bot Connector call (the SDK's HttpError carries `status` and `response`). */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** `Retry-After` in seconds or as an HTTP date; Teams sends seconds. */
export function retryAfterMs(error: unknown, now = Date.now()): number {
  const headers = (error as { response?: { headers?: { get?(name: string): string | null } } }).response
    ?.headers;
  const raw = typeof headers?.get === 'function' ? headers.get('retry-after') : null;
  if (!raw) return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(raw);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(raw) - now;
  if (!Number.isFinite(ms) || ms <= 0) return DEFAULT_RETRY_AFTER_MS;
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

/** True when the bot can no longer reach the conversation (removed, conversation deleted). */
export function isBotGone(error: unknown): boolean {
  const status = statusOf(error);
  return status === 403 || status === 404;
}

/**
 * Maps a Bot Connector failure to the delivery contract: 429 -> RateLimitedError (Retry-After), 403/404 ->
 * PermanentDeliveryError, 412/5xx/network -> transient (retried with back-off by the delivery queue).
 */
export function toDeliveryError(error: unknown, what: string): Error {
  if (error instanceof BotError) return error;
  const status = statusOf(error);
  if (status === 429)
    return new RateLimitedError(retryAfterMs(error), `Teams rate limit on ${what}`, { cause: error });
  if (status === 403)
    return new PermanentDeliveryError('bot-not-in-conversation', undefined, { cause: error });
  if (status === 404) return new PermanentDeliveryError('not-found', undefined, { cause: error });
  if (status === 400 || status === 413)
    return new PermanentDeliveryError(`rejected-${status}`, undefined, { cause: error });
  const detail = status ? `HTTP ${status}` : error instanceof Error ? error.message : String(error);
  return new BotError('delivery-transient', `Teams ${what} failed (${detail})`, { cause: error });
}
