import { randomUUID } from 'node:crypto';
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
  /** Back to real time for every process (the playground's reset). */
  reset(): Promise<Date>;
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
  let epoch: string | null = null;
  const read = async () => {
    const [raw, storedEpoch] = await options.redis.mget(options.key, epochKey(options.key));
    const stored = Number(raw ?? '0');
    if (!Number.isFinite(stored)) return;
    // Only forward within one epoch: a slow read must not undo an advance made in this process meanwhile.
    // A new epoch is a reset, which every process follows, also backwards.
    if (storedEpoch !== epoch) {
      epoch = storedEpoch;
      offset = stored;
    } else if (stored > offset) offset = stored;
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
    async reset() {
      epoch = await resetClockOffset(options.redis, options.key);
      offset = 0;
      return new Date(realNow());
    },
    stop: () => clearInterval(timer),
  };
}

function epochKey(key: string): string {
  return `${key}:epoch`;
}

/**
 * Puts the clock stored at `key` back to real time: the offset goes, and a new epoch tells every process
 * (whose in-memory offset only moves forward otherwise) to take the stored offset as it is. Returns the
 * new epoch. Also used with no clock running (`npm run playground:reset` on a stopped playground).
 */
export async function resetClockOffset(redis: Redis, key: string): Promise<string> {
  const epoch = randomUUID();
  await redis.multi().del(key).set(epochKey(key), epoch).exec();
  return epoch;
}
