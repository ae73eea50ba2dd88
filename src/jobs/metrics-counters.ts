import type Redis from 'ioredis';

/**
 * Job counters kept in Redis (one hash), so `/metrics` of any web process shows what every worker did.
 */
export const COUNTER_NAMES = [
  'delivered',
  'delivery_failed',
  'delivery_retried',
  'delivery_rate_limited',
  'delivery_uncertain',
  'delivery_ambiguous',
  'delivery_recovered',
  'delivery_skipped',
  'delivery_found_later',
  'delivery_buttons_off',
  'engine_jobs_run',
  'engine_jobs_failed',
] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];

export class MetricsCounters {
  constructor(
    private readonly redis: Redis,
    /** e.g. `{mltrl}:metrics` */
    readonly key: string,
  ) {}

  async increment(name: CounterName, by = 1): Promise<void> {
    await this.redis.hincrby(this.key, name, by);
  }

  async read(): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(this.key);
    return Object.fromEntries(Object.entries(raw).map(([name, value]) => [name, Number(value)]));
  }
}
