import type { Worker } from 'bullmq';
import type Redis from 'ioredis';
import type { Config } from '../config/config';
import type { Engine } from '../core/engine-api';
import type { PlatformName } from '../core/events';
import type { PeopleDirectory } from '../core/people';
import type { CardSource, ChatPort, Clock } from '../core/ports';
import { systemClock } from '../core/ports';
import { startDigestWorker } from '../digest/digest-worker';
import { defaultTranslator } from '../i18n/translator';
import { DeliveryQueue } from '../jobs/delivery/delivery-queue';
import { createMessageLinks } from '../jobs/delivery/message-links';
import { EngineScheduler } from '../jobs/engine-scheduler';
import { queuePrefix } from '../jobs/job-ids';
import { createLogger, type Logger } from '../logging/logger';
import { createPlatforms } from '../platforms';
import type { ClockControl, PlatformAdapter, PlaygroundReset } from '../platforms/platform';
import { createControllableClock } from '../runtime/controllable-clock';
import {
  closeConnection,
  createCommandConnection,
  createQueueConnection,
} from '../runtime/redis-connections';
import { checkRedisCredentials, logRedisErrors, watchRedisHealth } from '../runtime/redis-watch';
import { closeWorker } from '../runtime/shutdown';
import { mountGitWebhook } from '../runtime/git-webhook';
import { createHealthApp, createWebApp, listen, type ListeningServer } from '../runtime/web-server';
import { Metrics } from '../observability/metrics';
import { cardSourceCheck, queuesCheck, redisCheck } from '../observability/readiness';
import { observeWorker } from '../observability/observe-worker';
import { traceMethods } from '../observability/trace-calls';
import { traceEngine } from '../observability/traced-engine';
import { startTracing } from '../observability/tracing';
import { portfolioBaseUrl, portfolioLinkSecret } from '../portfolio-web/link-secret';
import { PortfolioLinks } from '../portfolio-web/portfolio-links';
import { mountPortfolioPage } from '../portfolio-web/portfolio-route';
import { resolveRedis } from './app-redis';
import { scheduleAuditTrim } from './audit-trim-schedule';
import { startWorkers, type WorkerTuning } from './app-workers';
import { buildEngine } from './build-engine';
import { cardSourceFor } from './card-source';
import { Cleanups } from './cleanups';
import { loadSources } from './load-sources';
import { missingRequiredGroups } from '../core/groups';
import { deletePlaygroundData } from './playground-reset';

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
  /** The HEALTH_PORT server (/healthz, /readyz, /metrics), when HEALTH_PORT is set. */
  health?: ListeningServer;
  metrics: Metrics;
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
  const logger = options.logger ?? createLogger(config.LOG_LEVEL, undefined, { format: config.LOG_FORMAT });
  const keyPrefix = queuePrefix(config.REDIS_PREFIX);
  const t = defaultTranslator(config.DEFAULT_LOCALE, (wanted, used) =>
    logger.info('i18n: no catalog for this locale, using another', { wanted, used }),
  );
  // Files first: a bad flow or people file stops start-up before anything runs.
  const { cards: localCards, flows, people, holidays } = loadSources(config);
  const everyFlow = (flows.names?.() ?? []).map((name) => flows.get(name)!).filter(Boolean);
  for (const missing of missingRequiredGroups(everyFlow.length ? everyFlow : [flows.defaultFlow()], people)) {
    logger.warn(
      'flows: a gate needs an approval from a group people.yaml does not define; it cannot pass',
      missing,
    );
  }

  const cleanups = new Cleanups(logger);
  // First in, so last out: spans of the whole shutdown (workers finishing their jobs) are flushed too.
  const tracing = startTracing(config, roleName(roles), logger);
  cleanups.add(() => tracing.shutdown());
  const redisHandle = await resolveRedis(config, logger);
  cleanups.add(() => redisHandle.stop());
  const redis = createCommandConnection(redisHandle.target);
  const connection = createQueueConnection(redisHandle.target);
  cleanups.add(() => closeConnection(redis));
  cleanups.add(() => closeConnection(connection));
  // Redis errors become throttled JSON log lines (never ioredis' or BullMQ's own stderr text).
  logRedisErrors(redis, logger, 'commands');
  logRedisErrors(connection, logger, 'queues');
  const redisHealth = watchRedisHealth(redis, logger);
  try {
    // A wrong password stops start-up here, with a clear message, instead of reconnecting forever.
    await checkRedisCredentials(redis);
    const { cards, git, writer } = cardSourceFor({
      config,
      local: localCards,
      flows,
      redis,
      keyPrefix,
      logger,
    });
    const useControllable =
      options.clock === undefined &&
      (options.controllableClock ??
        (config.playgroundEnabled && !config.slackEnabled && !config.teamsEnabled));
    const controllable = useControllable
      ? await createControllableClock({ redis, key: `${keyPrefix}:clock:offset` })
      : undefined;
    if (controllable) cleanups.add(() => controllable.stop());
    const clock = options.clock ?? controllable ?? systemClock;

    // Portfolio page links: the base address is known once the web role listens (port 0 in tests).
    let listeningUrl: string | undefined;
    const portfolioLinks = new PortfolioLinks({
      secret: await portfolioLinkSecret(config, redis, keyPrefix),
      baseUrl: () => portfolioBaseUrl(config, listeningUrl),
      clock,
    });

    const delivery = new DeliveryQueue({ connection, commands: redis, prefix: keyPrefix });
    // Filled once the platforms exist (they need the engine); the engine asks them for message links.
    const chatPorts = new Map<PlatformName, ChatPort>();
    const scheduler = new EngineScheduler({ connection, commands: redis, prefix: keyPrefix, clock });
    cleanups.add(() => delivery.close());
    cleanups.add(() => scheduler.close());
    const {
      engine: untracedEngine,
      digest,
      digestQueue,
      platformPeople,
    } = buildEngine({
      config,
      redis,
      connection,
      keyPrefix,
      cards,
      cardWriter: writer,
      messageLinks: createMessageLinks({
        commands: redis,
        prefix: keyPrefix,
        chatPort: (platform) => chatPorts.get(platform),
      }),
      flows,
      people,
      holidays,
      delivery,
      scheduler,
      clock,
      t,
      logger,
      portfolioLinks,
    });
    const engine = traceEngine(untracedEngine);
    cleanups.add(() => digestQueue.close());
    for (const queue of [delivery.queue, scheduler.queue, digestQueue])
      logRedisErrors(queue, logger, `queue ${queue.name}`);
    await watchCards(cards, engine, logger, cleanups);

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
    const playgroundReset: PlaygroundReset | undefined =
      controllable && !config.slackEnabled && !config.teamsEnabled
        ? {
            async reset() {
              await deletePlaygroundData(redis, keyPrefix);
              return controllable.reset();
            },
          }
        : undefined;
    const queues = [delivery.queue, scheduler.queue, digestQueue];
    const metrics = new Metrics({ redis, queues, prefix: keyPrefix, logger });
    const platforms = createPlatforms({
      metrics,
      config,
      engine,
      redis,
      keyPrefix,
      clock,
      t,
      people,
      logger,
      clockControl,
      playgroundReset,
      cards,
    });
    let platformsStopped: Promise<void> | undefined;
    const stopPlatforms = () =>
      (platformsStopped ??= Promise.all(
        platforms.map((platform) => platform.stop?.().catch(() => undefined)),
      ).then(() => undefined));
    cleanups.add(stopPlatforms);
    for (const platform of platforms) {
      chatPorts.set(platform.name, platform.chat);
      if (platform.people) platformPeople[platform.name] = platform.people;
    }
    for (const [name, port] of Object.entries(options.chatPortOverrides ?? {})) {
      if (port) chatPorts.set(name as PlatformName, port);
    }
    for (const [name, port] of chatPorts) chatPorts.set(name, traceMethods(port, name, CHAT_OPERATIONS));

    const deadline = options.shutdownDeadlineMs ?? 10000;
    const healthOptions = {
      metrics,
      logger,
      cardsHealth: () => cards.health?.(),
      redisHealth,
      checks: [
        redisCheck(redis),
        cardSourceCheck(cards, config.CARDS_DIR),
        queuesCheck(queues, config.READY_QUEUE_STALL_MS),
      ],
    };
    const workers: Worker[] = [];
    if (roles.worker) {
      const tuning = { claimTimeoutMs: config.DELIVERY_CLAIM_TIMEOUT_MS, ...options.workers };
      workers.push(
        ...startWorkers({
          connection,
          commands: redis,
          prefix: keyPrefix,
          engine,
          delivery,
          chatPorts,
          t,
          logger,
          tuning,
          onDelivered: (platform, seconds) => metrics.deliveryLatency.observe({ platform }, seconds),
        }),
        startDigestWorker({
          connection,
          prefix: keyPrefix,
          service: digest,
          lockDurationMs: tuning?.lockDurationMs,
          stalledIntervalMs: tuning?.stalledIntervalMs,
          onDigest: (conversationId, outcome) => logger.info('digest', { conversationId, outcome }),
        }),
      );
      for (const worker of workers) observeWorker(worker, metrics);
      for (const worker of workers) logRedisErrors(worker, logger, `worker ${worker.name}`);
      // Re-assert every subscription's job scheduler (idempotent: same id, same cron).
      await digest.start();
      cleanups.add(scheduleAuditTrim({ config, redis, keyPrefix, clock, logger }));
    }

    let http: ListeningServer | undefined;
    if (roles.web) {
      const web = createWebApp(healthOptions);
      if (git) {
        mountGitWebhook(web, {
          secret: config.CARDS_GIT_WEBHOOK_SECRET,
          onPush: () => git.sync(),
          branch: () => git.branch,
          logger,
        });
      }
      mountPortfolioPage(web, {
        links: portfolioLinks,
        snapshot: (viewer) => digest.snapshot(viewer.tz),
        people,
        t,
        defaultLocale: config.DEFAULT_LOCALE,
        defaultTz: config.DEFAULT_TZ,
        logger,
      });
      for (const platform of platforms) platform.mount(web);
      const server = await listen(web, config.PORT, config.HOST);
      http = server;
      listeningUrl = server.url;
      cleanups.add(() => server.close(deadline));
      for (const platform of platforms) await platform.start?.();
    }

    let health: ListeningServer | undefined;
    if (config.HEALTH_PORT !== undefined) {
      const server = await listen(createHealthApp(healthOptions), config.HEALTH_PORT, config.HOST);
      health = server;
      cleanups.add(() => server.close(deadline));
    }

    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        // Stop taking work first: no new requests, no new jobs; active jobs get the deadline. Platforms
        // stop at the same time, so long-lived connections (the playground's live updates, Socket Mode)
        // end instead of holding the HTTP server open until its deadline.
        await Promise.all([
          ...workers.map((worker) => closeWorker(worker, deadline, logger)),
          http ? http.close(deadline) : Promise.resolve(),
          health ? health.close(deadline) : Promise.resolve(),
          stopPlatforms(),
        ]);
        await cleanups.run();
      })());
    logger.info('started', {
      roles,
      http: http?.url,
      health: health?.url,
      platforms: platforms.map((platform) => platform.name),
    });
    return {
      config,
      engine,
      platforms,
      http,
      health,
      metrics,
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
    await cleanups.run();
    throw error;
  }
}

