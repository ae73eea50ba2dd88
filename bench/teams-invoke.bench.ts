import { Activity } from '@microsoft/agents-activity';
import { CloudAdapter, type Request as AgentsRequest, type WebResponse } from '@microsoft/agents-hosting';
import express from 'express';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildApp } from '../src/app/build-app';
import { loadConfig } from '../src/config/config';
import { silentLogger } from '../src/logging/logger';
import { defaultTranslator } from '../src/i18n/translator';
import { renderTeamsCard } from '../src/platforms/teams/render/adaptive-card';
import { startPrivateRedis } from '../test/support/redis-server';
import { commandMix, countRedisCommands } from './redis-monitor';
import { ceremonyPeople, goldenMessage, PLATFORM_IDS, runCeremony } from '../test/support/ceremony';
import {
  cardInvoke,
  cardRefresh,
  channelMention,
  installInTeam,
  TENANT,
  type TeamsUser,
} from '../test/teams/support/teams-activities';

/**
 * Vote invokes per second through POST /api/messages: 2,000 `adaptiveCard/action` invokes (Priya abstaining
 * on the open R07.2 vote, so it stays open) at concurrency 20 against the whole bot (CloudAdapter, engine,
 * Redis, the card answer, the shared card's update to a fake Bot Connector), beside a bare Agents SDK app
 * that answers the same invoke with a fixed card, in the same run. The load generator and the fake
 * connector run in worker threads (same cores, their own event loops).
 */
const INVOKES = Number(process.env.BENCH_INVOKES ?? 2000);
const CONCURRENCY = 20;
const WARMUP = 200;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const REPO = join(__dirname, '..');

const person = (key: string, name: string): TeamsUser & Record<string, string> => ({
  id: `29:1${key}-aad`,
  name,
  aadObjectId: `00000000-0000-4000-8000-${key.padEnd(12, '0')}`,
  email: `${key}@example.org`,
  userPrincipalName: `${key}@example.org`,
  tenantId: TENANT,
});
const PEOPLE = [
  person('ana', 'Ana Lima'),
  person('sam', 'Sam Okafor'),
  person('priya', 'Priya Nair'),
  person('li', 'Li Wei'),
];
const [, sam, priya] = PEOPLE;

/** Plain JS for the load-generator thread: POSTs the activities, returns invokes per second and answer types. */
const LOAD_GENERATOR = `
const { parentPort, workerData } = require('node:worker_threads');
const { Agent, request } = require('node:http');
const { url, bodies, concurrency } = workerData;
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const target = new URL(url);
const types = {};
function fire(body) {
  return new Promise((resolve, reject) => {
    const req = request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error('HTTP ' + res.statusCode + ' ' + Buffer.concat(chunks)));
        const type = JSON.parse(Buffer.concat(chunks).toString()).type;
        types[type] = (types[type] || 0) + 1;
        resolve();
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
(async () => {
  const started = process.hrtime.bigint();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < bodies.length) await fire(bodies[next++]);
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  parentPort.postMessage({ perSecond: bodies.length / seconds, types });
})().catch((error) => { parentPort.postMessage({ error: String(error) }); });
`;

/** The fake Bot Connector in its own thread (TypeScript through tsx). */
const FAKE_CONNECTOR = `
const { parentPort, workerData } = require('node:worker_threads');
require('tsx/cjs/api').register();
const { FakeBotConnector } = require(workerData.module);
new FakeBotConnector(workerData.roster).start().then((fake) => {
  parentPort.postMessage({ url: fake.url });
  parentPort.on('message', async (message) => {
    if (message === 'calls') parentPort.postMessage(fake.calls.map((call) => ({ kind: call.kind, id: call.responseId, card: JSON.stringify(call.body) })));
    if (message === 'close') { await fake.stop(); parentPort.close(); }
  });
});
`;

interface ConnectorThread {
  url: string;
  calls(): Promise<Array<{ kind: string; id?: string; card: string }>>;
  close(): Promise<void>;
}

