import type Redis from 'ioredis';
import type { ChainAnchor } from './audit-chain';
import { LuaScript } from './lua-script';

/** AUDIT_MAX_AGE_DAYS / AUDIT_MAX_ENTRIES: how much of each project's trail is kept (0: no limit). */
export interface AuditPolicy {
  maxAgeDays: number;
  maxEntries: number;
}

/**
 * Trims one project's chain atomically and moves its anchor: the entries to drop are the oldest beyond
 * the newest `maxEntries`, and those older than the cut-off, but never the newest entry (the next append
 * links to its hash). The anchor records the hash and id of the last entry removed and how many were
 * removed in all, so `audit verify` checks the first kept entry against it: a removal by hand, without
 * moving the anchor, still shows.
 */
const TRIM = new LuaScript(`
local len = redis.call('XLEN', KEYS[1])
local remove = 0
local maxEntries = tonumber(ARGV[1])
if maxEntries > 0 and len > maxEntries then remove = len - maxEntries end
local cutoff = tonumber(ARGV[2])
if cutoff > 0 then
  local old = redis.call('XRANGE', KEYS[1], '-', '(' .. cutoff .. '-0')
  if #old > remove then remove = #old end
end
if remove > len - 1 then remove = len - 1 end
if remove <= 0 then return 0 end
local span = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', remove + 1)
local last = span[remove]
local hash = ''
for i = 1, #last[2], 2 do
  if last[2][i] == 'h' then hash = last[2][i + 1] end
end
redis.call('XTRIM', KEYS[1], 'MINID', span[remove + 1][1])
redis.call('HSET', KEYS[2], 'hash', hash, 'id', last[1], 'at', ARGV[3])
redis.call('HINCRBY', KEYS[2], 'count', remove)
return remove
`);

export const anchorKey = (prefix: string, projectId: string) => `${prefix}:audit-anchor:${projectId}`;

/** The anchor left by earlier trims of a project's chain, if any. */
export async function readAnchor(
  redis: Redis,
  prefix: string,
  projectId: string,
): Promise<ChainAnchor | undefined> {
  const fields = await redis.hgetall(anchorKey(prefix, projectId));
  if (fields.hash === undefined) return undefined;
  return { hash: fields.hash, id: fields.id ?? '', count: Number(fields.count ?? 0), at: fields.at };
}

/**
 * Applies the policy to every project's chain (and the age limit to the stream of all entries, which the
 * digest reads by date); returns how many entries each project lost. Safe to run from several workers at
 * once: each trim is one script.
 */
export async function trimAudit(
  redis: Redis,
  prefix: string,
  projects: string[],
  policy: AuditPolicy,
  now: Date,
): Promise<Map<string, number>> {
  const cutoff = policy.maxAgeDays > 0 ? now.getTime() - policy.maxAgeDays * 86_400_000 : 0;
  const removed = new Map<string, number>();
  if (!cutoff && !policy.maxEntries) return removed;
  for (const projectId of projects) {
    const count = Number(
      await TRIM.run(
        redis,
        [`${prefix}:audit:${projectId}`, anchorKey(prefix, projectId)],
        [policy.maxEntries, cutoff, now.toISOString()],
      ),
    );
    if (count > 0) removed.set(projectId, count);
  }
  if (cutoff) await redis.xtrim(`${prefix}:audit`, 'MINID', `${cutoff}-0`);
  return removed;
}
