import type Redis from 'ioredis';
import type { PlatformName } from '../core/events';

/** A channel's digest subscription as stored in Redis (plain JSON). */
export interface DigestSubscription {
  conversationId: string;
  /** Five-field cron and its IANA zone. */
  cron: string;
  tz: string;
  /** As the admin typed it ("weekly mon 09:00"), for replies. */
  input: string;
  granularity: 'week' | 'fire';
  quietWeek: 'line' | 'skip';
  locale?: string;
  by: { platform: PlatformName; userId: string };
  createdAt: string;
}

/** What the previous scheduled digest of a channel covered, for the next one's "what changed". */
export interface LastDigest {
  periodId: string;
  /** Fire time of that digest: the next digest's changes start here. */
  at: string;
  /** Where that digest's own changes started, so a retry of the same period rebuilds the same content. */
  since: string;
}

/**
 * Subscriptions and "previous digest" records under `<keyPrefix>:digest:*`. Every channel's record is
 * one key, the set of subscribed channels another, so `start` can upsert every scheduler.
 */
export class DigestSubscriptionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  private subscriptionKey = (conversationId: string) => `${this.keyPrefix}:digest:sub:${conversationId}`;
  private lastKey = (conversationId: string) => `${this.keyPrefix}:digest:last:${conversationId}`;
  private indexKey = () => `${this.keyPrefix}:digest:subs`;

  async save(subscription: DigestSubscription): Promise<void> {
    await this.redis
      .multi()
      .set(this.subscriptionKey(subscription.conversationId), JSON.stringify(subscription))
      .sadd(this.indexKey(), subscription.conversationId)
      .exec();
  }

  async get(conversationId: string): Promise<DigestSubscription | undefined> {
    const raw = await this.redis.get(this.subscriptionKey(conversationId));
    return raw ? (JSON.parse(raw) as DigestSubscription) : undefined;
  }

  /** Removes the subscription; true when there was one. */
  async remove(conversationId: string): Promise<boolean> {
    const results = await this.redis
      .multi()
      .del(this.subscriptionKey(conversationId))
      .srem(this.indexKey(), conversationId)
      .exec();
    return Number(results?.[0]?.[1] ?? 0) > 0;
  }

  async list(): Promise<DigestSubscription[]> {
    const ids = await this.redis.smembers(this.indexKey());
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map(this.subscriptionKey));
    return raws
      .filter((raw): raw is string => Boolean(raw))
      .map((raw) => JSON.parse(raw) as DigestSubscription);
  }

  async lastDigest(conversationId: string): Promise<LastDigest | undefined> {
    const raw = await this.redis.get(this.lastKey(conversationId));
    return raw ? (JSON.parse(raw) as LastDigest) : undefined;
  }

  async recordDigest(conversationId: string, last: LastDigest): Promise<void> {
    await this.redis.set(this.lastKey(conversationId), JSON.stringify(last));
  }
}
