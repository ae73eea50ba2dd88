import type Redis from 'ioredis';
import type { CardKey } from '../../core/card';
import type { GapSightingStore } from '../../core/engine/store-ports';
import { LuaScript } from './lua-script';

/**
 * KEYS: one hash per project. ARGV[1]: the time of this look; then per project the number of its open
 * keys and those keys. Keeps the first time of each open key, drops every other key, and answers each
 * hash as a flat list. One script, so two processes looking at once agree; many projects per call, so
 * the digest's look at thousands of cards is a few round trips.
 */
const OBSERVE = new LuaScript(`
local at = ARGV[1]
local pos = 2
local answers = {}
for k = 1, #KEYS do
  local count = tonumber(ARGV[pos])
  pos = pos + 1
  local open = {}
  for i = 1, count do
    open[ARGV[pos]] = true
    redis.call('HSETNX', KEYS[k], ARGV[pos], at)
    pos = pos + 1
  end
  for _, key in ipairs(redis.call('HKEYS', KEYS[k])) do
    if not open[key] then redis.call('HDEL', KEYS[k], key) end
  end
  answers[k] = redis.call('HGETALL', KEYS[k])
end
return answers
`);

/** Projects per script call: big enough to save round trips, small enough not to hold Redis long. */
const BATCH = 250;

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
    return (await this.observeMany([{ projectId, open }], at))[0];
  }

  async observeMany(
    looks: ReadonlyArray<{ projectId: string; open: readonly CardKey[] }>,
    at: string,
  ): Promise<Array<Partial<Record<CardKey, string>>>> {
    const batches: Array<Promise<string[][]>> = [];
    for (let from = 0; from < looks.length; from += BATCH) {
      const batch = looks.slice(from, from + BATCH);
      const args: Array<string | number> = [at];
      for (const look of batch) {
        const open = [...new Set(look.open)];
        args.push(open.length, ...open);
      }
      batches.push(
        OBSERVE.run(
          this.redis,
          batch.map((look) => this.key(look.projectId)),
          args,
        ) as Promise<string[][]>,
      );
    }
    return (await Promise.all(batches)).flat().map((flat) => {
      const sightings: Partial<Record<CardKey, string>> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) sightings[flat[i] as CardKey] = flat[i + 1];
      return sightings;
    });
  }

  async get(projectId: string): Promise<Partial<Record<CardKey, string>>> {
    return (await this.redis.hgetall(this.key(projectId))) as Partial<Record<CardKey, string>>;
  }
}
