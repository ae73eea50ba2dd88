import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { COUNTER_NAMES, MetricsCounters } from '../jobs/metrics-counters';
import type { Logger } from '../logging/logger';
import { RateLimitedLog } from './rate-limited-log';
import { withTimeout } from './with-timeout';

export type RefusalPlatform = 'slack' | 'teams' | 'playground' | 'git';
/** `signature` (Slack, git webhooks), `jwt` (Teams), `host` (playground Host header), `not_loopback` (local modes). */
export type RefusalReason = 'signature' | 'timestamp' | 'jwt' | 'host' | 'not_loopback';

export interface MetricsOptions {
  /** Where the cluster-wide counters and queue depths are read from; absent: process metrics only. */
  redis?: Redis;
  queues?: Queue[];
  prefix?: string;
  logger: Logger;
  /** Each Redis read during a scrape gives up after this long (default 1 s); the scrape still answers. */
  redisTimeoutMs?: number;
}

const SECONDS_FAST = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 3, 5, 10];
const SECONDS_SLOW = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];

/**
 * One process's Prometheus registry (prom-client): default process metrics, latency histograms observed
 * in this process, refusals, and, read from Redis at scrape time, the job counters and queue depths that
 * every process shares. Labels stay small: queue, platform, outcome, status class, refusal reason.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly slackAck: Histogram<'status'>;
  readonly teamsInvoke: Histogram<'status'>;
  readonly jobWait: Histogram<'queue'>;
  readonly jobRun: Histogram<'queue' | 'outcome'>;
  readonly deliveryLatency: Histogram<'platform'>;
  readonly refused: Counter<'platform' | 'reason'>;
  private readonly log: RateLimitedLog;
  private snapshot?: { at: number; counters: Promise<Record<string, number>> };

  constructor(private readonly options: MetricsOptions) {
    const registers = [this.registry];
    this.log = new RateLimitedLog(options.logger);
    collectDefaultMetrics({ register: this.registry });
    this.slackAck = new Histogram({
      name: 'mltrl_slack_ack_seconds',
      help: 'Time from a Slack HTTP request or Socket Mode envelope (status "socket") arriving to its ack (Slack waits 3 s).',
      labelNames: ['status'],
      buckets: SECONDS_FAST,
      registers,
    });
    this.teamsInvoke = new Histogram({
      name: 'mltrl_teams_invoke_seconds',
      help: 'Time from a Bot Framework activity arriving to its HTTP answer (invoke responses included).',
      labelNames: ['status'],
      buckets: SECONDS_FAST,
      registers,
    });
    this.jobWait = new Histogram({
      name: 'mltrl_job_wait_seconds',
      help: 'Time a job waited from due to picked up by a worker of this process.',
      labelNames: ['queue'],
      buckets: SECONDS_SLOW,
      registers,
    });
    this.jobRun = new Histogram({
      name: 'mltrl_job_run_seconds',
      help: 'Time a worker of this process spent on a job.',
      labelNames: ['queue', 'outcome'],
      buckets: SECONDS_SLOW,
      registers,
    });
    this.deliveryLatency = new Histogram({
      name: 'mltrl_delivery_latency_seconds',
      help: 'Time from a message being enqueued to the platform accepting it.',
      labelNames: ['platform'],
      buckets: SECONDS_SLOW,
      registers,
    });
    this.refused = new Counter({
      name: 'mltrl_refused_requests_total',
      help: 'Requests refused by this process: bad Slack signature, bad Teams JWT, foreign Host header.',
      labelNames: ['platform', 'reason'],
      registers,
    });
    // prom-client calls collect() with the metric as `this`; the scrape's shared Redis reads live here.
    const counters = () => this.counters();
    const guarded = <T>(work: Promise<T>) => this.guarded(work);
    new Gauge({
      name: 'mltrl_redis_up',
      help: '1 when Redis answered PING within the scrape time-out, 0 when it did not.',
      registers,
      async collect() {
        if (!options.redis) return;
        this.set((await guarded(options.redis.ping())) === 'PONG' ? 1 : 0);
      },
    });
    if (options.redis) {
      for (const name of COUNTER_NAMES) {
        new Counter({
          name: `mltrl_${name}_total`,
          help: `Jobs counted as ${name.replace(/_/g, ' ')}, by every worker (from Redis).`,
          registers,
          async collect() {
            const value = (await counters())[name];
            if (value === undefined) return;
            this.reset();
            this.inc(value);
          },
        });
      }
    }
    if (options.queues?.length) {
      new Gauge({
        name: 'mltrl_queue_jobs',
        help: 'Jobs in each queue by state (from Redis).',
        labelNames: ['queue', 'state'],
        registers,
        async collect() {
          for (const queue of options.queues ?? []) {
            const counts = await guarded(
              queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed'),
            );
            if (!counts) continue;
            for (const [state, count] of Object.entries(counts))
              this.set({ queue: queue.name, state }, count);
          }
        },
      });
    }
  }

  /** A refused request: counted always, logged at most once a minute per platform and reason. */
  refusal(platform: RefusalPlatform, reason: RefusalReason, fields: Record<string, unknown> = {}): void {
    this.refused.inc({ platform, reason });
    this.log.warn(`${platform}:${reason}`, `${platform}: refused a request (${reason})`, {
      platform,
      reason,
      ...fields,
    });
  }

  /** Prometheus text exposition; rejects when it takes longer than `timeoutMs`. */
  async exposition(timeoutMs = 3000): Promise<{ contentType: string; body: string }> {
    const body = await withTimeout(this.registry.metrics(), timeoutMs, 'metrics not collected');
    return { contentType: this.registry.contentType, body };
  }

  private counters(): Promise<Record<string, number>> {
    const now = Date.now();
    // One Redis read per scrape, shared by every counter.
    if (!this.snapshot || now - this.snapshot.at > 500) {
      const redis = this.options.redis!;
      const reader = new MetricsCounters(redis, `${this.options.prefix}:metrics`);
      this.snapshot = { at: now, counters: this.guarded(reader.read()).then((value) => value ?? {}) };
    }
    return this.snapshot.counters;
  }

  /** A Redis read with the scrape's time-out: undefined when Redis does not answer in time. */
  private async guarded<T>(work: Promise<T>): Promise<T | undefined> {
    try {
      return await withTimeout(work, this.options.redisTimeoutMs ?? 1000, 'redis did not answer');
    } catch (error) {
      this.log.warn('metrics:redis', 'metrics: redis does not answer; serving process metrics only', {
        error,
      });
      return undefined;
    }
  }
}
