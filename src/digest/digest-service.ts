import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import {
  buildDigest,
  digestPeriod,
  shortDateTime,
  type DigestSnapshot,
  type PortfolioFilter,
} from '../core/digest';
import type { DeliveryPort, DigestPort, PortfolioLinkPort } from '../core/engine-api';
import type { AuditEvent, AuditLog } from '../core/engine/store-ports';
import { platformOf, type Actor } from '../core/events';
import { actorKey } from '../core/person-match';
import { plainTimes, type OutboundMessage } from '../core/messages';
import { formatClockTime } from '../core/render/format';
import type { Clock, Translate } from '../core/ports';
import { assembleSnapshot, type SnapshotSources } from './assemble-snapshot';
import { DIGEST_JOB_OPTIONS, digestSchedulerId, scheduledTime, type DigestJobData } from './digest-queue';
import { renderChartPng } from './render-chart';
import { DigestInputError, nextFireTimes, parseSchedule, type DigestSchedule } from './schedule';
import { DigestSubscriptionStore, type DigestSubscription } from './subscription-store';

export interface DigestServiceDeps {
  /** Command connection for subscriptions and "previous digest" records. */
  redis: Redis;
  /** Key prefix of the bot's Redis keys (e.g. `{mltrl}`). */
  keyPrefix: string;
  /** The digest queue (createDigestQueue): subscriptions become job schedulers on it. */
  queue: Queue<DigestJobData>;
  sources: SnapshotSources;
  delivery: DeliveryPort;
  clock: Clock;
  t: Translate;
  defaultTz: string;
  defaultLocale: string;
  /** Render the chart image (default true); text bars are always there. */
  chart?: boolean;
  /** Signed links to the portfolio page: `portfolio` replies carry the asker's own. */
  links?: PortfolioLinkPort;
  /** The audit trail: subscriptions and posted digests are state changes, audited under project '*'. */
  audit?: AuditLog;
}

/** Audit entries about a channel rather than one project (as `flow use`). */
const NO_PROJECT = '*';

const WEEK_MS = 7 * 86_400_000;

/**
 * The digest capability: subscriptions (each a BullMQ job scheduler with cron and time zone), scheduled
 * digests posted exactly once per (channel, period) through the delivery queue's keys, `digest now` and
 * `portfolio`. The engine checks who may call what; this class trusts its caller.
 */
export class DigestService implements DigestPort {
  readonly subscriptions: DigestSubscriptionStore;

  constructor(private readonly deps: DigestServiceDeps) {
    this.subscriptions = new DigestSubscriptionStore(deps.redis, deps.keyPrefix);
  }

  /**
   * Upserts the job scheduler of every stored subscription (same id, same cron: nothing changes, so
   * restarts and deploys never duplicate a digest) and removes digest schedulers left without one.
   */
  async start(): Promise<void> {
    const subscriptions = await this.subscriptions.list();
    for (const subscription of subscriptions) await this.upsertScheduler(subscription);
    const wanted = new Set(
      subscriptions.map((subscription) => digestSchedulerId(subscription.conversationId)),
    );
    for (const scheduler of await this.deps.queue.getJobSchedulers()) {
      if (scheduler.key.startsWith('digest-') && !wanted.has(scheduler.key)) {
        await this.deps.queue.removeJobScheduler(scheduler.key);
      }
    }
  }

  /**
   * For a controllable clock (playground, tests): starts the digests whose fire time the bot's clock has
   * passed, though real time has not. Returns the BullMQ ids of the jobs it started.
   */
  async promoteDue(): Promise<string[]> {
    const now = this.deps.clock.now().getTime();
    const promoted: string[] = [];
    for (const job of await this.deps.queue.getJobs(['delayed'])) {
      if (!job?.id || scheduledTime(job).getTime() > now) continue;
      try {
        await job.promote();
        promoted.push(job.id);
      } catch {
        // Started meanwhile: nothing to promote.
      }
    }
    return promoted;
  }

