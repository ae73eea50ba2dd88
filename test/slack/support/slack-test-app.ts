import express from 'express';
import Redis from 'ioredis';
import { loadConfig } from '../../../src/config/config';
import type { Engine } from '../../../src/core/engine-api';
import type { Actor, EngineReply, InboundEvent } from '../../../src/core/events';
import type { OutboundMessage } from '../../../src/core/messages';
import { systemClock } from '../../../src/core/ports';
import { defaultTranslator } from '../../../src/i18n/translator';
import { silentLogger } from '../../../src/logging/logger';
import type { PlatformAdapter } from '../../../src/platforms/platform';
import type { Metrics } from '../../../src/observability/metrics';
import { createSlackPlatform } from '../../../src/platforms/slack/create-slack-platform';
import { listen } from '../../../src/runtime/web-server';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api';
import { testRedisUrl, uniquePrefix } from '../../support/redis';
import { sign, type SignedRequest } from '../../support/slack-requests';

export const SIGNING_SECRET = 'test-signing-secret';

/** An engine that records what it is asked and answers from a script: enough to test the adapter alone. */
export class RecordingEngine implements Engine {
  events: InboundEvent[] = [];
  homes: Actor[] = [];
  answer: (event: InboundEvent) => EngineReply = () => ({ ephemeral: [] });

  async handle(event: InboundEvent): Promise<EngineReply> {
    this.events.push(event);
    return this.answer(event);
  }
  async runJob(): Promise<void> {}
  async cardsChanged(): Promise<void> {}

  async home(actor: Actor): Promise<OutboundMessage> {
    this.homes.push(actor);
    return {
      kind: 'portfolio',
      text: 'Your MLTRL home',
      blocks: [
        { type: 'header', text: 'Waiting on you' },
        { type: 'list', items: ['R07.2 vote'] },
      ],
    };
  }
}

export interface SlackTestApp {
  url: string;
  fake: FakeSlackApi;
  engine: RecordingEngine;
  platform: PlatformAdapter;
  redis: Redis;
  keyPrefix: string;
  post(path: string, request: SignedRequest): Promise<{ status: number; body: string }>;
  signed(body: string, contentType: string, timestamp?: number): SignedRequest;
  close(): Promise<void>;
}

export async function startSlackTestApp(
  env: Record<string, string> = {},
  options: { metrics?: Metrics } = {},
): Promise<SlackTestApp> {
  const fake = await startFakeSlackApi();
  const redis = new Redis(testRedisUrl());
  const keyPrefix = uniquePrefix('slack');
  const engine = new RecordingEngine();
  const config = loadConfig({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_API_URL: fake.apiUrl,
    ...env,
  });
  const platform = createSlackPlatform({
    config,
    engine,
    redis,
    keyPrefix,
    clock: systemClock,
    t: defaultTranslator(),
    people: { people: [] },
    logger: silentLogger,
    metrics: options.metrics,
  });
  const app = express();
  platform.mount(app);
  const server = await listen(app, 0, '127.0.0.1');
  const url = server.url;
  return {
    url,
    fake,
    engine,
    platform,
    redis,
    keyPrefix,
    signed: (body, contentType, timestamp) => sign(SIGNING_SECRET, body, contentType, timestamp),
    async post(path, request) {
      const response = await fetch(url + path, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
      });
      return { status: response.status, body: await response.text() };
    },
    async close() {
      await server.close(0);
      await fake.close();
      const keys = await redis.keys(`${keyPrefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}
