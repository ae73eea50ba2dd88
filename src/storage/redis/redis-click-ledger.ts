import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import type { ClickLedger } from '../../core/engine/store-ports';

/**
 * The last click of each person on each message: one key per (message, person), hashed to a fixed
 * length, holding the click's fingerprint. `SET ... GET EX` swaps it in and returns the one before in
 * a single atomic step, so two processes handling the same click at once see one repeat, and a
 * deliberate return to an earlier choice (approve, abstain, approve) is still a new click. (A plain
 * `SET NX` per fingerprint would refuse that third click as a repeat for the whole expiry.)
 */
export class RedisClickLedger implements ClickLedger {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(scope: string): string {
    return `${this.prefix}:click:${createHash('sha256').update(scope).digest('hex').slice(0, 32)}`;
  }

  async repeated(scope: string, fingerprint: string, ttlSeconds: number): Promise<boolean> {
    const previous = await this.redis.call('SET', this.key(scope), fingerprint, 'EX', ttlSeconds, 'GET');
    return previous === fingerprint;
  }

  async forget(scope: string): Promise<void> {
    await this.redis.del(this.key(scope));
  }
}
