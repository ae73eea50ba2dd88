import type { Logger } from '../../src/logging/logger';

export interface LoggedLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

/** A Logger that keeps every line, so a test can wait for what a worker did instead of for the clock. */
export function recordingLogger(): Logger & { lines: LoggedLine[]; with(message: string): LoggedLine[] } {
  const lines: LoggedLine[] = [];
  const at =
    (level: LoggedLine['level']) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      void lines.push({ level, message, fields });
  const logger = {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
    with: (message: string) => lines.filter((line) => line.message === message),
  };
  return logger;
}
