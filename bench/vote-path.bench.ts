import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app/build-app';
import { loadConfig } from '../src/config/config';
import { silentLogger } from '../src/logging/logger';
import { startPrivateRedis } from '../test/support/redis-server';
import { generateCard } from './generate-card';
import { commandMix, countRedisCommands } from './redis-monitor';

/**
 * The whole engine path of a vote click (decode, authorize, re-check the card, record the vote
 * atomically, audit, re-render, enqueue the update), in clicks per second, on one process and on two
 * processes sharing one Redis, beside the bare Redis round trips that path needs: one pipeline of the
 * same number of commands per click, from the same number of processes, in the same run. The card
 * directory holds the voted cards among 1,000 other cards, as a card repository would.
 */
const REVIEWS = 20;
const OTHER_CARDS = Number(process.env.BENCH_OTHER_CARDS ?? 1000);
const CLICKS_PER_REVIEW = 10; // even: each round ends on the choice the next one changes away from
const BARE_CLICKS_PER_REVIEW = 40;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REPO = join(__dirname, '..');
const CHANNEL = 'playground:ml-reviews';

const projectId = (i: number) => `V01.${i + 1}`;

/** The retina card, complete for its 3 -> 4 gate (so `review` opens the vote), once per voted project. */
function cardsDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mltrl-bench-vote-path-'));
  const retina = readFileSync(join(REPO, 'cards', 'retina-lesion-detector.md'), 'utf8')
    .replace('(*link to repo and docs*)', 'https://git.example.org/ml/retina-lesions')
    .replace('### Testing status\n', '### Testing status\n\nUnit tests; evaluation on the held-out set.\n');
  for (let i = 0; i < REVIEWS; i++)
    writeFileSync(join(dir, `voted-${i}.md`), retina.replace('(R07.2)', `(${projectId(i)})`));
  for (let i = 0; i < OTHER_CARDS; i++) writeFileSync(join(dir, `card-${i}.md`), generateCard(i));
  return dir;
}

interface Task {
  mode: 'engine' | 'bare';
  redisUrl: string;
  cardsDir: string;
  flowsDir: string;
  peopleFile: string;
  conversationId: string;
  reviewIds: string[];
  clicksPerReview: number;
  commands: number;
}

interface Result {
  clicks: number;
  seconds: number;
  failures: number;
  rss: number;
}

interface Child {
  go(): Promise<Result>;
  stop(): Promise<void>;
}

