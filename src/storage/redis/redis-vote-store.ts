import type Redis from 'ioredis';
import type { RecordVoteResult, VoteRecord, VoteStore } from '../../core/engine/store-ports';
import { LuaScript } from './lua-script';

/**
 * Ballot boxes: a hash voter -> vote JSON, a hash voter -> vote signature (what counts as "the same
 * vote" for double clicks), a closed flag and a change counter. One script records a vote: refused when
 * closed, unchanged when the signature matches, otherwise replaces the voter's vote, all atomically.
 */
// KEYS: votes hash, signature hash, closed flag, seq counter; ARGV: voter key, vote JSON, signature
const RECORD = new LuaScript(`
local status
if redis.call('EXISTS', KEYS[3]) == 1 then
  status = 'closed'
else
  local previous = redis.call('HGET', KEYS[2], ARGV[1])
  if previous == ARGV[3] then
    status = 'unchanged'
  else
    if previous then status = 'changed' else status = 'recorded' end
    redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
    redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
    redis.call('INCR', KEYS[4])
  end
end
local seq = tonumber(redis.call('GET', KEYS[4]) or '0')
return {status, seq, redis.call('HVALS', KEYS[1])}
`);

const CLOSE = new LuaScript(`
redis.call('SET', KEYS[2], '1')
return redis.call('HVALS', KEYS[1])
`);

/** What makes two votes the same: a second identical click changes nothing. */
export function voteSignature(vote: VoteRecord): string {
  return JSON.stringify([vote.choice, vote.switchbackTo ?? null, vote.reason ?? '', vote.revision]);
}

export class RedisVoteStore implements VoteStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private keys(reviewId: string): string[] {
    const base = `${this.prefix}:votes:${reviewId}`;
    return [base, `${base}:sig`, `${base}:closed`, `${base}:seq`];
  }

  async record(reviewId: string, vote: VoteRecord): Promise<RecordVoteResult> {
    const [status, seq, jsons] = (await RECORD.run(this.redis, this.keys(reviewId), [
      vote.voter.key,
      JSON.stringify(vote),
      voteSignature(vote),
    ])) as [RecordVoteResult['status'], number, string[]];
    return { status, seq, votes: jsons.map((json) => JSON.parse(json) as VoteRecord) };
  }

  async votes(reviewId: string): Promise<VoteRecord[]> {
    const jsons = await this.redis.hvals(this.keys(reviewId)[0]);
    return jsons.map((json) => JSON.parse(json) as VoteRecord);
  }

  async close(reviewId: string): Promise<VoteRecord[]> {
    const [votes, , closed] = this.keys(reviewId);
    const jsons = (await CLOSE.run(this.redis, [votes, closed], [])) as string[];
    return jsons.map((json) => JSON.parse(json) as VoteRecord);
  }

  async isClosed(reviewId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys(reviewId)[2])) === 1;
  }
}
