import type Redis from 'ioredis';
import type { RecordVoteResult, VoteRecord, VoteStore } from '../../core/engine/store-ports';
import { LuaScript } from './lua-script';

/**
 * One hash per ballot box: a field per voter (`v:<voter key>`) holding "<signature>\n<vote JSON>", plus
 * `~closed` and `~seq`. One short script records a vote atomically: refused when closed, 'unchanged'
 * when the voter's signature is the same (a double click), otherwise the voter's vote is replaced and
 * the change counter moves. Two Redis calls per vote (one read, one write) keep it close to a plain HSET.
 */
const RECORD = new LuaScript(`
local current = redis.call('HMGET', KEYS[1], '~closed', ARGV[1], '~seq')
if current[1] then return {'closed', 0} end
local previous = current[2]
if previous and string.sub(previous, 1, #ARGV[2] + 1) == ARGV[2] .. '\\n' then return {'unchanged', 0} end
local seq = tonumber(current[3] or '0') + 1
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '\\n' .. ARGV[3], '~seq', seq)
if previous then return {'changed', seq} end
return {'recorded', seq}
`);

const CLOSE = new LuaScript(`
redis.call('HSET', KEYS[1], '~closed', '1')
return redis.call('HGETALL', KEYS[1])
`);

const VOTER_PREFIX = 'v:';

/** What makes two votes the same: a second identical click changes nothing. */
export function voteSignature(vote: VoteRecord): string {
  return JSON.stringify([vote.choice, vote.switchbackTo ?? null, vote.reason ?? '', vote.revision]);
}

function parseVotes(flat: string[]): VoteRecord[] {
  const votes: VoteRecord[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    if (!flat[i].startsWith(VOTER_PREFIX)) continue;
    const value = flat[i + 1];
    votes.push(JSON.parse(value.slice(value.indexOf('\n') + 1)) as VoteRecord);
  }
  return votes;
}

export class RedisVoteStore implements VoteStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key = (reviewId: string) => `${this.prefix}:votes:${reviewId}`;

  async record(reviewId: string, vote: VoteRecord): Promise<RecordVoteResult> {
    const [status, seq] = (await RECORD.run(
      this.redis,
      [this.key(reviewId)],
      [VOTER_PREFIX + vote.voter.key, voteSignature(vote), JSON.stringify(vote)],
    )) as [RecordVoteResult['status'], number];
    return { status, seq };
  }

  async votes(reviewId: string): Promise<VoteRecord[]> {
    const all = await this.redis.hgetall(this.key(reviewId));
    return parseVotes(Object.entries(all).flat());
  }

  async close(reviewId: string): Promise<VoteRecord[]> {
    return parseVotes((await CLOSE.run(this.redis, [this.key(reviewId)], [])) as string[]);
  }

  async isClosed(reviewId: string): Promise<boolean> {
    return (await this.redis.hexists(this.key(reviewId), '~closed')) === 1;
  }
}
