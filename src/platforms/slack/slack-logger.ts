import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../logging/logger';

function format(parts: unknown[]): string {
  return parts
    .map((part) =>
      part instanceof Error ? part.message : typeof part === 'string' ? part : JSON.stringify(part),
    )
    .join(' ');
}

/** Our JSON logger behind the Slack SDK's logger interface (Bolt and the Web API client log through it). */
export function toSlackLogger(logger: Logger): SlackLogger {
  let level = LogLevel.INFO;
  return {
    debug: (...parts: unknown[]) => logger.debug(`slack: ${format(parts)}`),
    info: (...parts: unknown[]) => logger.info(`slack: ${format(parts)}`),
    warn: (...parts: unknown[]) => logger.warn(`slack: ${format(parts)}`),
    error: (...parts: unknown[]) => logger.error(`slack: ${format(parts)}`),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
