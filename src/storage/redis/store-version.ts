import { randomUUID } from 'node:crypto';
import type { ChainableCommander, Redis } from 'ioredis';
import { deepFreeze } from '../../core/deep-freeze';
import type { GetBatcher } from './get-batcher';

/** Answers remembered per store: a project's history or a channel's language each. */
const REMEMBERED_MAX = 2000;

/**
 * A token in Redis that every write of a store replaces, in the same transaction or script, with a random
 * value (random, not a counter: a state import writes back an older token only with the data it had).
 * While the token a process reads is the one it read an answer under, that answer still holds, so reads
 * asked on every vote click (the level history, the delegations, the channel's language) cost one GET of
 * the token, which the GET batcher shares with the click's other reads, instead of each its own command
 * and parse (bench/README.md, sixth round). A store without a token gets one on its first read, so an
 * import that dropped the token also drops what was remembered under the old one.
 */
export class StoreVersion {
  private readonly remembered = new Map<string, { token: string; value: unknown }>();

  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly reads: GetBatcher,
  ) {}

  /** A new token, written with the store's own write. */
  static next(): string {
    return randomUUID();
  }

  /** Replaces the token in a write's transaction. */
  bump(multi: ChainableCommander): ChainableCommander {
    return multi.set(this.key, StoreVersion.next());
  }

  /** The answer of `load` for `key`, remembered (frozen) while the store's token is the same. */
  async read<T>(key: string, load: () => Promise<T>): Promise<T> {
    const token = await this.token();
    const known = this.remembered.get(key);
    if (known && known.token === token) return known.value as T;
    // Read after the token: a write in between moves it again, so the next read loads afresh.
    const value = deepFreeze(await load());
    if (this.remembered.size >= REMEMBERED_MAX) this.remembered.clear();
    this.remembered.set(key, { token, value });
    return value;
  }

  /** The store's token now (read through the GET batcher). */
  async token(): Promise<string> {
    return (await this.reads.get(this.key)) ?? (await this.start());
  }

  /**
   * A store without a token (never written since tokens came, or just imported) gets one, unless another
   * process set one first: then that one is the token.
   */
  private async start(): Promise<string> {
    const token = StoreVersion.next();
    const earlier = (await this.redis.call('SET', this.key, token, 'NX', 'GET')) as string | null;
    return earlier ?? token;
  }
}
