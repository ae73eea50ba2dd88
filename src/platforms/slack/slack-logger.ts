import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../logging/logger';

function format(parts: unknown[]): string {
  return parts
    .map((part) =>
      part instanceof Error ? part.message : typeof part === 'string' ? part : JSON.stringify(part),
    )
    .join(' ');
}

/**
 * Bolt warns once per request that fails the signature check; anyone can send those, so the shared
 * request middleware counts and logs them instead (rate-limited), and Bolt's line goes to debug.
 */
const REFUSAL_LINE = /^Request verification failed/;

/** Our JSON logger behind the Slack SDK's logger interface (Bolt and the Web API client log through it). */
export function toSlackLogger(logger: Logger): SlackLogger {
  let level = LogLevel.INFO;
  return {
    debug: (...parts: unknown[]) => logger.debug(`slack: ${format(parts)}`),
    info: (...parts: unknown[]) => logger.info(`slack: ${format(parts)}`),
    warn: (...parts: unknown[]) => {
      const text = format(parts);
      if (REFUSAL_LINE.test(text)) logger.debug(`slack: ${text}`);
      else logger.warn(`slack: ${text}`);
    },
    error: (...parts: unknown[]) => logger.error(`slack: ${format(parts)}`),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
