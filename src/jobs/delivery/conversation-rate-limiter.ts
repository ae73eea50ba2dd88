import type Redis from 'ioredis';

/**
 * At most one message per `intervalMs` per conversation, measured where it counts: at the platform. A
 * delivery takes its conversation's slot only when the slot is free, and holds it while its call is in
 * flight; when the platform has answered (or the call was cut off), `release` frees the slot one interval
 * later. So the next message cannot reach the platform sooner than an interval after the previous one was
 * answered, however late a post arrives under load (spacing slots at send time let two posts reach Slack
 * 165 ms apart in a 429 storm). A worker that dies holding a slot frees it when the hold runs out.
 * Shared by every worker (one Lua call, Redis server time). The value is `nextFree` or `nextFree|holder`.
 */
const NOW = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)`;

const TAKE_SCRIPT = `${NOW}
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local hold = tonumber(ARGV[3])
local value = redis.call('GET', KEYS[1])
local nextFree = 0
if value then nextFree = tonumber(string.match(value, '^(%d+)')) or 0 end
if nextFree > now + tolerance then return {0, nextFree, now} end
local slot = now
if nextFree > now then slot = nextFree end
redis.call('SET', KEYS[1], tostring(slot + hold) .. '|' .. ARGV[4], 'PX', (slot - now) + hold + interval)
return {1, slot, now}`;

const RELEASE_SCRIPT = `${NOW}
local value = redis.call('GET', KEYS[1])
if not value or string.match(value, '|(.*)$') ~= ARGV[2] then return 0 end
local interval = tonumber(ARGV[1])
redis.call('SET', KEYS[1], tostring(now + interval), 'PX', interval * 2)
return 1`;

export type SlotAnswer =
  | { taken: true; slotAt: number; now: number }
  /** Busy (in flight, or answered less than an interval ago): ask again at `retryAt` (Redis time). */
  | { taken: false; retryAt: number; now: number };

export class ConversationRateLimiter {
  constructor(
    private readonly redis: Redis,
    /** e.g. `{mltrl}:delivery:rate:` */
    private readonly keyPrefix: string,
  ) {}

  /**
   * Takes the conversation's slot if it is free now (within `toleranceMs`), held by `holder` for at most
   * `holdMs` (the longest a platform call may take) or until `release`. Otherwise takes nothing, so a
   * message that waits and is later superseded (a tally update) never held up the next one.
   */
  async take(
    conversation: string,
    options: { intervalMs: number; toleranceMs: number; holdMs: number; holder: string },
  ): Promise<SlotAnswer> {
    const [taken, at, now] = (await this.redis.eval(
      TAKE_SCRIPT,
      1,
      this.keyPrefix + conversation,
      options.intervalMs,
      options.toleranceMs,
      Math.max(options.holdMs, options.intervalMs),
      options.holder,
    )) as [number, number, number];
    if (taken === 1) return { taken: true, slotAt: at, now };
    // While a call is in flight `at` is the hold's end; it is usually answered long before.
    return { taken: false, retryAt: Math.min(at, now + options.intervalMs), now };
  }

  /** The call of `holder` was answered (or cut off): the next message may go an interval from now. */
  async release(conversation: string, intervalMs: number, holder: string): Promise<void> {
    await this.redis.eval(RELEASE_SCRIPT, 1, this.keyPrefix + conversation, intervalMs, holder);
  }
}
