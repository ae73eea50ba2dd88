import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildApp } from '../src/app/build-app';
import { loadConfig } from '../src/config/config';
import { silentLogger } from '../src/logging/logger';
import { startPrivateRedis } from '../test/support/redis-server';
import { FORM, sign, slashCommandBody, type SignedRequest } from '../test/support/slack-requests';

/**
 * Ack latency of `/mltrl review R07.2` over HTTP: 2,000 signed slash commands at concurrency 20 against
 * the whole bot (web + workers in one process, real Redis, the engine running after each ack, replies to
 * a fake Slack), beside a bare Bolt app whose command handler only calls ack(), in the same run.
 * The load generator and the fake Slack Web API run in worker threads: same cores, their own event
 * loops, so the figures are the servers' and not the load generator's queueing.
 */
const REQUESTS = 2000;
const CONCURRENCY = 20;
const WARMUP = 1000;
/** Measured in alternating rounds (bare, ours, bare, ours), so machine noise hits both alike. */
const ROUNDS = 2;
const SECRET = 'bench-signing-secret';
const USERS = ['USAM', 'UANA', 'UPRIYA', 'ULI', 'ULEE'];

/** Plain JS for the load-generator thread: fires the signed requests, returns each latency in ms. */
const LOAD_GENERATOR = `
const { parentPort, workerData } = require('node:worker_threads');
const { Agent, request } = require('node:http');
const { url, requests, concurrency } = workerData;
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const target = new URL(url);
function fire(signed) {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request(target, { method: 'POST', agent, headers: { ...signed.headers, 'content-length': Buffer.byteLength(signed.body) } }, (res) => {
      res.resume();
      res.on('end', () => res.statusCode === 200 ? resolve(Number(process.hrtime.bigint() - started) / 1e6) : reject(new Error('HTTP ' + res.statusCode)));
    });
    req.on('error', reject);
    req.end(signed.body);
  });
}
(async () => {
  const times = [];
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < requests.length) times.push(await fire(requests[next++]));
  }));
  agent.destroy();
  parentPort.postMessage(times);
})().catch((error) => { throw error; });
`;

/** The fake Slack Web API in its own thread (TypeScript through tsx). */
const FAKE_SLACK = `
const { parentPort, workerData } = require('node:worker_threads');
require('tsx/cjs/api').register();
const { startFakeSlackApi } = require(workerData.module);
startFakeSlackApi().then((fake) => {
  for (const id of workerData.users) { const name = id.slice(1).toLowerCase(); fake.addUser({ id, name, email: name + '@example.org', tz: 'Europe/Berlin', locale: 'en-GB' }); }
  parentPort.postMessage({ apiUrl: fake.apiUrl, responseUrl: fake.responseUrl('bench') });
  parentPort.on('message', async (message) => {
    if (message === 'count') parentPort.postMessage({ responds: fake.calls('respond').length, posts: fake.calls('chat.postMessage').length });
    if (message === 'close') { await fake.close(); parentPort.close(); }
  });
});
`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function signedCommands(count: number, responseUrl: string): SignedRequest[] {
  return Array.from({ length: count }, (_, i) =>
    sign(
      SECRET,
      slashCommandBody({ text: 'review R07.2', userId: USERS[i % USERS.length], responseUrl }),
      FORM,
    ),
  );
}

function load(url: string, requests: SignedRequest[]): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOAD_GENERATOR, {
      eval: true,
      workerData: { url, requests, concurrency: CONCURRENCY },
    });
    worker.once('message', (times: number[]) => resolve(times.sort((a, b) => a - b)));
    worker.once('error', reject);
  });
}

interface FakeSlackThread {
  apiUrl: string;
  responseUrl: string;
  counts(): Promise<{ responds: number; posts: number }>;
  close(): Promise<void>;
}

