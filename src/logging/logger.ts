import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import { redactSecrets, REDACTED, SECRET_FIELD_PATHS } from './redact';

/**
 * The bot's logger: JSON lines through pino (`time`, `level`, `message`, then fields). Secrets never reach
 * the output: pino's redact paths (with wildcards for nested fields) and a key-name pass at any depth
 * replace them with "(redacted)". `child` binds fields (a request id, a job id) to every line after.
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(bindings: Record<string, unknown>): Logger;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LoggerOptions {
  /** Extra redact paths (pino syntax: `headers.cookie`, `*.apiKey`), on top of the built-in ones. */
  redactPaths?: string[];
  /** `pretty` for people at a terminal, `json` for machines; default: pretty when stderr is a TTY. */
  format?: 'json' | 'pretty';
}

function wrap(inner: PinoLogger): Logger {
  return {
    debug: (message, fields) => inner.debug(fields ?? {}, message),
    info: (message, fields) => inner.info(fields ?? {}, message),
    warn: (message, fields) => inner.warn(fields ?? {}, message),
    error: (message, fields) => inner.error(fields ?? {}, message),
    child: (bindings) => wrap(inner.child(redactSecrets(bindings))),
  };
}

function defaultDestination(format: LoggerOptions['format']): DestinationStream {
  const pretty = format ? format === 'pretty' : process.stderr.isTTY === true;
  if (pretty) {
    // Synchronous, in-process pretty printing: no transport worker thread to outlive the process.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pinoPretty = require('pino-pretty') as (options: object) => DestinationStream;
    return pinoPretty({ destination: 2, sync: true, messageKey: 'message', colorize: true });
  }
  return pino.destination({ dest: 2, sync: true });
}

/** `write` receives each line without its newline (tests collect them); default: stderr. */
export function createLogger(
  minimum: LogLevel = 'info',
  write?: (line: string) => void,
  options: LoggerOptions = {},
): Logger {
  const destination: DestinationStream = write
    ? { write: (line: string) => write(line.endsWith('\n') ? line.slice(0, -1) : line) }
    : defaultDestination(options.format);
  const inner = pino(
    {
      level: minimum,
      messageKey: 'message',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => redactSecrets(fields),
      },
      redact: { paths: [...SECRET_FIELD_PATHS, ...(options.redactPaths ?? [])], censor: REDACTED },
    },
    destination,
  );
  return wrap(inner);
}

/** For tests: keeps nothing, prints nothing. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};
