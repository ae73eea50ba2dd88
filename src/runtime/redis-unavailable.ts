/**
 * Whether an error means Redis did not answer (down, restarting, frozen, failing over) rather than that
 * it refused or our code failed: ioredis gives up on a command after its reconnect attempts
 * (`MaxRetriesPerRequestError`), after `commandTimeout` ("Command timed out"), or when the connection
 * closed under it; a socket error carries a network code. Follows `cause` chains, since callers wrap.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTCONN',
]);
const MESSAGES = [
  /^Command timed out/,
  /^Connection is closed/,
  /Reached the max retries per request limit/,
  /Stream isn't writeable/,
  /^LOADING /,
  /^(READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN) /,
];

export function isRedisUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== 'object') return false;
    const { name, message, code, cause } = current as {
      name?: unknown;
      message?: unknown;
      code?: unknown;
      cause?: unknown;
    };
    if (name === 'MaxRetriesPerRequestError') return true;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    if (typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message))) return true;
    current = cause;
  }
  return false;
}
