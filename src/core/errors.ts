/**
 * One base error with a code and a cause. User-facing text never comes from `error.message`: it comes
 * from i18n keys chosen by code. `toBotError` normalises anything thrown at the edges.
 */
export type ErrorCode =
  | 'bad-input'
  | 'not-found'
  | 'forbidden'
  | 'conflict'
  | 'rate-limited'
  | 'delivery-permanent'
  | 'delivery-transient'
  | 'config'
  | 'internal';

export class BotError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The platform said "slow down": try again after `retryAfterMs`. */
export class RateLimitedError extends BotError {
  constructor(
    readonly retryAfterMs: number,
    message = `rate limited, retry after ${retryAfterMs} ms`,
    options?: { cause?: unknown },
  ) {
    super('rate-limited', message, options);
  }
}

/** Retrying cannot help (unknown channel, bot not in channel, bot removed): tell the requester. */
export class PermanentDeliveryError extends BotError {
  constructor(
    /** Platform reason, e.g. `channel_not_found`, `not_in_channel`. */
    readonly reason: string,
    message = `delivery failed permanently: ${reason}`,
    options?: { cause?: unknown },
  ) {
    super('delivery-permanent', message, options);
  }
}

/**
 * The platform may or may not have taken the message: it answered 5xx after receiving it, the call timed
 * out, or the connection dropped mid-call. A retry must ask the platform (`ChatPort.findPosted`) before
 * posting again; retrying blindly is how one outcome got posted six times.
 */
export class AmbiguousDeliveryError extends BotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('delivery-transient', message, options);
  }
}

/** `ChatPort.findPosted` cannot tell whether the platform has the message: it is not posted again. */
export class CannotTellError extends BotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('delivery-transient', message, options);
  }
}

export function toBotError(error: unknown): BotError {
  if (error instanceof BotError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new BotError('internal', message, { cause: error });
}