  /** Resolves when these digest jobs have run (or after `timeoutMs`); false on timeout. */
  async waitUntilSettled(jobIds: string[], timeoutMs = 15000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(jobIds.map((id) => this.deps.queue.getJobState(id)));
      if (states.every((state) => state === 'completed' || state === 'failed' || state === 'unknown'))
        return true;
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async subscribe(input: Parameters<DigestPort['subscribe']>[0]): Promise<OutboundMessage> {
    const locale = input.by.locale ?? this.deps.defaultLocale;
    let schedule: DigestSchedule;
    try {
      schedule = parseSchedule(
        input.schedule ?? this.deps.sources.flows.defaultFlow().digest.schedule,
        input.tz ?? this.deps.defaultTz,
      );
    } catch (error) {
      if (error instanceof DigestInputError) return this.error(error, locale);
      throw error;
    }
    const existing = await this.subscriptions.get(input.conversationId);
    const subscription: DigestSubscription = {
      conversationId: input.conversationId,
      cron: schedule.cron,
      tz: schedule.tz,
      input: schedule.input,
      granularity: schedule.granularity,
      quietWeek: input.quietWeek ?? existing?.quietWeek ?? 'line',
      locale,
      by: { platform: input.by.platform, userId: input.by.userId },
      createdAt: existing?.createdAt ?? this.deps.clock.now().toISOString(),
    };
    await this.subscriptions.save(subscription);
    await this.upsertScheduler(subscription);
    await this.audit(this.actorKey(input.by), 'digest-subscribed', {
      conversationId: input.conversationId,
      schedule: schedule.input,
      tz: schedule.tz,
      quietWeek: subscription.quietWeek,
      ...(existing ? { was: existing.input } : {}),
    });
    const [next] = nextFireTimes(schedule, this.deps.clock.now(), 1);
    const t = this.deps.t;
    const text = [
      t(
        existing ? 'digest:subscribe.updated' : 'digest:subscribe.done',
        {
          schedule: describeSchedule(schedule, t, locale),
          tz: schedule.tz,
          next: shortDateTime(next, schedule.tz, locale, t),
        },
        locale,
      ),
      t(
        subscription.quietWeek === 'skip' ? 'digest:subscribe.quietSkip' : 'digest:subscribe.quietLine',
        {},
        locale,
      ),
    ].join(' ');
    return notice(text);
  }

  async unsubscribe(conversationId: string, by: Actor): Promise<OutboundMessage> {
    const locale = by.locale ?? this.deps.defaultLocale;
    const removed = await this.subscriptions.remove(conversationId);
    // Remove the scheduler even without a subscription record: it may be left from a crash in between.
    const unscheduled = await this.deps.queue.removeJobScheduler(digestSchedulerId(conversationId));
    if (removed || unscheduled)
      await this.audit(this.actorKey(by), 'digest-unsubscribed', { conversationId });
    const key = removed || unscheduled ? 'digest:unsubscribe.done' : 'digest:unsubscribe.none';
    return notice(this.deps.t(key, {}, locale));
  }

  /**
   * Posts the digest of the current period now (admins), without a second scheduled one: it is
   * recorded as that period's digest, so the scheduled digest of the same period stays silent and the
   * next one's "what changed" starts here. Asked again in a period already posted, it posts again
   * (keyed by the minute, so a double click posts once).
   */
  async postNow(conversationId: string, by: Actor): Promise<OutboundMessage> {
    const subscription = await this.subscriptions.get(conversationId);
    const locale = await this.channelLocale(conversationId);
    const tz = subscription?.tz ?? this.deps.defaultTz;
    const granularity = subscription?.granularity ?? 'week';
    const now = this.deps.clock.now();
    const period = digestPeriod(now, tz, granularity, this.deps.t, locale);
    const last = await this.subscriptions.lastDigest(conversationId);
    const since = last ? new Date(last.at) : new Date(now.getTime() - WEEK_MS);
    const message = await this.build(conversationId, now, since, tz, locale, granularity, 'line');
    const again = last?.periodId === period.id;
    const key = again
      ? `digest-${conversationId}-now-${now.toISOString().slice(0, 16)}`
      : `digest-${conversationId}-${period.id}`;
    await this.deps.delivery.send([
      {
        op: 'post',
        key,
        conversationId,
        message: message!,
        notify: { platform: by.platform, userId: by.userId },
      },
    ]);
    await this.audit(this.actorKey(by), 'digest-posted', { conversationId, period: period.id, key });
    await this.subscriptions.recordDigest(conversationId, {
      periodId: period.id,
      at: now.toISOString(),
      since: since.toISOString(),
    });
    const replyLocale = by.locale ?? this.deps.defaultLocale;
    return notice(this.deps.t('digest:now.done', {}, replyLocale));
  }

  private actorKey(actor: Actor): string {
    return actorKey(actor, this.deps.sources.people ?? { people: [] });
  }

  private async audit(actor: string, type: AuditEvent['type'], data: AuditEvent['data']): Promise<void> {
    await this.deps.audit?.append({
      at: this.deps.clock.now().toISOString(),
      actor,
      type,
      projectId: NO_PROJECT,
      data,
    });
  }

  /** Digests are channel messages: the channel's language (`language use`), else DEFAULT_LOCALE. */
  private async channelLocale(conversationId: string): Promise<string> {
    const chosen = await this.deps.sources.stores?.channelLanguages?.get(conversationId);
    return chosen?.locale ?? this.deps.defaultLocale;
  }

  async portfolio(actor: Actor, filter?: PortfolioFilter): Promise<OutboundMessage> {
    const locale = actor.locale ?? this.deps.defaultLocale;
    const tz = actor.tz ?? this.deps.defaultTz;
    const snapshot = await assembleSnapshot(this.deps.sources, {
      now: this.deps.clock.now(),
      tz,
      platform: actor.platform,
    });
    const viewer = { handles: [`<@${actor.userId}>`, ...(actor.name ? [actor.name] : [])] };
    const message = buildDigest(
      snapshot,
      { mode: 'portfolio', locale, renderChart: this.chart(), filter, viewer },
      this.deps.t,
    )!;
    const link = this.deps.links?.linkFor(actor);
    if (!link) return message;
    const open = this.deps.t('digest:portfolio.open', {}, locale);
    return {
      ...message,
      blocks: [
        ...message.blocks,
        {
          type: 'actions',
          actions: [{ type: 'button', actionId: 'open-portfolio', label: open, value: 'link', url: link }],
        },
      ],
    };
  }

  /** Everything the portfolio page shows, now, with business days and dates in the reader's zone. */
  async snapshot(tz: string): Promise<DigestSnapshot> {
    return assembleSnapshot(this.deps.sources, { now: this.deps.clock.now(), tz });
  }

  /**
   * One scheduled digest (the digest worker calls this for each job). Deterministic in (channel,
   * fire time): the delivery key names the period, and "what changed" starts where the previous
   * period's digest ended, also when this period is retried after a crash.
   */
  async runScheduled(
    conversationId: string,
    fireAt: Date,
  ): Promise<'posted' | 'quiet-skipped' | 'unsubscribed' | 'already-posted'> {
    const subscription = await this.subscriptions.get(conversationId);
    if (!subscription) return 'unsubscribed';
    const locale = await this.channelLocale(conversationId);
    const period = digestPeriod(fireAt, subscription.tz, subscription.granularity, this.deps.t, locale);
    const last = await this.subscriptions.lastDigest(conversationId);
    // Once per (channel, period), never back in time: a period already posted (by `digest now` or an
    // earlier fire) or a fire older than the last digest stays silent. A retry of this very fire
    // (same time) rebuilds it, and its delivery key keeps it one post.
    if (last && last.at !== fireAt.toISOString()) {
      if (last.periodId === period.id || Date.parse(last.at) > fireAt.getTime()) return 'already-posted';
    }
    const since =
      last?.periodId === period.id
        ? new Date(last.since)
        : last
          ? new Date(last.at)
          : new Date(fireAt.getTime() - WEEK_MS);
    const message = await this.build(
      conversationId,
      fireAt,
      since,
      subscription.tz,
      locale,
      subscription.granularity,
      subscription.quietWeek,
    );
    if (message) {
      await this.deps.delivery.send([
        {
          op: 'post',
          key: `digest-${conversationId}-${period.id}`,
          conversationId,
          message,
          notify: subscription.by,
        },
      ]);
      await this.audit('bot', 'digest-posted', {
        conversationId,
        period: period.id,
        key: `digest-${conversationId}-${period.id}`,
      });
    }
    await this.subscriptions.recordDigest(conversationId, {
      periodId: period.id,
      at: fireAt.toISOString(),
      since: since.toISOString(),
    });
    return message ? 'posted' : 'quiet-skipped';
  }

  private async build(
    conversationId: string,
    now: Date,
    since: Date,
    tz: string,
    locale: string,
    granularity: 'week' | 'fire',
    quietWeek: 'line' | 'skip',
  ): Promise<OutboundMessage | undefined> {
    const snapshot = await assembleSnapshot(this.deps.sources, {
      now,
      tz,
      platform: platformOf(conversationId),
      changesSince: since,
    });
    const period = digestPeriod(now, tz, granularity, this.deps.t, locale);
    return buildDigest(
      snapshot,
      { mode: 'digest', period, quietWeek, locale, renderChart: this.chart() },
      this.deps.t,
    );
  }

  private chart() {
    return this.deps.chart === false ? undefined : renderChartPng;
  }

  private async upsertScheduler(subscription: DigestSubscription): Promise<void> {
    await this.deps.queue.upsertJobScheduler(
      digestSchedulerId(subscription.conversationId),
      // Fire times from the bot's clock, not the host's: with the playground's clock moved ahead, the
      // first digest is the next one on that clock, never one already in its past.
      { pattern: subscription.cron, tz: subscription.tz, startDate: this.deps.clock.now() },
      { name: 'digest', data: { conversationId: subscription.conversationId }, opts: DIGEST_JOB_OPTIONS },
    );
  }

  private error(error: DigestInputError, locale: string): OutboundMessage {
    const t = this.deps.t;
    const { problemKey, problemParams, ...params } = error.params as Record<string, unknown>;
    const problem =
      typeof problemKey === 'string'
        ? t(problemKey, problemParams as Record<string, unknown>, locale)
        : undefined;
    const text = t(error.key, { ...params, problem }, locale);
    return { kind: 'error', text, blocks: [{ type: 'text', text }] };
  }
}

function notice(text: string): OutboundMessage {
  return { kind: 'notice', text: plainTimes(text), blocks: [{ type: 'text', text }] };
}

/** "Monday", "Montag", "月曜日": the weekday (0 = Sunday, as in cron) in the reader's language, from Intl. */
function dayName(day: number, locale: string): string {
  // 2026-11-01 is a Sunday.
  const date = new Date(Date.UTC(2026, 10, 1 + day, 12));
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(date);
}

function describeSchedule(schedule: DigestSchedule, t: Translate, locale: string): string {
  const weekly = /^(\d+) (\d+) \* \* ([0-6])$/.exec(schedule.cron);
  if (weekly) {
    const time = formatClockTime(Number(weekly[2]), Number(weekly[1]), locale);
    return t('digest:subscribe.weekly', { day: dayName(Number(weekly[3]), locale), time }, locale);
  }
  return t('digest:subscribe.cron', { cron: schedule.cron }, locale);
}
