import type Redis from 'ioredis';
import type { PlatformName } from '../../core/events';
import type { PostedMessage } from '../../core/ports';

/**
 * The message ledger: one Redis key per delivery key, recording what became of it. It is what makes
 * delivery exactly-once on top of at-least-once jobs:
 *
 *   claim (atomically, only if the key has no entry) -> call the platform -> record where it landed.
 *
 * A key that is `recorded` is never posted again. A key left `claimed` means an attempt started calling
 * the platform and never recorded the result: it may still be running (wait until the claim is older
 * than the platform call deadline), or its worker died, before or after the platform accepted the post.
 * Only the platform can tell which (`ChatPort.findPosted`); see delivery-worker.ts for what we do.
 */
export type LedgerEntry =
  | { state: 'claimed'; by: string; at: number }
  | { state: 'posted'; message: PostedMessage; platform: PlatformName }
  | { state: 'done' }
  | { state: 'failed'; reason: string }
  /** A crashed attempt may or may not have posted, and the platform cannot tell: not posted again. */
  | { state: 'uncertain' };

export type ClaimResult = { claimed: true } | { claimed: false; entry: LedgerEntry };

/** Records are kept long enough to thread under or update a message during a long review. */
const RECORD_TTL_SECONDS = 180 * 24 * 3600;

const CLAIM_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current then return current end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return false`;

/** Replaces a claim only if it is still the one the caller saw (takeover of a dead attempt's claim). */
const TAKEOVER_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0`;

/** Deletes a claim only if it is ours (the platform call failed for sure, so a retry may post). */
const RELEASE_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current and string.find(current, ARGV[1], 1, true) then
  local decoded = cjson.decode(current)
  if decoded.state == 'claimed' and decoded.by == ARGV[1] then
    redis.call('DEL', KEYS[1])
    return 1
  end
end
return 0`;

export class MessageLedger {
  constructor(
    private readonly redis: Redis,
    /** e.g. `{mltrl}:delivery:ledger:` */
    private readonly keyPrefix: string,
  ) {}

  private keyOf(deliveryKey: string): string {
    return this.keyPrefix + deliveryKey;
  }

  async get(deliveryKey: string): Promise<LedgerEntry | undefined> {
    const raw = await this.redis.get(this.keyOf(deliveryKey));
    return raw === null ? undefined : (JSON.parse(raw) as LedgerEntry);
  }

  async getMany(deliveryKeys: string[]): Promise<Array<LedgerEntry | undefined>> {
    if (deliveryKeys.length === 0) return [];
    const raws = await this.redis.mget(...deliveryKeys.map((key) => this.keyOf(key)));
    return raws.map((raw) => (raw === null ? undefined : (JSON.parse(raw) as LedgerEntry)));
  }

  /** Claims the key for one attempt, or returns what is there already. */
  async claim(deliveryKey: string, attempt: string, at: number): Promise<ClaimResult> {
    const entry: LedgerEntry = { state: 'claimed', by: attempt, at };
    const current = (await this.redis.eval(
      CLAIM_SCRIPT,
      1,
      this.keyOf(deliveryKey),
      JSON.stringify(entry),
      RECORD_TTL_SECONDS,
    )) as string | null;
    return current === null
      ? { claimed: true }
      : { claimed: false, entry: JSON.parse(current) as LedgerEntry };
  }

  /** Takes over a claim seen earlier (exactly that one), for a new attempt. */
  takeOver(deliveryKey: string, seen: LedgerEntry, attempt: string, at: number): Promise<boolean> {
    return this.replaceIf(deliveryKey, seen, { state: 'claimed', by: attempt, at });
  }

  /**
   * Replaces the entry only if it is still exactly `seen`: settling a dead attempt's claim must not
   * overwrite the record of an attempt that was only slow and recorded meanwhile.
   */
  async replaceIf(deliveryKey: string, seen: LedgerEntry, next: LedgerEntry): Promise<boolean> {
    const replaced = await this.redis.eval(
      TAKEOVER_SCRIPT,
      1,
      this.keyOf(deliveryKey),
      JSON.stringify(seen),
      JSON.stringify(next),
      RECORD_TTL_SECONDS,
    );
    return replaced === 1;
  }

  async release(deliveryKey: string, attempt: string): Promise<void> {
    await this.redis.eval(RELEASE_SCRIPT, 1, this.keyOf(deliveryKey), attempt);
  }

  async record(deliveryKey: string, entry: Exclude<LedgerEntry, { state: 'claimed' }>): Promise<void> {
    await this.redis.set(this.keyOf(deliveryKey), JSON.stringify(entry), 'EX', RECORD_TTL_SECONDS);
  }
}
