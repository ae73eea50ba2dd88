/**
 * The whole app in-process, for end-to-end tests (Slack, Teams, playground):
 *
 *   const harness = await startAppHarness({ env: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: fake.url } });
 *   const res = await fetch(`${harness.baseUrl}/playground/api/people`);
 *   await writeFile(join(harness.cardsDir, 'retina-lesion-detector.md'), fixedCard); // cards are a temp copy
 *   await harness.clock.advance(24 * 3600_000); // moves the bot's clock, runs the jobs that fell due
 *   await harness.stop(); // in afterEach/afterAll: stops the app, deletes its Redis keys and temp files
 *
 * What it sets up: the private test Redis (jest global setup) under a unique key/queue prefix, a temp copy
 * of the example cards (./cards) and of ./people.yaml, the repository's flows, a controllable clock, an
 * HTTP server on 127.0.0.1 with a free port (`baseUrl`), web and workers in this process. Delivery workers
 * do not space messages per conversation here (tests want speed); pass `workers.rateIntervalMs` to test it.
 * `env` is applied on top of these defaults (so `PLAYGROUND: 'true'` next to Slack vars keeps the
 * playground on). `chatPortOverrides` replaces a platform's outbound port with a fake.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildApp, type App, type BuildAppOptions } from '../../src/app/build-app';
import type { WorkerTuning } from '../../src/app/app-workers';
import { loadConfig } from '../../src/config/config';
import { createLogger, silentLogger, type Logger } from '../../src/logging/logger';
import { testRedisUrl, uniquePrefix } from './redis';

const REPO = resolve(__dirname, '..', '..');

export interface AppHarnessOptions {
  env?: Record<string, string>;
  /** Cards to copy (default: the example cards in ./cards). */
  cardsFrom?: string;
  /** People directory to copy (default: ./people.yaml when it exists). */
  peopleFrom?: string;
  roles?: BuildAppOptions['roles'];
  chatPortOverrides?: BuildAppOptions['chatPortOverrides'];
  workers?: WorkerTuning;
  logger?: Logger;
}

export interface AppHarness {
  app: App;
  /** e.g. http://127.0.0.1:41234 (no trailing slash) */
  baseUrl: string;
  /** The temp copy of the cards: edit files here to change cards under the running bot. */
  cardsDir: string;
  peopleFile?: string;
  clock: { now(): Date; advance(ms: number): Promise<Date> };
  /** The Redis key prefix of this app, e.g. `{app-1a2b3c4d}`. */
  keyPrefix: string;
  stop(): Promise<void>;
}

export async function startAppHarness(options: AppHarnessOptions = {}): Promise<AppHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'mltrl-app-'));
  const cardsDir = join(dir, 'cards');
  cpSync(options.cardsFrom ?? join(REPO, 'cards'), cardsDir, { recursive: true });
  const peopleSource = options.peopleFrom ?? join(REPO, 'people.yaml');
  let peopleFile: string | undefined;
  if (existsSync(peopleSource)) {
    peopleFile = join(dir, 'people.yaml');
    cpSync(peopleSource, peopleFile);
  }
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: uniquePrefix('app'),
    CARDS_DIR: cardsDir,
    FLOWS_DIR: join(REPO, 'flows'),
    DATA_DIR: join(dir, 'data'),
    LOG_LEVEL: 'error',
    ...(peopleFile ? { PEOPLE_FILE: peopleFile } : {}),
    ...options.env,
  });
  const logger = options.logger ?? (process.env.HARNESS_LOG ? createLogger('debug') : silentLogger);
  let app: App;
  try {
    app = await buildApp({
      config,
      roles: options.roles ?? { web: true, worker: true },
      controllableClock: true,
      chatPortOverrides: options.chatPortOverrides,
      logger,
      workers: {
        rateIntervalMs: { slack: 0, teams: 0, playground: 0 },
        lockDurationMs: 5000,
        stalledIntervalMs: 2000,
        claimTimeoutMs: 3000,
        ...options.workers,
      },
      shutdownDeadlineMs: 3000,
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const control = app.clockControl!;
  return {
    app,
    baseUrl: app.http?.url ?? '',
    cardsDir,
    peopleFile,
    keyPrefix: app.keyPrefix,
    clock: { now: () => app.clock.now(), advance: (ms) => control.advance(ms) },
    async stop() {
      const redis = app.redis;
      const keys = redis.status === 'ready' ? await redis.keys(`${app.keyPrefix}*`) : [];
      // Delete while still connected, then stop (stop closes the connection).
      for (let index = 0; index < keys.length; index += 500)
        await redis.del(...keys.slice(index, index + 500));
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
