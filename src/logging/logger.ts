/** JSON-lines logger. Secrets never reach it: fields whose names look secret are replaced. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof LEVELS;
const SECRET_FIELD = /secret|token|password|authorization|signature/i;

function redact(fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!fields) return undefined;
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [
      key,
      SECRET_FIELD.test(key) ? '(redacted)' : value instanceof Error ? value.message : value,
    ]),
  );
}

export function createLogger(
  minimum: Level = 'info',
  write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
): Logger {
  const log = (level: Level) => (message: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < LEVELS[minimum]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level, message, ...redact(fields) }));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** For tests: keeps nothing, prints nothing. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
