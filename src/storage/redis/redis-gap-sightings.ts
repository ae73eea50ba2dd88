import type Redis from 'ioredis';
import type { CardKey } from '../../core/card';
import type { GapSightingStore } from '../../core/engine/store-ports';
import { LuaScript } from './lua-script';

/**
 * ARGV[1] the time of this look, ARGV[2..] the open keys. Keeps the first time of each open key, drops
 * every other key, returns the hash as a flat list. One script, so two processes looking at once agree.
 */
const OBSERVE = new LuaScript(`
local open = {}
for i = 2, #ARGV do
  open[ARGV[i]] = true
  redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[1])
end
local recorded = redis.call('HKEYS', KEYS[1])
for _, key in ipairs(recorded) do
  if not open[key] then redis.call('HDEL', KEYS[1], key) end
end
return redis.call('HGETALL', KEYS[1])
`);

/** First sightings of gaps: one hash per project, section key -> ISO time first seen. */
export class RedisGapSightingStore implements GapSightingStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key = (projectId: string) => `${this.prefix}:gap-seen:${projectId}`;

  async observe(
    projectId: string,
    open: readonly CardKey[],
    at: string,
  ): Promise<Partial<Record<CardKey, string>>> {
    const flat = (await OBSERVE.run(this.redis, [this.key(projectId)], [at, ...new Set(open)])) as string[];
    const sightings: Partial<Record<CardKey, string>> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) sightings[flat[i] as CardKey] = flat[i + 1];
    return sightings;
  }

  async get(projectId: string): Promise<Partial<Record<CardKey, string>>> {
    return (await this.redis.hgetall(this.key(projectId))) as Partial<Record<CardKey, string>>;
  }
}
