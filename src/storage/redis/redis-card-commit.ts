import type Redis from 'ioredis';
import type { SharedCardCommit } from '../../core/ports';
import { LuaScript } from './lua-script';

/** Set the key to ARGV[2] when it holds ARGV[1] ('' means: absent). */
const ADVANCE = new LuaScript(`
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`);

/** The card repository's newest commit seen by any process: `<prefix>:cards:commit`. */
export function createRedisCardCommit(redis: Redis, keyPrefix: string): SharedCardCommit {
  const key = `${keyPrefix}:cards:commit`;
  return {
    async get() {
      return (await redis.get(key)) ?? undefined;
    },
    async advance(from, to) {
      return (await ADVANCE.run(redis, [key], [from ?? '', to])) === 1;
    },
  };
}
