import type Redis from 'ioredis';
import { scopeOf, type Delegation } from '../../core/delegation';
import type { DelegationStore } from '../../core/engine/store-ports';
import { GetBatcher } from './get-batcher';
import { LuaScript } from './lua-script';
import { StoreVersion } from './store-version';

/** Ended delegations stay this long, so a delegate who clicks after the end is told why, then go. */
const KEEP_ENDED_MS = 30 * 86_400_000;

/**
 * Removes the fields of a delegator (one scope, or every scope when ARGV[2] is empty) in one step and
 * returns what was removed. Fields are `<from>|<scope>`.
 */
const REMOVE = new LuaScript(`
local removed = {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local field = all[i]
  local cut = string.find(field, '|', 1, true)
  local from = string.sub(field, 1, cut - 1)
  local scope = string.sub(field, cut + 1)
  if from == ARGV[1] and (ARGV[2] == '' or scope == ARGV[2]) then
    redis.call('HDEL', KEYS[1], field)
    table.insert(removed, all[i + 1])
  end
end
if #removed > 0 then redis.call('SET', KEYS[2], ARGV[3]) end
return removed
`);

/**
 * Delegations: one hash, `<delegator>|<scope>` -> JSON. A handful per installation, read whole. Whether
 * one is in force is decided against the engine clock (which tests and the playground move); ended ones
 * are pruned by wall-clock time when a new one is set, a month after they ended.
 */
export class RedisDelegationStore implements DelegationStore {
  /** Moved by every write: the delegations, read on every vote click, are remembered meanwhile. */
  private readonly version: StoreVersion;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    reads = new GetBatcher(redis),
  ) {
    this.version = new StoreVersion(redis, `${prefix}:delegations-version`, reads);
  }

  private get key(): string {
    return `${this.prefix}:delegations`;
  }

  async set(delegation: Delegation): Promise<void> {
    const stale = (await this.all())
      .filter((d) => Date.parse(d.until) + KEEP_ENDED_MS < Date.now())
      .map((d) => `${d.from}|${scopeOf(d)}`);
    const multi = this.redis.multi();
    if (stale.length) multi.hdel(this.key, ...stale);
    multi.hset(this.key, `${delegation.from}|${scopeOf(delegation)}`, JSON.stringify(delegation));
    await this.version.bump(multi).exec();
  }

  async remove(from: string, scope?: string): Promise<Delegation[]> {
    const removed = (await REMOVE.run(
      this.redis,
      [this.key, this.version.key],
      [from, scope ?? '', StoreVersion.next()],
    )) as string[];
    return removed.map((json) => JSON.parse(json) as Delegation);
  }

  async all(): Promise<Delegation[]> {
    return this.version.read('all', async () => {
      const values = await this.redis.hvals(this.key);
      return values.map((json) => JSON.parse(json) as Delegation);
    });
  }
}
