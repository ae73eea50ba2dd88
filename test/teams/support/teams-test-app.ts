import express from 'express';
import { loadConfig } from '../../../src/config/config';
import type { Engine } from '../../../src/core/engine-api';
import type { PeopleDirectory } from '../../../src/core/people';
import { systemClock } from '../../../src/core/ports';
import { defaultTranslator } from '../../../src/i18n/translator';
import { silentLogger, type Logger } from '../../../src/logging/logger';
import type { PlatformAdapter } from '../../../src/platforms/platform';
import { createTeamsPlatform } from '../../../src/platforms/teams/create-teams-platform';
import { createCommandConnection } from '../../../src/runtime/redis-connections';
import { listen } from '../../../src/runtime/web-server';
import { testRedisUrl, uniquePrefix } from '../../support/redis';

export interface TeamsTestApp {
  url: string;
  platform: PlatformAdapter;
  keyPrefix: string;
  redis: ReturnType<typeof createCommandConnection>;
  /** POSTs an activity to /api/messages. */
  send(
    activity: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Every Redis key this app wrote. */
  keys(): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * The Teams platform alone on an express app, with a real Redis (own key prefix) and an engine of the
 * test's choosing. Local mode (no credentials) unless `env` sets clientId.
 */
export async function startTeamsTestApp(options: {
  engine: Engine;
  env?: Record<string, string>;
  people?: PeopleDirectory;
  logger?: Logger;
}): Promise<TeamsTestApp> {
  const config = loadConfig({ TEAMS_LOCAL: 'true', ...options.env });
  const redis = createCommandConnection({ url: testRedisUrl() }, 'teams-test');
  const keyPrefix = `{${uniquePrefix('teams')}}`;
  const platform = createTeamsPlatform({
    config,
    engine: options.engine,
    redis,
    keyPrefix,
    clock: systemClock,
    t: defaultTranslator('en'),
    people: options.people ?? { people: [] },
    logger: options.logger ?? silentLogger,
  });
  const app = express();
  platform.mount(app);
  const server = await listen(app, 0, '127.0.0.1');
  const url = server.url;
  return {
    url,
    platform,
    keyPrefix,
    redis,
    async send(activity, headers = {}) {
      const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    async keys() {
      return redis.keys(`${keyPrefix}*`);
    },
    async stop() {
      await platform.stop?.();
      await server.close(0);
      const keys = await redis.keys(`${keyPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
}