function startConnectorThread(): Promise<ConnectorThread> {
  const worker = new Worker(FAKE_CONNECTOR, {
    eval: true,
    workerData: { module: join(REPO, 'test', 'support', 'fake-bot-connector.ts'), roster: PEOPLE },
  });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', ({ url }: { url: string }) =>
      resolve({
        url,
        calls: () =>
          new Promise((done) => {
            worker.once('message', done);
            worker.postMessage('calls');
          }),
        async close() {
          worker.postMessage('close');
          await new Promise((done) => worker.once('exit', done));
        },
      }),
    );
  });
}

function load(
  url: string,
  activities: unknown[],
): Promise<{ perSecond: number; types: Record<string, number> }> {
  const bodies = activities.map((activity) => JSON.stringify(activity));
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOAD_GENERATOR, {
      eval: true,
      workerData: { url, bodies, concurrency: CONCURRENCY },
    });
    worker.once('message', (result: { perSecond: number; types: Record<string, number>; error?: string }) =>
      result.error ? reject(new Error(result.error)) : resolve(result),
    );
    worker.once('error', reject);
  });
}

/** The baseline: the Agents SDK alone, answering every invoke with the same fixed card. */
async function startBareAgentsApp(card: unknown): Promise<{ url: string; stop(): Promise<void> }> {
  const adapter = new CloudAdapter({ clientId: undefined } as never);
  const web = express();
  web.post(
    '/api/messages',
    express.json({ limit: '256kb' }),
    (req, res, next) =>
      void adapter.authorizeRequest(req as unknown as AgentsRequest, res as unknown as WebResponse, next),
    async (req, res) => {
      await adapter.process(
        req as unknown as AgentsRequest,
        res as unknown as WebResponse,
        async (context) => {
          if (context.activity.type !== 'invoke') return;
          const body = { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
          await context.sendActivity(
            Activity.fromObject({ type: 'invokeResponse', value: { status: 200, body } }),
          );
        },
      );
    },
  );
  const server: Server = await new Promise((resolve) => {
    const listening = web.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The example cards, with R07.2's gate 3 -> 4 gaps filled so `review R07.2` opens a vote. */
function cardsReadyToVote(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mltrl-bench-cards-'));
  cpSync(join(REPO, 'cards'), dir, { recursive: true });
  const file = join(dir, 'retina-lesion-detector.md');
  const card = readFileSync(file, 'utf8')
    .replace('(*link to repo and docs*)', 'https://git.example.org/ml/retina-lesions')
    .replace(
      '### Testing status\n',
      '### Testing status\n\nUnit tests for preprocessing; evaluation on the held-out set.\n',
    );
  writeFileSync(file, card);
  return dir;
}

export async function run(): Promise<void> {
  const redis = await startPrivateRedis();
  const connector = await startConnectorThread();
  const cardsDir = cardsReadyToVote();
  const app = await buildApp({
    config: loadConfig({
      REDIS_URL: redis.url,
      PORT: '0',
      TEAMS_LOCAL: 'true',
      CARDS_DIR: cardsDir,
      FLOWS_DIR: join(REPO, 'flows'),
      PEOPLE_FILE: join(REPO, 'people.yaml'),
      LOG_LEVEL: 'error',
    }),
    roles: { web: true, worker: true },
    logger: silentLogger,
    workers: { rateIntervalMs: { teams: 0 } },
  });
  const ours = `${app.http!.url}/api/messages`;
  let bare: { url: string; stop(): Promise<void> } | undefined;
  try {
    const send = (activity: unknown) =>
      fetch(ours, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
    await send(installInTeam(connector.url, sam));
    await send(channelMention(connector.url, sam, 'review R07.2'));
    let vote: { id?: string; card: string } | undefined;
    for (let attempt = 0; attempt < 100 && !vote; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      vote = (await connector.calls()).find(
        (call) => call.kind === 'post' && call.card.includes('"verb":"refresh"'),
      );
    }
    if (!vote) console.log('note: no vote card was posted for R07.2; the invokes measure the refusal path');
    // Priya's own view of the card (her client's refresh) carries the vote buttons and their values.
    const mine = vote?.id
      ? JSON.stringify(await (await send(cardRefresh(connector.url, priya, vote.id))).json())
      : '';
    const value = /"actionId":"vote-abstain","value":"([^"]*)"/.exec(mine)?.[1] ?? 'v1';
    const invoke = () =>
      cardInvoke(connector.url, priya, vote?.id ?? 'msg-unknown', 'vote-abstain', {
        mltrl: 'action',
        actionId: 'vote-abstain',
        value,
      });
    // The baseline answers with a card like ours: the engine's vote card (test/support/ceremony.ts) as a
    // reviewer sees it.
    const names = new Map(ceremonyPeople().people.map((person) => [person.teamsId, person.name]));
    const fixedCard = renderTeamsCard(
      goldenMessage(await runCeremony({ platform: 'teams', until: 'vote' }), 'vote'),
      {
        t: defaultTranslator('en'),
        nameOf: (id) => names.get(id),
        view: { audience: 'user', userId: PLATFORM_IDS.teams.priya },
      },
    );
    bare = await startBareAgentsApp(fixedCard);
    const activities = (count: number) => Array.from({ length: count }, invoke);
    await load(bare.url, activities(WARMUP));
    await load(ours, activities(WARMUP));
    // Alternating rounds, so a busy neighbour on the machine slows both sides alike.
    // CPU time of the whole process (both apps, the load generator and the fake connector threads), per
    // side: steadier than wall time on a shared machine.
    const baseline = { seconds: 0, cpuMs: 0, types: {} as Record<string, number> };
    const measured = { seconds: 0, cpuMs: 0, types: {} as Record<string, number> };
    for (let round = 0; round < ROUNDS; round++) {
      const sides = [
        [bare.url, baseline],
        [ours, measured],
      ] as const;
      // BENCH_ONLY=bot (or bare): one side alone, for profiling it with --cpu-prof; the ratio is then
      // meaningless.
      const only = process.env.BENCH_ONLY;
      for (const [url, into] of only === 'bot'
        ? sides.slice(1)
        : only === 'bare'
          ? sides.slice(0, 1)
          : sides) {
        const cpuBefore = process.cpuUsage();
        const result = await load(url, activities(INVOKES / ROUNDS));
        const cpu = process.cpuUsage(cpuBefore);
        into.cpuMs += (cpu.user + cpu.system) / 1000;
        into.seconds += INVOKES / ROUNDS / result.perSecond;
        for (const [type, count] of Object.entries(result.types))
          into.types[type] = (into.types[type] ?? 0) + count;
      }
    }
    const perSecond = (side: { seconds: number }) => INVOKES / side.seconds;
    console.log(
      `teams vote invokes: ${INVOKES} adaptiveCard/action invokes per app, concurrency ${CONCURRENCY}, ${ROUNDS} alternating rounds`,
    );
    console.log(`bare Agents SDK (fixed card)   ${perSecond(baseline).toFixed(0).padStart(6)} invokes/s`);
    console.log(
      `mltrl-bot vote invoke          ${perSecond(measured).toFixed(0).padStart(6)} invokes/s  ` +
        `(x${(perSecond(measured) / perSecond(baseline)).toFixed(2)} of bare)`,
    );
    const cpuPerInvoke = (side: { cpuMs: number }) => side.cpuMs / INVOKES;
    console.log(
      `CPU per invoke (process, load generator included): bare ${cpuPerInvoke(baseline).toFixed(2)} ms, ` +
        `mltrl-bot ${cpuPerInvoke(measured).toFixed(2)} ms (x${(cpuPerInvoke(baseline) / cpuPerInvoke(measured)).toFixed(2)} of bare)`,
    );
    console.log(
      `answers: ${JSON.stringify(measured.types)}; load average ${loadavg()
        .map((value) => value.toFixed(1))
        .join(' ')}`,
    );
    if (process.env.BENCH_DEBUG) {
      console.log('  the Redis commands of one invoke:');
      await countRedisCommands(redis.url, () => load(ours, activities(1)), true);
    }
    // Outside the timed rounds: MONITOR slows Redis.
    const counted = await countRedisCommands(redis.url, () => load(ours, activities(100)));
    console.log(
      `  Redis commands per invoke: ${(counted.commands / 100).toFixed(1)} (${commandMix(counted.byName, 100)}), ` +
        `in ${(counted.batches / 100).toFixed(1)} writes to Redis`,
    );
  } finally {
    await bare?.stop();
    await app.stop();
    await connector.close();
    await redis.stop();
    rmSync(cardsDir, { recursive: true, force: true });
  }
}
