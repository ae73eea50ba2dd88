import type { Worker } from 'bullmq';
import type Redis from 'ioredis';
import { existsSync } from 'node:fs';
import { createCardDirectory } from '../cards/card-directory';
import type { Config } from '../config/config';
import { createEngine } from '../core/engine';
import type { Engine } from '../core/engine-api';
import type { PlatformName } from '../core/events';
import type { PeopleDirectory } from '../core/people';
import type { CardSource, ChatPort, Clock, PlatformPeople } from '../core/ports';
import { systemClock } from '../core/ports';
import { loadFlows } from '../flows/load-flows';
import { createRedisStores } from '../storage/redis';
import { createDigestQueue } from '../digest/digest-queue';
import { DigestService } from '../digest/digest-service';
import { startDigestWorker } from '../digest/digest-worker';
import { defaultTranslator } from '../i18n/translator';
import { DeliveryQueue } from '../jobs/delivery/delivery-queue';
import { EngineScheduler } from '../jobs/engine-scheduler';
import { queuePrefix } from '../jobs/job-ids';
import { createLogger, type Logger } from '../logging/logger';
import { loadPeople } from '../people';
import { createPlatforms } from '../platforms';
import type { ClockControl, PlatformAdapter, PlatformDeps } from '../platforms/platform';
import { createControllableClock, type ControllableClock } from '../runtime/controllable-clock';
import {
  closeConnection,
  createCommandConnection,
  createQueueConnection,
} from '../runtime/redis-connections';
import { closeWorker } from '../runtime/shutdown';
import { createWebApp, listen, type ListeningServer } from '../runtime/web-server';
import { resolveRedis } from './app-redis';
import { startWorkers, type WorkerTuning } from './app-workers';

/**
 * THE composition root: the only place that builds concrete things from configuration. The CLI
 * (`start`, `web`, `worker`) and the end-to-end tests call it.
 *
 * Roles: `web` serves HTTP (platform endpoints, the playground, /healthz, /metrics); `worker` runs the
 * queue workers (delivery, engine jobs). Both need the platforms' ChatPorts (web answers at once; workers
 * deliver), so platforms are built in every process and mounted only on web.
 */
export interface BuildAppOptions {
  config: Config;
  roles: { web: boolean; worker: boolean };
  /** A fixed clock for tests. Default: the controllable clock when the playground is the only platform. */
  clock?: Clock;
  /** Force the controllable clock on or off (tests turn it on). */
  controllableClock?: boolean;
  /** Replace a platform's outbound port (tests record deliveries). */
  chatPortOverrides?: Partial<Record<PlatformName, ChatPort>>;
  logger?: Logger;
  workers?: WorkerTuning;
  /** How long SIGTERM waits for active jobs before handing them back. */
  shutdownDeadlineMs?: number;
}

export interface App {
  config: Config;
  engine: Engine;
  platforms: PlatformAdapter[];
  /** Where the web role listens (undefined in a worker-only process). */
  http?: ListeningServer;
  delivery: DeliveryQueue;
  scheduler: EngineScheduler;
  clock: Clock;
  /** Present when the clock is controllable (playground, tests). */
  clockControl?: ClockControl;
  redis: Redis;
  /** `{mltrl}`: the Redis key and queue prefix, a Cluster hash tag. */
  keyPrefix: string;
  cards: CardSource;
  people: PeopleDirectory;
  stop(): Promise<void>;
}

