import type Redis from 'ioredis';
import type { Ballot, RecordVoteResult, VoteRecord, VoteStore } from '../../core/engine/store-ports';
import { LuaScript } from './lua-script';

/**
 * One hash per ballot box: a field per voter (`v:<voter key>`) plus `~closed` and `~seq`. A vote is
 * stored as one compact JSON array whose first four items (choice, switchback level, reason, revision)
 * are its signature: the same signature again is a double click. One short script records a vote
 * atomically: refused when closed, 'unchanged' for a double click, otherwise the voter's vote is
 * replaced and the change counter moves. One read and one write per vote keep it close to a plain HSET;
 * the script answers with the whole ballot as it left it, so the vote's new card needs no second read.
 */
const RECORD = new LuaScript(`
local current = redis.call('HMGET', KEYS[1], '~closed', ARGV[1], '~seq')
if current[1] then return {'closed', 0, redis.call('HGETALL', KEYS[1])} end
local previous = current[2]
if previous and string.sub(previous, 1, #ARGV[2]) == ARGV[2] then
  return {'unchanged', 0, redis.call('HGETALL', KEYS[1])}
end
local seq = tonumber(current[3] or '0') + 1
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ARGV[3], '~seq', seq)
local status = 'recorded'
if previous then status = 'changed' end
return {status, seq, redis.call('HGETALL', KEYS[1])}
`);

const CLOSE = new LuaScript(`
redis.call('HSET', KEYS[1], '~closed', '1')
return redis.call('HGETALL', KEYS[1])
`);

const VOTER_PREFIX = 'v:';

type StoredVote = [
  choice: VoteRecord['choice'],
  switchbackTo: number | null,
  reason: string,
  revision: string,
  key: string,
  platform: VoteRecord['voter']['platform'],
  userId: string,
  name: string | null,
  at: string,
  /** The delegate who cast it, when not the voter themselves. */
  by?: VoteRecord['by'],
];

/** The signature (an open JSON array ending in a comma) and the rest of the stored vote. */
export function encodeVote(vote: VoteRecord): { signature: string; rest: string } {
  const signature = JSON.stringify([
    vote.choice,
    vote.switchbackTo ?? null,
    vote.reason ?? '',
    vote.revision,
  ]);
  const rest = JSON.stringify([
    vote.voter.key,
    vote.voter.platform,
    vote.voter.userId,
    vote.voter.name ?? null,
    vote.at,
    ...(vote.by ? [vote.by] : []),
  ]);
  return { signature: `${signature.slice(0, -1)},`, rest: rest.slice(1) };
}

function decodeVote(value: string): VoteRecord {
  const [choice, switchbackTo, reason, revision, key, platform, userId, name, at, by] = JSON.parse(
    value,
  ) as StoredVote;
  const vote: VoteRecord = { voter: { key, platform, userId }, choice, revision, at };
  if (by) vote.by = by;
  if (name !== null) vote.voter.name = name;
  if (switchbackTo !== null) vote.switchbackTo = switchbackTo;
  if (reason) vote.reason = reason;
  return vote;
}

/** A ballot from the flat field/value list of HGETALL as a script returns it. */
function ballotOf(flat: string[]): Ballot {
  let closed = false;
  for (let i = 0; i < flat.length; i += 2) if (flat[i] === '~closed') closed = true;
  return { votes: parseVotes(flat), closed };
}

function parseVotes(flat: string[]): VoteRecord[] {
  const votes: VoteRecord[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    if (flat[i].startsWith(VOTER_PREFIX)) votes.push(decodeVote(flat[i + 1]));
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
    const { signature, rest } = encodeVote(vote);
    const [status, seq, flat] = (await RECORD.run(
      this.redis,
      [this.key(reviewId)],
      [VOTER_PREFIX + vote.voter.key, signature, rest],
    )) as [RecordVoteResult['status'], number, string[]];
    return { status, seq, ballot: ballotOf(flat) };
  }

  async votes(reviewId: string): Promise<VoteRecord[]> {
    const all = await this.redis.hgetall(this.key(reviewId));
    return parseVotes(Object.entries(all).flat());
  }

  async close(reviewId: string): Promise<VoteRecord[]> {
    return parseVotes((await CLOSE.run(this.redis, [this.key(reviewId)], [])) as string[]);
  }

  async ballot(reviewId: string): Promise<Ballot> {
    return ballotOf(Object.entries(await this.redis.hgetall(this.key(reviewId))).flat());
  }
}
