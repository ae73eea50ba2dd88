import { readdir } from 'node:fs/promises';
import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import type { CardSource } from '../core/ports';
import { withTimeout } from './with-timeout';

/** One thing `/readyz` checks. `run` resolves when fine and throws (with what is wrong) when not. */
export interface ReadinessCheck {
  name: string;
  run(): Promise<void>;
}

export interface CheckResult {
  ok: boolean;
  ms: number;
  error?: string;
}

/** Runs every check at once, each cut off at `timeoutMs`. */
export async function runChecks(
  checks: ReadinessCheck[],
  timeoutMs: number,
): Promise<{ ready: boolean; checks: Record<string, CheckResult>; failed: string[] }> {
  const results = await Promise.all(
    checks.map(async (check): Promise<[string, CheckResult]> => {
      const started = performance.now();
      try {
        await withTimeout(check.run(), timeoutMs, 'no answer');
        return [check.name, { ok: true, ms: Math.round(performance.now() - started) }];
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return [check.name, { ok: false, ms: Math.round(performance.now() - started), error: message }];
      }
    }),
  );
  const failed = results.filter(([, result]) => !result.ok).map(([name]) => name);
  return { ready: failed.length === 0, checks: Object.fromEntries(results), failed };
}

/** Redis answers PING. */
export function redisCheck(redis: Redis): ReadinessCheck {
  return {
    name: 'redis',
    async run() {
      const answer = await redis.ping();
      if (answer !== 'PONG') throw new Error(`unexpected PING answer ${answer}`);
    },
  };
}

/**
 * The card source can be read: a source that reports its own health (a git clone whose last fetch failed
 * is `degraded`) is asked; a plain directory is listed.
 */
export function cardSourceCheck(cards: CardSource, dir: string): ReadinessCheck {
  return {
    name: 'cards',
    async run() {
      const health = cards.health?.();
      if (health && health.state !== 'ok') throw new Error(health.lastError ?? `card source ${health.state}`);
      if (!health) await readdir(dir);
    },
  };
}

/**
 * No queue has a job that has been ready to run for longer than `stallMs` without a worker taking it
 * (workers down or stuck). 0 turns the check off.
 */
export function queuesCheck(queues: Queue[], stallMs: number, now: () => number = Date.now): ReadinessCheck {
  return {
    name: 'queues',
    async run() {
      if (stallMs <= 0) return;
      const stalled: string[] = [];
      for (const queue of queues) {
        const [oldest] = await queue.getJobs(['wait'], 0, 0, true);
        if (!oldest) continue;
        const readySince = oldest.timestamp + (oldest.delay ?? 0);
        const waited = now() - readySince;
        if (waited > stallMs)
          stalled.push(`${queue.name} (oldest job waiting ${Math.round(waited / 1000)} s)`);
      }
      if (stalled.length) throw new Error(`no worker took jobs: ${stalled.join(', ')}`);
    },
  };
}
