import type Redis from 'ioredis';
import type { Clock } from '../core/ports';

/**
 * The playground's clock: real time plus an offset that only moves forward. The offset lives in Redis,
 * so it survives restarts and every process (web, workers) agrees on "now". `now()` must be synchronous
 * (the `Clock` port), so each process keeps the offset in memory and re-reads it every `refreshMs`;
 * the process that advances knows the new offset at once. Never used in production.
 */
export interface ControllableClock extends Clock {
  /** Moves the clock forward by `ms` (>= 0) for every process; resolves with the new time. */
  advance(ms: number): Promise<Date>;
  /** Re-reads the offset from Redis now (another process may have advanced it). */
  refresh(): Promise<void>;
  offsetMs(): number;
  stop(): void;
}

export async function createControllableClock(options: {
  redis: Redis;
  /** e.g. `{mltrl}:clock:offset` */
  key: string;
  refreshMs?: number;
  realNow?: () => number;
}): Promise<ControllableClock> {
  const realNow = options.realNow ?? Date.now;
  let offset = 0;
  const read = async () => {
    const stored = Number((await options.redis.get(options.key)) ?? '0');
    // Only forward: a slow read must not undo an advance made in this process meanwhile.
    if (Number.isFinite(stored) && stored > offset) offset = stored;
  };
  await read();
  const timer = setInterval(() => void read().catch(() => undefined), options.refreshMs ?? 500);
  timer.unref();
  return {
    now: () => new Date(realNow() + offset),
    offsetMs: () => offset,
    refresh: read,
    async advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new RangeError(`the clock only moves forward, not by ${ms} ms`);
      const stored = await options.redis.incrby(options.key, Math.round(ms));
      if (stored > offset) offset = stored;
      return new Date(realNow() + offset);
    },
    stop: () => clearInterval(timer),
  };
}
