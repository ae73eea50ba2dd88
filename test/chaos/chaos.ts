import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { DeliveryRequest } from '../../src/core/engine-api';
import { DeliveryQueue } from '../../src/jobs/delivery/delivery-queue';
import { MessageLedger } from '../../src/jobs/delivery/message-ledger';
import { queuePrefix } from '../../src/jobs/job-ids';
import {
  closeConnection,
  createCommandConnection,
  createQueueConnection,
  type RedisTarget,
} from '../../src/runtime/redis-connections';
import { startFakeSlackApi, type FakeSlackApi, type Failure } from '../support/fake-slack-api';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server';
import { startSentinelRig, type SentinelRig } from './sentinel-rig';

/**
 * The chaos suite's scenarios: delivery worker processes (the real worker and Slack client) on a private
 * Redis against the recording fake Slack Web API, with faults injected. Every scenario counts, at the
 * fake, each expected message: lost (never stored), duplicated (stored twice), misthreaded (a reply not
 * under its own parent), and how many keys ended "uncertain" (not posted again, reported).
 */
export interface ScenarioResult {
  name: string;
  trials: number;
  expected: number;
  lost: number;
  duplicated: number;
  misthreaded: number;
  uncertain: number;
  seconds: number;
  notes: Record<string, number | string>;
}

const REPO = resolve(__dirname, '..', '..');
const CHANNELS = ['C0CHAOS1', 'C0CHAOS2', 'C0CHAOS3'];
const CLAIM_TIMEOUT_MS = 4000;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const text = (value: string) => ({
  kind: 'notice' as const,
  text: value,
  blocks: [{ type: 'text' as const, text: value }],
});

interface Rig {
  fake: FakeSlackApi;
  queue: DeliveryQueue;
  ledger: MessageLedger;
  workers: ChildProcess[];
  spawnWorker(env?: Record<string, string>): Promise<ChildProcess>;
  /** SIGTERM, as the bot's processes are stopped; resolves with the exit code. */
  terminate(child: ChildProcess): Promise<number | null>;
  kill(child: ChildProcess): Promise<void>;
  close(): Promise<void>;
}

async function createRig(rateMs: number, sentinel?: SentinelRig): Promise<Rig> {
  // One Redis of the rig's own, or (a Sentinel scenario) the master the sentinels name.
  const redisServer: PrivateRedis | undefined = sentinel
    ? undefined
    : await startPrivateRedis({ args: ['--appendonly', 'yes', '--appendfsync', 'everysec'] });
  const target: RedisTarget = sentinel
    ? { sentinels: sentinel.sentinels, name: sentinel.masterName }
    : { url: redisServer!.url };
  const redisEnv: Record<string, string> = sentinel
    ? {
        REDIS_SENTINELS: sentinel.sentinels.map((node) => `${node.host}:${node.port}`).join(','),
        REDIS_SENTINEL_NAME: sentinel.masterName,
      }
    : { REDIS_URL: redisServer!.url };
  const fake = await startFakeSlackApi();
  const prefix = queuePrefix(`chaos-${process.pid}`);
  const redis = createCommandConnection(target);
  const connection = createQueueConnection(target);
  redis.on('error', () => undefined);
  connection.on('error', () => undefined);
  const queue = new DeliveryQueue({ connection, commands: redis, prefix, backoffMs: 100 });
  const workers: ChildProcess[] = [];
  const rig: Rig = {
    fake,
    queue,
    ledger: new MessageLedger(redis, `${prefix}:deliv:ledger:`),
    workers,
    async spawnWorker(extra = {}) {
      const child = spawn(
        process.execPath,
        [join(REPO, 'bin', 'run-ts.js'), join(__dirname, 'chaos-worker.ts')],
        {
          cwd: REPO,
          env: {
            ...process.env,
            ...redisEnv,
            PREFIX: prefix,
            SLACK_API_URL: fake.apiUrl,
            CLAIM_TIMEOUT_MS: String(CLAIM_TIMEOUT_MS),
            RATE_MS: String(rateMs),
            ...extra,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      await new Promise<void>((ready, fail) => {
        let output = '';
        const timer = setTimeout(() => fail(new Error(`chaos worker did not start:\n${output}`)), 300000);
        child.stdout!.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('ready')) {
            clearTimeout(timer);
            ready();
          }
        });
        child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      });
      workers.push(child);
      return child;
    },
    async kill(child) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGKILL');
      await exited;
      workers.splice(workers.indexOf(child), 1);
    },
    async terminate(child) {
      const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
      child.kill('SIGTERM');
      const code = await exited;
      workers.splice(workers.indexOf(child), 1);
      return code;
    },
    async close() {
      await Promise.all([...workers].map((child) => rig.kill(child)));
      await queue.close();
      await closeConnection(connection);
      await closeConnection(redis);
      await fake.close();
      await redisServer?.stop();
    },
  };
  return rig;
}

