import type Redis from 'ioredis';

/**
 * At most one message per `intervalMs` per conversation, shared by every worker: each delivery reserves
 * the next free slot of its conversation in Redis (one Lua call, server time, so workers on different
 * machines agree). A delivery whose slot is later is moved to BullMQ's delayed set until then instead of
 * holding a worker busy. Slack asks for about one message per second per channel.
 */
const RESERVE_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local interval = tonumber(ARGV[1])
local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = now
if nextFree > now then slot = nextFree end
redis.call('SET', KEYS[1], tostring(slot + interval), 'PX', (slot - now) + interval * 2)
return {slot, now}`;

/** Takes the slot only if it is free now (within a tolerance); otherwise only says when it frees up. */
const RESERVE_IF_FREE_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
if nextFree > now + tolerance then return {0, nextFree, now} end
local slot = now
if nextFree > now then slot = nextFree end
redis.call('SET', KEYS[1], tostring(slot + interval), 'PX', (slot - now) + interval * 2)
return {1, slot, now}`;

export interface SlotReservation {
  /** When this delivery may go out (Redis server time, ms since the epoch). */
  slotAt: number;
  /** Redis server time now. */
  now: number;
}

export class ConversationRateLimiter {
  constructor(
    private readonly redis: Redis,
    /** e.g. `{mltrl}:delivery:rate:` */
    private readonly keyPrefix: string,
  ) {}

  /**
   * For messages that may be superseded while they wait (live tally updates): takes the slot only when it
   * is free now; otherwise reserves nothing and returns when to ask again, so an update skipped later
   * never held a slot that delays the conversation's next message.
   */
  async reserveIfFree(
    conversation: string,
    intervalMs: number,
    toleranceMs: number,
  ): Promise<SlotReservation & { taken: boolean }> {
    if (intervalMs <= 0) return { slotAt: 0, now: 0, taken: true };
    const [taken, slotAt, now] = (await this.redis.eval(
      RESERVE_IF_FREE_SCRIPT,
      1,
      this.keyPrefix + conversation,
      intervalMs,
      toleranceMs,
    )) as [number, number, number];
    return { slotAt, now, taken: taken === 1 };
  }

  async reserve(conversation: string, intervalMs: number): Promise<SlotReservation> {
    if (intervalMs <= 0) return { slotAt: 0, now: 0 };
    const [slotAt, now] = (await this.redis.eval(
      RESERVE_SCRIPT,
      1,
      this.keyPrefix + conversation,
      intervalMs,
    )) as [number, number];
    return { slotAt, now };
  }
}
