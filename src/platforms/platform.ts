import type { Express } from 'express';
import type Redis from 'ioredis';
import type { Config } from '../config/config';
import type { Engine } from '../core/engine-api';
import type { PlatformName } from '../core/events';
import type { PeopleDirectory } from '../core/people';
import type { CardSource, ChatPort, Clock, PlatformPeople, Translate } from '../core/ports';
import type { Logger } from '../logging/logger';
import type { Metrics } from '../observability/metrics';

/** What the composition root hands every platform. */
export interface PlatformDeps {
  config: Config;
  engine: Engine;
  /** Shared ioredis connection (not for blocking commands). */
  redis: Redis;
  /** Key prefix for this bot's data in Redis, e.g. `{mltrl}`. */
  keyPrefix: string;
  clock: Clock;
  t: Translate;
  people: PeopleDirectory;
  logger: Logger;
  /**
   * Moves the playground's clock forward and then runs the jobs that fell due (controllable clock +
   * scheduler promotion). Only the playground uses it; absent in production, where time is real.
   */
  clockControl?: ClockControl;
  /**
   * Clears the playground's data and puts its clock back to real time. Only when the playground runs
   * alone (never beside Slack or Teams, whose data the same Redis would hold).
   */
  playgroundReset?: PlaygroundReset;
  /** The cards, so the playground can label people as owner/reviewer of a project. Optional. */
  cards?: CardSource;
  /** The process's metrics (Socket Mode times its acks into the Slack ack histogram). */
  metrics?: Metrics;
}

/** Time travel for the playground and tests: never wired to a production clock. */
export interface ClockControl {
  /** Advance the clock by `ms`, then promote and run the jobs now due. Resolves with the new time. */
  advance(ms: number): Promise<Date>;
}

export interface PlaygroundReset {
  /** Resolves with the clock's time after the reset. */
  reset(): Promise<Date>;
}

/** One chat platform: its HTTP routes, its outbound port, and what it knows about users. */
export interface PlatformAdapter {
  readonly name: PlatformName;
  readonly chat: ChatPort;
  readonly people?: PlatformPeople;
  /** Mount HTTP routes on the shared web server (web processes only). */
  mount(app: Express): void;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}
