import { BotError, type ErrorCode } from '../../core/errors';

/**
 * A refused playground request: HTTP status, a stable API code (`unknown-person`, `malformed-json`, ...)
 * and a sentence from the i18n catalog. Sent as `{"error": {"code", "message"}}`.
 */
export class PlaygroundRequestError extends BotError {
  constructor(
    readonly status: number,
    readonly apiCode: string,
    message: string,
  ) {
    super(errorCodeFor(status), message);
  }
}

function errorCodeFor(status: number): ErrorCode {
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  return 'bad-input';
}

/** HTTP status for an error the engine threw while handling a playground event. */
export function statusForBotError(code: ErrorCode): number {
  switch (code) {
    case 'bad-input':
      return 400;
    case 'forbidden':
      return 403;
    case 'not-found':
      return 404;
    case 'conflict':
      return 409;
    case 'rate-limited':
      return 429;
    default:
      return 500;
  }
}
