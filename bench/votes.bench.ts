import Redis from 'ioredis';
import type { VoteChoice, VoteRecord } from '../src/core/engine/store-ports';
import { RedisVoteStore } from '../src/storage/redis';
import { startPrivateRedis } from '../test/support/redis-server';

/**
 * Votes (issue 3): 1,000 concurrent votes spread over 20 open reviews (50 reviewers each) through the
 * Redis vote store (one Lua script per vote: closed check, double-click check, last vote counts),
 * beside 1,000 concurrent plain single-key HSET writes from the same client in the same run. Tallies are
 * checked exactly after every round. Alternating rounds; medians of the rates and of the per-round ratios.
 */
const REVIEWS = 20;
const VOTERS = 50;
const ROUNDS = 15;
const CHOICES: VoteChoice[] = ['approve', 'request-changes', 'abstain', 'approve', 'approve'];

function vote(review: number, voter: number): VoteRecord {
  return {
    voter: { key: `slack:U${review}-${voter}`, platform: 'slack', userId: `U${review}-${voter}` },
    choice: CHOICES[voter % CHOICES.length],
    revision: 'a1b2c3d4e5f6',
    at: new Date().toISOString(),
  };
}

async function voteRound(store: RedisVoteStore, round: number): Promise<number> {
  const started = process.hrtime.bigint();
  const jobs: Promise<unknown>[] = [];
  for (let voter = 0; voter < VOTERS; voter++) {
    for (let review = 0; review < REVIEWS; review++)
      jobs.push(store.record(`bench-${round}-${review}`, vote(review, voter)));
  }
  await Promise.all(jobs);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  for (let review = 0; review < REVIEWS; review++) {
    const votes = await store.votes(`bench-${round}-${review}`);
    const counts = (choice: VoteChoice) => votes.filter((v) => v.choice === choice).length;
    if (
      votes.length !== VOTERS ||
      counts('approve') !== 30 ||
      counts('request-changes') !== 10 ||
      counts('abstain') !== 10
    ) {
      throw new Error(`tally wrong in review ${review} of round ${round}: ${votes.length} votes`);
    }
  }
  return (REVIEWS * VOTERS) / seconds;
}

async function hsetRound(redis: Redis, round: number): Promise<number> {
  const started = process.hrtime.bigint();
  const jobs: Promise<unknown>[] = [];
  for (let i = 0; i < REVIEWS * VOTERS; i++) jobs.push(redis.hset(`plain-${round}-${i}`, 'v', 'approve'));
  await Promise.all(jobs);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return (REVIEWS * VOTERS) / seconds;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function run(): Promise<void> {
  const server = await startPrivateRedis();
  const redis = new Redis(server.url);
  try {
    const store = new RedisVoteStore(redis, '{bench}');
    await voteRound(store, -1); // warm-up: loads the script
    await hsetRound(redis, -1);
    const votes: number[] = [];
    const plain: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      votes.push(await voteRound(store, round));
      plain.push(await hsetRound(redis, round));
    }
    const v = median(votes);
    const p = median(plain);
    // The ratio of each round pair (measured back to back), then the median: steadier on a busy machine.
    const ratio = median(votes.map((rate, i) => rate / plain[i]));
    console.log(
      `votes: ${REVIEWS * VOTERS} concurrent votes over ${REVIEWS} reviews, tallies exact in every round`,
    );
    console.log(`  vote store     ${v.toFixed(0).padStart(8)} votes/s  (median of ${ROUNDS})`);
    console.log(`  plain HSET     ${p.toFixed(0).padStart(8)} writes/s (same client, same run)`);
    console.log(`  ratio          ${ratio.toFixed(2)}x  (median of per-round ratios; target >= 0.25)`);
  } finally {
    await redis.quit();
    await server.stop();
  }
}
