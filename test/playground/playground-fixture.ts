import express from 'express';
import Redis from 'ioredis';
import { loadConfig } from '../../src/config/config';
import type { Engine } from '../../src/core/engine-api';
import type { Actor, EngineReply, InboundEvent } from '../../src/core/events';
import { mention, type OutboundMessage } from '../../src/core/messages';
import type { PeopleDirectory } from '../../src/core/people';
import { defaultTranslator } from '../../src/i18n/translator';
import { silentLogger } from '../../src/logging/logger';
import type { PlatformAdapter, PlatformDeps } from '../../src/platforms/platform';
import { createPlaygroundPlatform } from '../../src/platforms/playground/create-playground-platform';
import { listen } from '../../src/runtime/web-server';
import { testRedisUrl, uniquePrefix } from '../support/redis';

export const people: PeopleDirectory = {
  people: [
    {
      id: 'ana',
      name: 'Ana Lima',
      handles: ['ana.lima'],
      email: 'ana@example.org',
      tz: 'Europe/Berlin',
      roles: [],
    },
    {
      id: 'priya',
      name: 'Priya Nair',
      handles: [],
      email: 'priya@example.org',
      tz: 'Asia/Kolkata',
      roles: [],
    },
    { id: 'lee', name: 'Lee Park', handles: [], roles: ['admin'] },
    { id: 'max', name: 'Max Mustermann', handles: [], roles: [] },
  ],
};

export const voteMessage: OutboundMessage = {
  kind: 'vote',
  text: 'Gate vote: R07.2',
  blocks: [
    { type: 'header', text: 'Gate vote: R07.2 Retina lesion detector, level 3 -> 4' },
    { type: 'text', text: 'Reviewers: <@priya> pending' },
    {
      type: 'actions',
      actions: [
        { type: 'button', actionId: 'vote-approve', label: 'Approve', value: 'r1:approve', style: 'primary' },
        {
          type: 'button',
          actionId: 'vote-request-changes',
          label: 'Request changes',
          value: 'r1:changes',
          style: 'danger',
          asksReason: true,
        },
        {
          type: 'select',
          actionId: 'vote-switchback',
          placeholder: 'Switch back to...',
          options: [{ label: 'Level 2', value: 'r1:switch:2' }],
        },
      ],
    },
  ],
};

/** A scripted engine: records every event and answers with one ephemeral notice naming it. */
export class RecordingEngine implements Engine {
  readonly events: InboundEvent[] = [];
  failWith?: Error;
  async handle(event: InboundEvent): Promise<EngineReply> {
    if (this.failWith) throw this.failWith;
    this.events.push(event);
    const what = event.type === 'command' ? `command "${event.text}"` : `action ${event.actionId}`;
    return {
      ephemeral: [{ kind: 'notice', text: `got ${what}`, blocks: [{ type: 'text', text: `got ${what}` }] }],
    };
  }
  async runJob(): Promise<void> {}
  async cardsChanged(): Promise<void> {}

  async home(actor: Actor): Promise<OutboundMessage> {
    const text = `Waiting on ${mention(actor.userId)}: nothing`;
    return {
      kind: 'portfolio',
      text,
      blocks: [
        { type: 'header', text: 'Waiting on you' },
        { type: 'text', text },
      ],
    };
  }
}

export interface RunningPlayground {
  url: string;
  keyPrefix: string;
  platform: PlatformAdapter;
  engine: RecordingEngine;
  redis: Redis;
  clock: { now(): Date; advanced: number[] };
  close(): Promise<void>;
}

/** The playground platform alone, with a recording engine, on a free loopback port. */
export async function startPlayground(
  env: Record<string, string> = {},
  /** Share another instance's workspace (two web processes on one Redis). */
  sharedKeyPrefix?: string,
  /** More platform dependencies (cards, the reset control). */
  extra: Partial<PlatformDeps> = {},
): Promise<RunningPlayground> {
  const redis = new Redis(testRedisUrl());
  const engine = new RecordingEngine();
  let now = new Date('2026-11-24T08:14:00Z');
  const clock = { now: () => now, advanced: [] as number[] };
  const keyPrefix = sharedKeyPrefix ?? `{${uniquePrefix('pg')}}`;
  const platform = createPlaygroundPlatform({
    config: loadConfig(env),
    engine,
    redis,
    keyPrefix,
    clock,
    t: defaultTranslator(),
    people,
    logger: silentLogger,
    clockControl: {
      async advance(ms) {
        clock.advanced.push(ms);
        now = new Date(now.getTime() + ms);
        return now;
      },
    },
    ...extra,
  });
  const app = express();
  platform.mount(app);
  const server = await listen(app, 0, '127.0.0.1');
  return {
    url: server.url,
    keyPrefix,
    platform,
    engine,
    redis,
    clock,
    async close() {
      await platform.stop?.();
      await server.close(0);
      if (!sharedKeyPrefix) await deleteKeys(redis, keyPrefix);
      redis.disconnect();
    },
  };
}

/** Removes every key under this test's prefix, so the shared test Redis stays clean. */
export async function deleteKeys(redis: Redis, keyPrefix: string): Promise<void> {
  const keys = await redis.keys(`${keyPrefix.replace(/[{}]/g, '\\$&')}*`);
  if (keys.length > 0) await redis.del(...keys);
}
