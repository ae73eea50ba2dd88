import Redis from 'ioredis';
import { buildApp, type App } from '../src/app/build-app';
import { loadConfig } from '../src/config/config';
import { encodeAction } from '../src/core/render';
import { silentLogger } from '../src/logging/logger';

/**
 * One process of the vote-path benchmark (bench/vote-path.bench.ts forks it). Modes:
 * - `engine`: builds the bot (no web, no workers: only the engine, its Redis stores and the queues) and
 *   clicks votes through `engine.handle`: decode, authorize, re-check the card, record the vote
 *   atomically, audit, re-render, enqueue the tally update. Priya alternates abstain and request-changes
 *   on her own review, so every click changes her vote and walks the whole path, and no vote ever closes.
 * - `bare`: per click, one pipeline of the same number of Redis commands the engine path sends.
 * It tells the parent `ready`, waits for `go`, clicks, and answers `{ clicks, seconds, failures }`.
 */
interface Task {
  mode: 'engine' | 'bare';
  redisUrl: string;
  cardsDir: string;
  flowsDir: string;
  peopleFile: string;
  conversationId: string;
  reviewIds: string[];
  clicksPerReview: number;
  /** Bare mode: commands per pipeline. */
  commands: number;
}

const CHOICES = ['abstain', 'request-changes'] as const;

async function engineClicks(app: App, task: Task, round: number): Promise<number> {
  let failures = 0;
  await Promise.all(
    task.reviewIds.map(async (reviewId) => {
      for (let i = 0; i < task.clicksPerReview; i++) {
        const choice = CHOICES[(round * task.clicksPerReview + i) % 2];
        const reply = await app.engine.handle({
          type: 'action',
          actor: { platform: 'playground', userId: 'priya', name: 'Priya Nair' },
          conversationId: task.conversationId,
          actionId: `vote-${choice}`,
          value: encodeAction({ kind: 'vote', reviewId, choice }),
          ...(choice === 'request-changes' ? { reason: 'Needs an integration test.' } : {}),
        });
        // Every click must change the vote (and so be audited and enqueue an update).
        if (!reply.updated || !/ is (changed|recorded)/.test(reply.ephemeral[0]?.text ?? '')) failures++;
      }
    }),
  );
  return failures;
}

async function bareClicks(redis: Redis, task: Task): Promise<number> {
  await Promise.all(
    task.reviewIds.map(async (reviewId) => {
      for (let i = 0; i < task.clicksPerReview; i++) {
        const pipeline = redis.pipeline();
        for (let c = 0; c < task.commands; c++) {
          if (c % 2 === 0) pipeline.get(`bare:${reviewId}:${c}`);
          else pipeline.hset(`bare:${reviewId}`, `f${c}`, 'abstain');
        }
        await pipeline.exec();
      }
    }),
  );
  return 0;
}

async function main(): Promise<void> {
  const task = JSON.parse(process.env.VOTE_PATH_TASK ?? '{}') as Task;
  let app: App | undefined;
  let redis: Redis | undefined;
  if (task.mode === 'engine') {
    app = await buildApp({
      config: loadConfig({
        REDIS_URL: task.redisUrl,
        CARDS_DIR: task.cardsDir,
        FLOWS_DIR: task.flowsDir,
        PEOPLE_FILE: task.peopleFile,
        PORT: '0',
        LOG_LEVEL: 'error',
      }),
      roles: { web: false, worker: false },
      logger: silentLogger,
    });
  } else {
    redis = new Redis(task.redisUrl);
  }
  let round = 0;
  process.on('message', (message: string) => {
    if (message === 'go') {
      const started = process.hrtime.bigint();
      const clicks = task.reviewIds.length * task.clicksPerReview;
      const work = app ? engineClicks(app, task, round++) : bareClicks(redis!, task);
      void work.then((failures) => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        process.send!({ clicks, seconds, failures, rss: process.memoryUsage().rss });
      });
    }
    if (message === 'stop') {
      void (async () => {
        await app?.stop();
        await redis?.quit();
        process.exit(0);
      })();
    }
  });
  process.send!('ready');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