/** One review's outbound messages: the vote, two replies in its thread, two tally updates, a line, a DM. */
function reviewBatch(trial: number): {
  requests: DeliveryRequest[];
  posts: string[];
  threaded: Record<string, string>;
} {
  const conversationId = `slack:T0001:${CHANNELS[trial % CHANNELS.length]}`;
  const key = (name: string) => `chaos:t${trial}:${name}`;
  const notify = { platform: 'slack' as const, userId: 'USAM', conversationId };
  const requests: DeliveryRequest[] = [
    { op: 'post', key: key('vote'), conversationId, message: text(`vote ${trial}`), notify },
    {
      op: 'post',
      key: key('summary'),
      conversationId,
      threadOf: key('vote'),
      message: text(`summary ${trial}`),
      notify,
    },
    { op: 'update', key: key('tally1'), of: key('vote'), message: text(`vote ${trial}: 1 approval`) },
    { op: 'update', key: key('tally2'), of: key('vote'), message: text(`vote ${trial}: 2 approvals`) },
    {
      op: 'post',
      key: key('outcome'),
      conversationId,
      threadOf: key('vote'),
      message: text(`outcome ${trial}`),
      notify,
    },
    { op: 'post', key: key('line'), conversationId, message: text(`R${trial} advanced`), notify },
    {
      op: 'dm',
      key: key('dm'),
      platform: 'slack',
      userId: `U${trial}`,
      message: text(`reminder ${trial}`),
      notify,
    },
  ];
  return {
    requests,
    posts: ['vote', 'summary', 'outcome', 'line', 'dm'].map(key),
    threaded: { [key('summary')]: key('vote'), [key('outcome')]: key('vote') },
  };
}

async function settle(rig: Rig, keys: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const entries = await rig.ledger.getMany(keys);
    if (entries.every((entry) => entry && entry.state !== 'claimed')) return;
    if (Date.now() > deadline) throw new Error(`not settled in ${timeoutMs} ms`);
    await sleep(200);
  }
}

async function count(
  rig: Rig,
  name: string,
  trials: number,
  batches: ReturnType<typeof reviewBatch>[],
  started: number,
  notes: Record<string, number | string> = {},
): Promise<ScenarioResult> {
  const byKey = new Map<string, string[]>();
  for (const message of rig.fake.messages()) {
    const key = message.metadata?.event_payload?.delivery_key;
    if (typeof key === 'string') byKey.set(key, [...(byKey.get(key) ?? []), message.ts]);
  }
  const tsOf = new Map(rig.fake.messages().map((message) => [message.ts, message]));
  const posts = batches.flatMap((batch) => batch.posts);
  const entries = await rig.ledger.getMany(posts);
  let misthreaded = 0;
  for (const batch of batches)
    for (const [reply, parent] of Object.entries(batch.threaded)) {
      const replyTs = byKey.get(reply)?.[0];
      const parentTs = byKey.get(parent)?.[0];
      if (replyTs && tsOf.get(replyTs)?.thread_ts !== parentTs) misthreaded += 1;
    }
  return {
    name,
    trials,
    expected: posts.length,
    lost: posts.filter((key) => !byKey.has(key)).length,
    duplicated: posts.filter((key) => (byKey.get(key)?.length ?? 0) > 1).length,
    misthreaded,
    uncertain: entries.filter((entry) => entry?.state === 'uncertain').length,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    notes,
  };
}

/** `kill -9` of one of two workers at a random moment while a review's messages go out; restarted. */
export async function killAtRandom(trials: number): Promise<ScenarioResult> {
  const started = Date.now();
  const rig = await createRig(0);
  try {
    rig.fake.setLatency('chat.postMessage', 300);
    await Promise.all([rig.spawnWorker(), rig.spawnWorker()]);
    const batches: ReturnType<typeof reviewBatch>[] = [];
    for (let trial = 0; trial < trials; trial++) {
      const batch = reviewBatch(trial);
      batches.push(batch);
      await rig.queue.send(batch.requests);
      await sleep(Math.random() * 1200);
      const victim = rig.workers[Math.floor(Math.random() * rig.workers.length)];
      await rig.kill(victim);
      await rig.spawnWorker();
    }
    await settle(
      rig,
      batches.flatMap((batch) => batch.posts),
      120000,
    );
    return await count(rig, 'kill -9 of a worker at a random moment', trials, batches, started);
  } finally {
    await rig.close();
  }
}