async function startChild(task: Task): Promise<Child> {
  const child: ChildProcess = fork(
    join(REPO, 'bin', 'run-ts.js'),
    [join(__dirname, 'vote-path-process.ts')],
    {
      env: { ...process.env, VOTE_PATH_TASK: JSON.stringify(task) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // e.g. BENCH_CHILD_ARGS=--cpu-prof to profile each process (profiles land in the working directory)
      execArgv: process.env.BENCH_CHILD_ARGS ? process.env.BENCH_CHILD_ARGS.split(' ') : [],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`vote-path process exited with ${code}`)));
  });
  return {
    go: () =>
      new Promise((resolve) => {
        child.once('message', (result: Result) => resolve(result));
        child.send('go');
      }),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

/** Starts `processes` children sharing the reviews, then runs rounds: all start on the same `go`. */
async function startGroup(
  base: Omit<Task, 'reviewIds' | 'mode' | 'clicksPerReview'>,
  mode: Task['mode'],
  reviewIds: string[],
  processes: number,
): Promise<{
  round(): Promise<{ perSecond: number; failures: number; rss: number }>;
  stop(): Promise<void>;
}> {
  const children = await Promise.all(
    Array.from({ length: processes }, (_, p) =>
      startChild({
        ...base,
        mode,
        clicksPerReview: mode === 'engine' ? CLICKS_PER_REVIEW : BARE_CLICKS_PER_REVIEW,
        reviewIds: reviewIds.filter((_, i) => i % processes === p),
      }),
    ),
  );
  return {
    async round() {
      const results = await Promise.all(children.map((child) => child.go()));
      const clicks = results.reduce((sum, r) => sum + r.clicks, 0);
      const seconds = Math.max(...results.map((r) => r.seconds));
      return {
        perSecond: clicks / seconds,
        failures: results.reduce((sum, r) => sum + r.failures, 0),
        rss: Math.max(...results.map((r) => r.rss)),
      };
    },
    stop: async () => void (await Promise.all(children.map((child) => child.stop()))),
  };
}

/** Opens the votes through the engine (`review <project>` by the owner) and returns the review ids. */
async function openVotes(redisUrl: string, cardsDir: string): Promise<string[]> {
  const app = await buildApp({
    config: loadConfig({
      REDIS_URL: redisUrl,
      CARDS_DIR: cardsDir,
      FLOWS_DIR: join(REPO, 'flows'),
      PEOPLE_FILE: join(REPO, 'people.yaml'),
      PORT: '0',
      LOG_LEVEL: 'error',
    }),
    roles: { web: false, worker: false },
    logger: silentLogger,
  });
  try {
    const ids: string[] = [];
    for (let i = 0; i < REVIEWS; i++) {
      await app.engine.handle({
        type: 'command',
        actor: { platform: 'playground', userId: 'sam', name: 'Sam Okafor' },
        conversationId: CHANNEL,
        text: `review ${projectId(i)}`,
      });
      const id = await app.redis.get(`${app.keyPrefix}:review-open:${projectId(i)}`);
      const review = id ? JSON.parse((await app.redis.get(`${app.keyPrefix}:review:${id}`)) ?? '{}') : {};
      if (review.phase !== 'voting') throw new Error(`${projectId(i)}: no open vote (${review.phase})`);
      ids.push(id!);
    }
    return ids;
  } finally {
    await app.stop();
  }
}

/** Redis commands one click sends (MONITOR, counting what clients send, not what scripts call). */
async function commandsPerClick(
  base: Omit<Task, 'reviewIds' | 'mode' | 'clicksPerReview'>,
  reviewId: string,
) {
  const child = await startChild({ ...base, mode: 'engine', reviewIds: [reviewId], clicksPerReview: 10 });
  await child.go(); // warm-up: scripts loaded, card cached
  let clicks = 0;
  const counted = await countRedisCommands(
    base.redisUrl,
    async () => (clicks = (await child.go()).clicks),
    !!process.env.BENCH_DEBUG,
  );
  await child.stop();
  return { perClick: counted.commands / clicks, mix: commandMix(counted.byName, clicks) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function run(): Promise<void> {
  const redis = await startPrivateRedis();
  const cardsDir = cardsDirectory();
  try {
    const reviewIds = await openVotes(redis.url, cardsDir);
    const base = {
      redisUrl: redis.url,
      cardsDir,
      flowsDir: join(REPO, 'flows'),
      peopleFile: join(REPO, 'people.yaml'),
      conversationId: CHANNEL,
      commands: 0,
    };
    if (process.env.BENCH_DEBUG) console.log('votes open');
    const counted = await commandsPerClick(base, reviewIds[0]);
    const commands = Math.round(counted.perClick);
    console.log(
      `vote path: ${REVIEWS} open votes, ${REVIEWS + OTHER_CARDS} cards in the directory, ${REVIEWS} clicks in flight`,
    );
    console.log(`  Redis commands per click: ${counted.perClick.toFixed(1)} (${counted.mix})`);
    const rates: Record<string, number> = {};
    for (const processes of [1, 2]) {
      const engine = await startGroup({ ...base, commands }, 'engine', reviewIds, processes);
      const bare = await startGroup({ ...base, commands }, 'bare', reviewIds, processes);
      await engine.round(); // warm-up
      await bare.round();
      const ours: number[] = [];
      const theirs: number[] = [];
      let failures = 0;
      let rss = 0;
      for (let round = 0; round < ROUNDS; round++) {
        theirs.push((await bare.round()).perSecond);
        const result = await engine.round();
        ours.push(result.perSecond);
        failures += result.failures;
        rss = Math.max(rss, result.rss);
      }
      await engine.stop();
      await bare.stop();
      if (failures > 0) throw new Error(`${failures} clicks did not change the vote`);
      const ratio = median(ours.map((rate, i) => rate / theirs[i]));
      rates[`engine${processes}`] = median(ours);
      rates[`bare${processes}`] = median(theirs);
      const label = processes === 1 ? '1 process  ' : '2 processes';
      console.log(
        `  ${label} engine path ${median(ours).toFixed(0).padStart(6)} clicks/s   bare pipeline of ${commands} commands ` +
          `${median(theirs).toFixed(0).padStart(6)} /s   x${ratio.toFixed(3)} of bare (median of ${ROUNDS} rounds; RSS ${(rss / 2 ** 20).toFixed(0)} MiB)`,
      );
    }
    console.log(
      `  scaling 1 -> 2 processes: engine path x${(rates.engine2 / rates.engine1).toFixed(2)}, bare pipeline x${(rates.bare2 / rates.bare1).toFixed(2)}`,
    );
  } finally {
    rmSync(cardsDir, { recursive: true, force: true });
    await redis.stop();
  }
}
