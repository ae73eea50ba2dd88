import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { buildApp, type App } from '../src/app/build-app';
import { loadConfig } from '../src/config/config';
import { silentLogger } from '../src/logging/logger';
import { startPrivateRedis } from '../test/support/redis-server';
import { generateCard } from './generate-card';

/**
 * Memory: the bot's engine (its Redis stores and queues, the playground as its platform, no HTTP and no
 * workers in this process) with 5,000 projects in its card directory, first with no review open (the
 * baseline), then with 500 open reviews started through the engine: each review's record, audit entries,
 * scheduled reminders and deadlines, and its gap report or vote messages, which stay queued for delivery
 * (no worker takes them, so the figure is an upper bound of what a delivered review keeps). Prints the
 * process's RSS and heap and Redis's used memory for both, and the difference per open review.
 */
const PROJECTS = 5000;
const REVIEWS = 500;
const CONCURRENCY = 10;
const REPO = join(__dirname, '..');

/** A full collection first, so the figures are live memory, not garbage waiting for the collector. */
function collect(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

async function redisMemory(app: App): Promise<number> {
  const info = await app.redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

async function sample(app: App): Promise<{ rss: number; heap: number; redis: number }> {
  collect();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heap: heapUsed, redis: await redisMemory(app) };
}

const MiB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const KiB = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export async function run(): Promise<void> {
  const redis = await startPrivateRedis();
  const cardsDir = mkdtempSync(join(tmpdir(), 'mltrl-bench-memory-'));
  for (let i = 0; i < PROJECTS; i++) writeFileSync(join(cardsDir, `card-${i}.md`), generateCard(i));
  const app = await buildApp({
    config: loadConfig({
      REDIS_URL: redis.url,
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
    const { cards } = await app.cards.loadAll(); // every card parsed and cached, as after the first digest
    const before = await sample(app);
    // Projects with a next gate (level 9 has none), in file order.
    const projects = cards
      .filter((card) => card.level < 9)
      .slice(0, REVIEWS)
      .map((card) => card.projectId);
    let next = 0;
    let started = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < projects.length) {
          const reply = await app.engine.handle({
            type: 'command',
            actor: { platform: 'playground', userId: 'sam', name: 'Sam Okafor' },
            conversationId: 'playground:ml-reviews',
            text: `review ${projects[next++]}`,
          });
          if (/Started/.test(reply.ephemeral[0]?.text ?? '')) started++;
        }
      }),
    );
    const queued = await app.delivery.queue.getJobCounts('waiting', 'delayed', 'prioritized');
    const open = (await app.redis.scard(`${app.keyPrefix}:reviews-open`)) || started;
    const after = await sample(app);
    const per = (key: 'rss' | 'heap' | 'redis') => (after[key] - before[key]) / open;
    console.log(
      `memory: ${PROJECTS} projects in the card directory, ${open} open reviews (${started} started), ` +
        `deliveries queued: ${Object.values(queued).reduce((a, b) => a + b, 0)}`,
    );
    console.log(
      `  no review open (baseline)  RSS ${MiB(before.rss)}  heap ${MiB(before.heap)}  Redis ${MiB(before.redis)}`,
    );
    console.log(
      `  ${open} reviews open          RSS ${MiB(after.rss)}  heap ${MiB(after.heap)}  Redis ${MiB(after.redis)}`,
    );
    console.log(
      `  per open review            RSS ${KiB(per('rss'))}  heap ${KiB(per('heap'))}  Redis ${KiB(per('redis'))}`,
    );
  } finally {
    await app.stop();
    await redis.stop();
    rmSync(cardsDir, { recursive: true, force: true });
  }
}