/** `kill -9` of the only worker about a third into the vote's own (slow) post; a new worker takes over. */
export async function killDuringParent(trials: number, postMs: number): Promise<ScenarioResult> {
  const started = Date.now();
  const rig = await createRig(0);
  try {
    rig.fake.setLatency('chat.postMessage', postMs);
    let worker = await rig.spawnWorker();
    const batches: ReturnType<typeof reviewBatch>[] = [];
    for (let trial = 0; trial < trials; trial++) {
      const batch = reviewBatch(100 + trial);
      batches.push(batch);
      await rig.queue.send(batch.requests);
      const voteKey = batch.posts[0];
      const deadline = Date.now() + 60000;
      while (
        !rig.fake.messages().some((message) => message.metadata?.event_payload?.delivery_key === voteKey)
      ) {
        if (Date.now() > deadline) throw new Error('the vote post never arrived');
        await sleep(20);
      }
      await sleep(postMs / 3);
      await rig.kill(worker);
      worker = await rig.spawnWorker();
    }
    await settle(
      rig,
      batches.flatMap((batch) => batch.posts),
      180000,
    );
    return await count(rig, 'kill -9 while the vote (parent) is being posted', trials, batches, started, {
      postMs,
    });
  } finally {
    await rig.close();
  }
}

/**
 * SIGTERM of the only worker while the vote's own post is in flight on a slow Slack, with a shutdown
 * deadline shorter than the call: the worker hands the job back and exits 0; the next one must find the
 * vote in Slack (not post it again) and thread the rest under it.
 */
export async function sigtermDuringParent(trials: number, postMs: number): Promise<ScenarioResult> {
  const started = Date.now();
  const rig = await createRig(0);
  const deadline = { SHUTDOWN_DEADLINE_MS: '300' };
  const exitCodes: Array<number | null> = [];
  try {
    rig.fake.setLatency('chat.postMessage', postMs);
    let worker = await rig.spawnWorker(deadline);
    const batches: ReturnType<typeof reviewBatch>[] = [];
    for (let trial = 0; trial < trials; trial++) {
      const batch = reviewBatch(400 + trial);
      batches.push(batch);
      await rig.queue.send(batch.requests);
      const voteKey = batch.posts[0];
      const until = Date.now() + 60000;
      while (
        !rig.fake.messages().some((message) => message.metadata?.event_payload?.delivery_key === voteKey)
      ) {
        if (Date.now() > until) throw new Error('the vote post never arrived');
        await sleep(10);
      }
      // Slack has the vote and has not answered yet: stop the worker the way a deploy does.
      exitCodes.push(await rig.terminate(worker));
      worker = await rig.spawnWorker(deadline);
    }
    await settle(
      rig,
      batches.flatMap((batch) => batch.posts),
      180000,
    );
    return await count(rig, 'SIGTERM while the vote (parent) is being posted', trials, batches, started, {
      postMs,
      'shutdown deadline ms': 300,
      'exit codes': [...new Set(exitCodes)].join(','),
    });
  } finally {
    await rig.close();
  }
}

/** Slack keeps a post but answers 500, or answers after the client gave up: `answers` such answers. */
export async function ambiguousAnswers(answers: number): Promise<ScenarioResult> {
  const started = Date.now();
  const rig = await createRig(0);
  try {
    await Promise.all([rig.spawnWorker(), rig.spawnWorker()]);
    let left = answers;
    let stored500 = 0;
    let late = 0;
    rig.fake.failWith('chat.postMessage', (): Failure | undefined => {
      if (left <= 0 || Math.random() > 0.5) return undefined;
      left -= 1;
      if (left % 2 === 0) {
        stored500 += 1;
        return { status: 500, stored: true };
      }
      late += 1;
      // The Slack client gives up after CLAIM_TIMEOUT_MS / 2 - 1 s; this answers later.
      return { delayMs: CLAIM_TIMEOUT_MS / 2 + 500 };
    });
    const batches: ReturnType<typeof reviewBatch>[] = [];
    for (let trial = 0; left > 0 && trial < answers * 4; trial++) {
      const batch = reviewBatch(200 + trial);
      batches.push(batch);
      await rig.queue.send(batch.requests);
      await sleep(100);
    }
    await settle(
      rig,
      batches.flatMap((batch) => batch.posts),
      180000,
    );
    return await count(
      rig,
      'stored but answered 500, or answered after the client time-out',
      answers - left,
      batches,
      started,
      {
        'stored+500': stored500,
        'answered late': late,
        reviews: batches.length,
      },
    );
  } finally {
    await rig.close();
  }
}

