import type Redis from 'ioredis';
import type { AuditEvent, AuditLog } from '../../core/engine/store-ports';
import { chainHash, streamFields, type ChainAnchor, type ChainEntry } from './audit-chain';
import { readAnchor, trimAudit, type AuditPolicy } from './audit-trim';
import { LuaScript } from './lua-script';

/**
 * The audit trail as Redis Streams: one stream for everything (the digest reads "since"), one per
 * project (`history`). Entry ids follow the event time (the engine clock, which the playground can move
 * forward), never going below the stream's last id, so ranges by time work and XADD never fails.
 */
const APPEND = new LuaScript(`
local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
local lastHash = ''
if #last > 0 then
  local fields = last[1][2]
  for i = 1, #fields, 2 do
    if fields[i] == 'h' then lastHash = fields[i + 1] end
  end
end
if lastHash ~= ARGV[3] then return 'retry' end
local function add(key)
  local ms = tonumber(ARGV[1])
  local newest = redis.call('XREVRANGE', key, '+', '-', 'COUNT', 1)
  if #newest > 0 then
    local lastMs = tonumber(string.match(newest[1][1], '^(%d+)'))
    if lastMs > ms then ms = lastMs end
  end
  return redis.call('XADD', key, ms .. '-*', 'e', ARGV[2], 'p', ARGV[3], 'h', ARGV[4])
end
local id = add(KEYS[1])
add(KEYS[2])
return id
`);

/** Appends that lost a race for the project's chain try again with the new last hash. */
const MAX_CHAIN_ATTEMPTS = 50;

type StreamEntry = [id: string, fields: string[]];

function parse(entries: StreamEntry[]): AuditEvent[] {
  return entries.map(([id, fields]) => ({
    ...(JSON.parse(streamFields(fields).get('e')!) as AuditEvent),
    id,
  }));
}

export class RedisAuditLog implements AuditLog {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private allKey = () => `${this.prefix}:audit`;
  private projectKey = (projectId: string) => `${this.prefix}:audit:${projectId}`;

  async append(event: AuditEvent): Promise<string> {
    const { id: _ignored, ...stored } = event;
    const ms = Math.max(0, Date.parse(event.at) || 0);
    const json = JSON.stringify(stored);
    const key = this.projectKey(event.projectId);
    for (let attempt = 0; attempt < MAX_CHAIN_ATTEMPTS; attempt++) {
      const [last] = (await this.redis.xrevrange(key, '+', '-', 'COUNT', 1)) as StreamEntry[];
      const prev = last ? (streamFields(last[1]).get('h') ?? '') : '';
      const result = (await APPEND.run(
        this.redis,
        [this.allKey(), key],
        [ms, json, prev, chainHash(prev, json)],
      )) as string;
      if (result !== 'retry') return result;
    }
    throw new Error(
      `audit: could not append to the chain of ${event.projectId} (too many concurrent appends)`,
    );
  }

  /** One project's entries with their chain fields, oldest first (for `audit verify`). */
  async chainOf(projectId: string): Promise<ChainEntry[]> {
    const entries = (await this.redis.xrange(this.projectKey(projectId), '-', '+')) as StreamEntry[];
    return entries.map(([id, fields]) => {
      const map = streamFields(fields);
      return { id, json: map.get('e') ?? '', prev: map.get('p'), hash: map.get('h') };
    });
  }

  /** Where the project's chain starts after trims by the length policy (undefined: never trimmed). */
  anchorOf(projectId: string): Promise<ChainAnchor | undefined> {
    return readAnchor(this.redis, this.prefix, projectId);
  }

  /** Applies AUDIT_MAX_AGE_DAYS / AUDIT_MAX_ENTRIES to every project's chain, moving its anchor. */
  async trim(policy: AuditPolicy, now: Date): Promise<Map<string, number>> {
    return trimAudit(this.redis, this.prefix, await this.projects(), policy, now);
  }

  /** Every project that has an audit stream (including '*' for conversation-wide entries). */
  async projects(): Promise<string[]> {
    const prefix = `${this.prefix}:audit:`;
    const found = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) found.add(key.slice(prefix.length));
      // (anchors live under `audit-anchor:`, which this pattern does not match)
    } while (cursor !== '0');
    return [...found].sort();
  }

  async listByProject(projectId: string, limit?: number): Promise<AuditEvent[]> {
    const key = this.projectKey(projectId);
    if (limit === undefined) return parse((await this.redis.xrange(key, '-', '+')) as StreamEntry[]);
    return parse((await this.redis.xrevrange(key, '+', '-', 'COUNT', limit)) as StreamEntry[]).reverse();
  }

  async listSince(since: Date, limit?: number): Promise<AuditEvent[]> {
    const start = `${since.getTime()}-0`;
    const entries = (
      limit === undefined
        ? await this.redis.xrange(this.allKey(), start, '+')
        : await this.redis.xrange(this.allKey(), start, '+', 'COUNT', limit)
    ) as StreamEntry[];
    // Ids never go below the last one, so a late event with an earlier time sits after `start`: filter by time.
    return parse(entries).filter((event) => Date.parse(event.at) >= since.getTime());
  }
}