export async function buildApp(options: BuildAppOptions): Promise<App> {
  const { config, roles } = options;
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const keyPrefix = queuePrefix(config.REDIS_PREFIX);
  const t = defaultTranslator(config.DEFAULT_LOCALE);
  // Read and check the files before touching Redis, so a bad flow file fails fast and leaves nothing running.
  const cards = createCardDirectory(config.CARDS_DIR);
  const flows = loadFlows(config.FLOWS_DIR);
  const people = loadPeopleDirectory(config);

  const redisHandle = await resolveRedis(config, logger);
  const redis = createCommandConnection(redisHandle.target);
  const connection = createQueueConnection(redisHandle.target);
  // Run last-in first-out: the embedded redis-server stops after every connection to it closed.
  const cleanups: Array<() => Promise<void>> = [
    () => closeConnection(redis),
    () => closeConnection(connection),
    () => redisHandle.stop(),
  ];
  try {
    const useControllable =
      options.clock === undefined &&
      (options.controllableClock ??
        (config.playgroundEnabled && !config.slackEnabled && !config.teamsEnabled));
    const controllable: ControllableClock | undefined = useControllable
      ? await createControllableClock({ redis, key: `${keyPrefix}:clock:offset` })
      : undefined;
    const clock = options.clock ?? controllable ?? systemClock;
    if (controllable) cleanups.unshift(async () => controllable.stop());

    const delivery = new DeliveryQueue({ connection, commands: redis, prefix: keyPrefix });
    const scheduler = new EngineScheduler({ connection, commands: redis, prefix: keyPrefix, clock });
    cleanups.unshift(
      () => delivery.close(),
      () => scheduler.close(),
    );

    // Platforms need the engine and the engine wants what platforms know about people: filled in below.
    const platformPeople: Partial<Record<PlatformName, PlatformPeople>> = {};
    const stores = createRedisStores(redis, keyPrefix);
    const digestQueue = createDigestQueue(connection, keyPrefix);
    cleanups.unshift(() => digestQueue.close());
    const digest = new DigestService({
      redis,
      keyPrefix,
      queue: digestQueue,
      sources: { cards, flows, stores, people },
      delivery,
      clock,
      t,
      defaultTz: config.DEFAULT_TZ,
      defaultLocale: config.DEFAULT_LOCALE,
    });
    const engine = createEngine({
      stores,
      digest,
      cards,
      flows,
      people,
      platformPeople,
      delivery,
      scheduler,
      clock,
      t,
      admins: config.ADMINS,
      defaultTz: config.DEFAULT_TZ,
      defaultLocale: config.DEFAULT_LOCALE,
      publicUrl: config.PUBLIC_URL,
    });

    const clockControl: ClockControl | undefined = controllable && {
      async advance(ms: number) {
        const now = await controllable.advance(ms);
        const promoted = await scheduler.promoteDue();
        // Digests whose Monday 09:00 the virtual clock has passed run now too (playground "+1 week").
        const digests = await digest.promoteDue();
        if (roles.worker) {
          await scheduler.waitUntilSettled(promoted);
          await digest.waitUntilSettled(digests);
        }
        return now;
      },
    };
    const deps: PlatformDeps = {
      config,
      engine,
      redis,
      keyPrefix,
      clock,
      t,
      people,
      logger,
      clockControl,
      cards,
    };
    const platforms = createPlatforms(deps);
    let platformsStopped: Promise<void> | undefined;
    const stopPlatforms = () =>
      (platformsStopped ??= Promise.all(
        platforms.map((platform) => platform.stop?.().catch(() => undefined)),
      ).then(() => undefined));
    cleanups.unshift(stopPlatforms);
    const chatPorts = new Map<PlatformName, ChatPort>();
    for (const platform of platforms) {
      chatPorts.set(platform.name, platform.chat);
      if (platform.people) platformPeople[platform.name] = platform.people;
    }
    for (const [name, port] of Object.entries(options.chatPortOverrides ?? {})) {
      if (port) chatPorts.set(name as PlatformName, port);
    }

    const deadline = options.shutdownDeadlineMs ?? 10000;
    let workers: Worker[] = [];
    if (roles.worker) {
      workers = startWorkers({
        connection,
        commands: redis,
        prefix: keyPrefix,
        engine,
        delivery,
        chatPorts,
        t,
        logger,
        tuning: options.workers,
      });
      workers.push(
        startDigestWorker({
          connection,
          prefix: keyPrefix,
          service: digest,
          lockDurationMs: options.workers?.lockDurationMs,
          stalledIntervalMs: options.workers?.stalledIntervalMs,
          onDigest: (conversationId, outcome) => logger.info('digest', { conversationId, outcome }),
        }),
      );
      // Re-assert every subscription's job scheduler (idempotent: same id, same cron).
      await digest.start();
    }

    let http: ListeningServer | undefined;
    if (roles.web) {
      const web = createWebApp({
        redis,
        queues: [delivery.queue, scheduler.queue, digestQueue],
        prefix: keyPrefix,
        logger,
      });
      for (const platform of platforms) platform.mount(web);
      http = await listen(web, config.PORT, config.HOST);
      const server = http;
      cleanups.unshift(() => server.close(deadline));
      for (const platform of platforms) await platform.start?.();
    }

    let stopped: Promise<void> | undefined;
    const stop = () => {
      stopped ??= (async () => {
        // Stop taking work first: no new requests, no new jobs; active jobs get the deadline. Platforms
        // stop at the same time, so long-lived connections (the playground's live updates, Socket Mode)
        // end instead of holding the HTTP server open until its deadline.
        await Promise.all([
          ...workers.map((worker) => closeWorker(worker, deadline, logger)),
          http ? http.close(deadline) : Promise.resolve(),
          stopPlatforms(),
        ]);
        await runCleanups(cleanups, logger);
      })();
      return stopped;
    };
    logger.info('started', { roles, http: http?.url, platforms: platforms.map((platform) => platform.name) });
    return {
      config,
      engine,
      platforms,
      http,
      delivery,
      scheduler,
      clock,
      clockControl,
      redis,
      keyPrefix,
      cards,
      people,
      stop,
    };
  } catch (error) {
    await runCleanups(cleanups, logger);
    throw error;
  }
}

async function runCleanups(cleanups: Array<() => Promise<void>>, logger: Logger): Promise<void> {
  for (const cleanup of cleanups.splice(0)) {
    try {
      await cleanup();
    } catch (error) {
      logger.warn('cleanup step failed', { error: error instanceof Error ? error.message : String(error) });
    }
  }
}

/** PEOPLE_FILE, else ./people.yaml when present, else nobody (cards name people by e-mail or handle). */
function loadPeopleDirectory(config: Config): PeopleDirectory {
  if (config.PEOPLE_FILE) return loadPeople(config.PEOPLE_FILE);
  return existsSync('people.yaml') ? loadPeople('people.yaml') : { people: [] };
}