function startFakeSlackThread(): Promise<FakeSlackThread> {
  const worker = new Worker(FAKE_SLACK, {
    eval: true,
    workerData: { module: join(__dirname, '..', 'test', 'support', 'fake-slack-api.ts'), users: USERS },
  });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (urls: { apiUrl: string; responseUrl: string }) =>
      resolve({
        ...urls,
        counts: () =>
          new Promise((done) => {
            worker.once('message', done);
            worker.postMessage('count');
          }),
        async close() {
          worker.postMessage('close');
          await new Promise((done) => worker.once('exit', done));
        },
      }),
    );
  });
}

/**
 * The bare Bolt app in its own thread (its own heap: the bot's garbage is not collected on its time):
 * ExpressReceiver on express, signature checked, a command handler that only acks.
 */
const BARE_BOLT = `
const { parentPort, workerData } = require('node:worker_threads');
const { App, ExpressReceiver, LogLevel } = require('@slack/bolt');
const express = require('express');
const quiet = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };
const receiver = new ExpressReceiver({ signingSecret: workerData.secret, endpoints: '/slack/events', logger: quiet });
const bolt = new App({ receiver, authorize: async () => ({ botToken: 'xoxb-bare' }), convoStore: false, logger: quiet });
bolt.command(/^\\/mltrl/, async ({ ack }) => { await ack(); });
const web = express();
web.use(receiver.router);
const server = web.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', (message) => { if (message === 'close') server.close(() => parentPort.close()); });
`;

async function startBareBolt(): Promise<{ url: string; stop(): Promise<void> }> {
  const worker = new Worker(BARE_BOLT, { eval: true, workerData: { secret: SECRET } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    async stop() {
      worker.postMessage('close');
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

/** Resolves once the fake Slack has seen no new call for half a second. */
async function settled(fake: FakeSlackThread): Promise<void> {
  let last = -1;
  for (;;) {
    const counts = await fake.counts();
    const total = counts.responds + counts.posts;
    if (total === last) return;
    last = total;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function line(name: string, times: number[], baseline?: number[]): string {
  const p50 = percentile(times, 50);
  const p99 = percentile(times, 99);
  const ratio = baseline
    ? `  (x${(p50 / percentile(baseline, 50)).toFixed(2)} p50, x${(p99 / percentile(baseline, 99)).toFixed(2)} p99 vs bare)`
    : '';
  return `${name.padEnd(26)} p50 ${p50.toFixed(2)} ms  p99 ${p99.toFixed(2)} ms  max ${times[times.length - 1].toFixed(1)} ms${ratio}`;
}

export async function run(): Promise<void> {
  const redis = await startPrivateRedis();
  const fake = await startFakeSlackThread();
  const app = await buildApp({
    config: loadConfig({
      REDIS_URL: redis.url,
      PORT: '0',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_API_URL: fake.apiUrl,
      LOG_LEVEL: 'error',
    }),
    roles: { web: true, worker: true },
    logger: silentLogger,
  });
  const bare = await startBareBolt();
  try {
    const ours = `${app.http!.url}/slack/events`;
    // The bot keeps working after each ack (engine, replies): let it finish before the next measurement,
    // so the bare app is not measured while our backlog still runs.
    const settle = () => settled(fake);
    await load(bare.url, signedCommands(WARMUP, fake.responseUrl));
    await load(ours, signedCommands(WARMUP, fake.responseUrl));
    await settle();
    const bareTimes: number[] = [];
    const ourTimes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      bareTimes.push(...(await load(bare.url, signedCommands(REQUESTS / ROUNDS, fake.responseUrl))));
      ourTimes.push(...(await load(ours, signedCommands(REQUESTS / ROUNDS, fake.responseUrl))));
      await settle();
    }
    bareTimes.sort((a, b) => a - b);
    ourTimes.sort((a, b) => a - b);
    const counts = await fake.counts();
    console.log(`slack ack latency: ${REQUESTS} signed /mltrl review requests, concurrency ${CONCURRENCY}`);
    console.log(line('bare Bolt (ack only)', bareTimes));
    console.log(line('mltrl-bot /mltrl review', ourTimes, bareTimes));
    console.log(
      `private replies the bot sent to response_url: ${counts.responds}; channel posts: ${counts.posts}`,
    );
  } finally {
    await bare.stop();
    await app.stop();
    await fake.close();
    await redis.stop();
  }
}
