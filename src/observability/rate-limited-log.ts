import type { Logger } from '../logging/logger';

/**
 * Logs at most one line per key per interval; the next line that gets through says how many were
 * suppressed in between. For events an outsider can trigger at will (bad signatures, foreign Host headers).
 */
export class RateLimitedLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  warn(key: string, message: string, fields: Record<string, unknown> = {}): boolean {
    const now = this.now();
    const seen = this.last.get(key);
    if (seen && now - seen.at < this.intervalMs) {
      seen.suppressed += 1;
      return false;
    }
    const suppressed = seen?.suppressed ?? 0;
    this.last.set(key, { at: now, suppressed: 0 });
    this.logger.warn(message, suppressed > 0 ? { ...fields, suppressed } : fields);
    return true;
  }
}
