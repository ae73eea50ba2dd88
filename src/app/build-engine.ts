import { isRedisUnavailable } from '../runtime/redis-unavailable';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import type { Config } from '../config/config';
import { createEngine } from '../core/engine';
import { catalogLanguages } from '../i18n/translator';
import type { DeliveryPort, Engine, JobSchedulerPort, PortfolioLinkPort } from '../core/engine-api';
import type { PlatformName } from '../core/events';
import type { HolidayCalendar } from '../core/holidays';
import type { PeopleDirectory } from '../core/people';
import type {
  CardSource,
  CardWriter,
  Clock,
  FlowSource,
  MessageLinks,
  PlatformPeople,
  Translate,
} from '../core/ports';
import { createDigestQueue, type DigestJobData } from '../digest/digest-queue';
import type { SnapshotSources } from '../digest/assemble-snapshot';
import { DigestService } from '../digest/digest-service';
import { renderChartPng } from '../digest/render-chart';
import type { Logger } from '../logging/logger';
import { createRedisStores } from '../storage/redis';

export interface EngineParts {
  engine: Engine;
  digest: DigestService;
  digestQueue: Queue<DigestJobData>;
  /** Filled in once the platforms exist (they need the engine; the engine asks them about people). */
  platformPeople: Partial<Record<PlatformName, PlatformPeople>>;
}

/** The engine with its Redis stores and the digest capability, on the given queues and clock. */
export function buildEngine(input: {
  config: Config;
  redis: Redis;
  connection: Redis;
  keyPrefix: string;
  cards: CardSource;
  cardWriter?: CardWriter;
  messageLinks?: MessageLinks;
  flows: FlowSource;
  people: PeopleDirectory;
  holidays?: HolidayCalendar;
  delivery: DeliveryPort;
  scheduler: JobSchedulerPort;
  clock: Clock;
  t: Translate;
  logger: Logger;
  portfolioLinks?: PortfolioLinkPort;
}): EngineParts {
  const { config, redis, keyPrefix, cards, flows, people, delivery, clock, t } = input;
  const platformPeople: Partial<Record<PlatformName, PlatformPeople>> = {};
  const stores = createRedisStores(redis, keyPrefix);
  const digestQueue = createDigestQueue(input.connection, keyPrefix);
  const sources: SnapshotSources = { cards, flows, stores, people };
  const digest = new DigestService({
    redis,
    keyPrefix,
    queue: digestQueue,
    sources,
    delivery,
    clock,
    t,
    defaultTz: config.DEFAULT_TZ,
    defaultLocale: config.DEFAULT_LOCALE,
    links: input.portfolioLinks,
    audit: stores.audit,
  });
  const engine = createEngine({
    stores,
    cardWriter: input.cardWriter,
    messageLinks: input.messageLinks,
    digest,
    cards,
    flows,
    people,
    holidays: input.holidays,
    platformPeople,
    delivery,
    scheduler: input.scheduler,
    clock,
    t,
    admins: config.ADMINS,
    defaultTz: config.DEFAULT_TZ,
    defaultLocale: config.DEFAULT_LOCALE,
    languages: catalogLanguages(),
    publicUrl: config.PUBLIC_URL,
    portfolioLinks: input.portfolioLinks,
    renderChart: renderChartPng,
    docsUrl: config.DOCS_URL ?? packageHomepage(),
    isStoreUnavailable: isRedisUnavailable,
    onError: (error, context) =>
      input.logger.error('unexpected error, answered with an apology', {
        context,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  });
  // The digest's "waiting on" asks the engine, so it names exactly whom the reminders chase.
  sources.waitingOn = (reviewId, platform) => engine.waitingOn!(reviewId, platform);
  return { engine, digest, digestQueue, platformPeople };
}

/**
 * Where the project's docs live per package.json: its `homepage`, else its `repository` as a web address
 * ("git+https://host/org/repo.git" -> "https://host/org/repo#readme"). Neither is set today, and none is
 * invented: help then names README.md in the bot's repository instead of linking.
 */
export function packageHomepage(
  manifestPath = join(__dirname, '..', '..', 'package.json'),
): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (typeof manifest.homepage === 'string' && /^https?:\/\//.test(manifest.homepage))
      return manifest.homepage;
    const repository =
      typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
    if (typeof repository !== 'string') return undefined;
    const web = repository.replace(/^git\+/, '').replace(/\.git$/, '');
    return /^https?:\/\/[^\s]+$/.test(web) ? `${web}#readme` : undefined;
  } catch {
    return undefined;
  }
}
