import type Redis from 'ioredis';
import type { AuditEvent, AuditLog } from '../../core/engine/store-ports';
import { LuaScript } from './lua-script';

/**
 * The audit trail as Redis Streams: one stream for everything (the digest reads "since"), one per
 * project (`history`). Entry ids follow the event time (the engine clock, which the playground can move
 * forward), never going below the stream's last id, so ranges by time work and XADD never fails.
 */
const APPEND = new LuaScript(`
local function add(key)
  local ms = tonumber(ARGV[1])
  local last = redis.call('XREVRANGE', key, '+', '-', 'COUNT', 1)
  if #last > 0 then
    local lastMs = tonumber(string.match(last[1][1], '^(%d+)'))
    if lastMs > ms then ms = lastMs end
  end
  return redis.call('XADD', key, ms .. '-*', 'e', ARGV[2])
end
local id = add(KEYS[1])
add(KEYS[2])
return id
`);

type StreamEntry = [id: string, fields: string[]];

function parse(entries: StreamEntry[]): AuditEvent[] {
  return entries.map(([id, fields]) => ({ ...(JSON.parse(fields[1]) as AuditEvent), id }));
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
    return (await APPEND.run(
      this.redis,
      [this.allKey(), this.projectKey(event.projectId)],
      [ms, JSON.stringify(stored)],
    )) as string;
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
