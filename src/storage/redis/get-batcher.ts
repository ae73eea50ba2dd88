import type Redis from 'ioredis';

interface Pending {
  key: string;
  resolve(value: string | null): void;
  reject(error: unknown): void;
}

/**
 * Single-key GETs asked for within one tick go to Redis as one MGET. A Teams click resolves the card's
 * owners and reviewers in parallel, each by e-mail and then by profile: eight GETs (eight socket writes
 * and replies) became two MGETs. Read-only, so batching changes no outcome; a failure fails every read of
 * the batch, as the separate GETs would have. Every key must be in the same hash slot (our keys all carry
 * the `{prefix}` hash tag), as MGET needs on a Cluster.
 */
export class GetBatcher {
  private pending: Pending[] = [];

  constructor(private readonly redis: Redis) {}

  get(key: string): Promise<string | null> {
    return new Promise((resolve, reject) => {
      // process.nextTick runs once the current run of promise callbacks has drained: the parallel
      // look-ups of one turn are all queued by then, and no I/O has been waited for.
      if (this.pending.length === 0) process.nextTick(() => this.flush());
      this.pending.push({ key, resolve, reject });
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 1) {
      const [only] = batch;
      this.redis.get(only.key).then(only.resolve, only.reject);
      return;
    }
    const keys = [...new Set(batch.map((entry) => entry.key))];
    this.redis.mget(keys).then(
      (values) => {
        const byKey = new Map(keys.map((key, index) => [key, values[index] ?? null]));
        for (const entry of batch) entry.resolve(byKey.get(entry.key) ?? null);
      },
      (error: unknown) => {
        for (const entry of batch) entry.reject(error);
      },
    );
  }
}