/** The ChatPort calls the delivery worker makes: one span each when tracing is on. */
const CHAT_OPERATIONS = ['post', 'update', 'directMessage', 'ephemeral', 'findPosted'] as const;

/** `web`, `worker` or `web+worker` (one `start` process): the `mltrl.role` of its spans. */
function roleName(roles: BuildAppOptions['roles']): string {
  return [roles.web ? 'web' : '', roles.worker ? 'worker' : ''].filter(Boolean).join('+') || 'none';
}

/**
 * Card edits and fetched pushes re-check the open reviews of the changed cards at once, one batch at a
 * time per process. Every process reacts to what it sees; the engine's delivery keys and compare-and-set
 * saves make a second reaction to the same revision a no-op.
 */
async function watchCards(cards: CardSource, engine: Engine, logger: Logger, cleanups: Cleanups) {
  if (!cards.onChange) return;
  let chain = Promise.resolve();
  const unsubscribe = cards.onChange((files) => {
    chain = chain
      .then(() => engine.cardsChanged(files))
      .catch((error: unknown) =>
        logger.error('re-check after a card change failed', {
          files: files.slice(0, 10),
          error: error instanceof Error ? error.message : String(error),
        }),
      );
  });
  cleanups.add(async () => {
    unsubscribe();
    await chain;
  });
  await cards.start?.();
  cleanups.add(() => cards.stop?.() ?? Promise.resolve());
}