/** 30% of posts answered 429 (Retry-After 1) or 5xx (half of them stored) for `seconds`; 1 msg/s/channel. */
export async function storm(seconds: number): Promise<ScenarioResult> {
  const started = Date.now();
  const rig = await createRig(1000);
  try {
    await Promise.all([rig.spawnWorker(), rig.spawnWorker()]);
    let refused = 0;
    rig.fake.failWith('chat.postMessage', (): Failure | undefined => {
      const roll = Math.random();
      if (roll >= 0.3) return undefined;
      refused += 1;
      if (roll < 0.15) return { status: 429, retryAfter: 1 };
      return { status: 500, stored: roll < 0.225 };
    });
    const batches: ReturnType<typeof reviewBatch>[] = [];
    const until = Date.now() + seconds * 1000;
    for (let trial = 0; Date.now() < until; trial++) {
      const batch = reviewBatch(300 + trial);
      batches.push(batch);
      await rig.queue.send(batch.requests);
      await sleep(2500);
    }
    await settle(
      rig,
      batches.flatMap((batch) => batch.posts),
      240000,
    );
    rig.fake.failWith('chat.postMessage', undefined);
    // The closest two posts that landed in one channel (stored ones, from the fake's own clock).
    let minGapMs = Number.POSITIVE_INFINITY;
    const landed = rig.fake
      .calls('chat.postMessage')
      .filter((call) => !call.failed || call.failed.endsWith('-stored'));
    for (const channel of CHANNELS) {
      const times = landed.filter((call) => call.args.channel === channel).map((call) => call.at);
      for (let index = 1; index < times.length; index++)
        minGapMs = Math.min(minGapMs, times[index] - times[index - 1]);
    }
    return await count(rig, '30% 429/5xx storm', batches.length, batches, started, {
      seconds,
      refused,
      'min ms between posts in a channel': Number.isFinite(minGapMs) ? minGapMs : 'n/a',
    });
  } finally {
    await rig.close();
  }
}

/**
 * A Sentinel failover while reviews' messages go out: two workers on a master with one replica and three
 * sentinels; the master is killed (-9) halfway, a sentinel promotes the replica, and the workers (and the
 * sender) must follow it through REDIS_SENTINELS. Replication is asynchronous, so what the master had
 * not passed on is gone: this counts what that costs.
 */
export async function sentinelFailover(reviews: number): Promise<ScenarioResult> {
  const started = Date.now();
  const sentinel = await startSentinelRig();
  const rig = await createRig(0, sentinel);
  let failoverSeconds = 0;
  try {
    rig.fake.setLatency('chat.postMessage', 200);
    await Promise.all([rig.spawnWorker(), rig.spawnWorker()]);
    const batches: ReturnType<typeof reviewBatch>[] = [];
    for (let trial = 0; trial < reviews; trial++) {
      if (trial === Math.floor(reviews / 2)) {
        const from = Date.now();
        await sentinel.failOver();
        failoverSeconds = Math.round((Date.now() - from) / 100) / 10;
      }
      const batch = reviewBatch(500 + trial);
      batches.push(batch);
      // The sender follows the new master too; a send during the switch is tried again, as the engine's
      // own job would be.
      for (let attempt = 0; ; attempt++) {
        try {
          await rig.queue.send(batch.requests);
          break;
        } catch (error) {
          if (attempt > 100) throw error;
          await sleep(200);
        }
      }
      await sleep(300);
    }
    await settle(
      rig,
      batches.flatMap((batch) => batch.posts),
      180000,
    );
    return await count(rig, 'Sentinel failover during delivery (master killed)', reviews, batches, started, {
      'seconds until the replica was master': failoverSeconds,
    });
  } finally {
    await rig.close();
    await sentinel.stop();
  }
}

export function formatResults(results: ScenarioResult[]): string {
  const lines = [
    '| scenario | trials | messages | lost | duplicated | misthreaded | uncertain | seconds | notes |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const result of results) {
    const notes = Object.entries(result.notes)
      .map(([name, value]) => `${name}: ${value}`)
      .join('; ');
    lines.push(
      `| ${result.name} | ${result.trials} | ${result.expected} | ${result.lost} | ${result.duplicated} | ${result.misthreaded} | ${result.uncertain} | ${result.seconds} | ${notes} |`,
    );
  }
  return lines.join('\n');
}
