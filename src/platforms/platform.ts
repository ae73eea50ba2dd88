import type { Express } from 'express';
import type Redis from 'ioredis';
import type { Config } from '../config/config';
import type { Engine } from '../core/engine-api';
import type { PlatformName } from '../core/events';
import type { PeopleDirectory } from '../core/people';
import type { ChatPort, Clock, PlatformPeople, Translate } from '../core/ports';
import type { Logger } from '../logging/logger';

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
