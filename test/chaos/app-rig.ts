import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { startFakeSlackApi, type FakeSlackApi, type RecordedCall } from '../support/fake-slack-api';
import { freePort, startPrivateRedis, type PrivateRedis } from '../support/redis-server';
import { blockActionBody, FORM, sign, slashCommandBody } from '../support/slack-requests';

/**
 * The whole bot as separate processes for the chaos suite: `mltrl-bot web` twice and `mltrl-bot worker`
 * twice (the commands operators run), on a private append-only Redis (`appendfsync everysec`) that can be
 * killed and restarted on the same port and files, against the recording fake Slack Web API. Requests are
 * signed as Slack signs them and spread over both web processes.
 */
export interface AppRig {
  fake: FakeSlackApi;
  /** A connection of the rig's own, to read what the bot stored. */
  redis: Redis;
  prefix: string;
  webUrls: string[];
  processes: ChildProcess[];
  /** `/mltrl <text>` as `user`; resolves with the private answer's text. */
  command(user: string, text: string): Promise<string>;
  /** A click on a button of `vote`, as `user`; resolves with the private answer's text, if any. */
  click(user: string, vote: VoteOnSlack, actionId: string): Promise<string | undefined>;
  /** The vote message of the review opened last. */
  waitForVote(after?: number): Promise<VoteOnSlack>;
  /** kill -9 of Redis, then the same server started again on its files (the append-only log). */
  restartRedis(downMs: number): Promise<void>;
  /** /healthz of every web process. */
  health(): Promise<unknown[]>;
  /** Resident memory of each bot process, in KB (from /proc). */
  rssKb(): number[];
  close(): Promise<void>;
}

export interface VoteOnSlack {
  ts: string;
  channel: string;
  buttons: Map<string, string>;
  /** Index of its post among the fake's calls. */
  index: number;
}

const REPO = resolve(__dirname, '..', '..');
const SECRET = 'chaos-signing-secret';
export const PEOPLE = ['ana', 'sam', 'priya', 'li', 'lee', 'max'];
export const slackId = (name: string) => `U${name.toUpperCase()}`;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export async function startAppRig(options: { webs?: number; workers?: number } = {}): Promise<AppRig> {
  const dir = mkdtempSync(join(tmpdir(), 'mltrl-chaos-app-'));
  const redisDir = join(dir, 'redis');
  cpSync(join(REPO, 'cards'), join(dir, 'cards'), { recursive: true });
  cpSync(join(REPO, 'people.yaml'), join(dir, 'people.yaml'));
  // The 3 -> 4 gate's gaps filled, so `review R07.2` opens the vote at once.
  const card = join(dir, 'cards', 'retina-lesion-detector.md');
  writeFileSync(
    card,
    readFileSync(card, 'utf8')
      .replace('(*link to repo and docs*)', 'https://git.example.org/ml/retina')
      .replace('### Testing status\n', '### Testing status\n\nUnit tests and a held-out evaluation.\n'),
  );
  const redisArgs = ['--appendonly', 'yes', '--appendfsync', 'everysec'];
  mkdirSync(redisDir);
  let redisServer: PrivateRedis = await startPrivateRedis({ dir: redisDir, args: redisArgs });
  const port = redisServer.port;
  const fake = await startFakeSlackApi();
  for (const name of PEOPLE)
    fake.addUser({
      id: slackId(name),
      name,
      realName: name,
      email: `${name}@example.org`,
      tz: 'Europe/Berlin',
      locale: 'en-GB',
    });
  const prefix = `chaos-app-${process.pid}`;
  const env = {
    ...process.env,
    REDIS_URL: redisServer.url,
    REDIS_PREFIX: prefix,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_BOT_TOKEN: 'xoxb-chaos',
    SLACK_API_URL: fake.apiUrl,
    CARDS_DIR: join(dir, 'cards'),
    FLOWS_DIR: join(REPO, 'flows'),
    PEOPLE_FILE: join(dir, 'people.yaml'),
    DATA_DIR: join(dir, 'data'),
    LOG_LEVEL: 'error',
    LOG_FORMAT: 'json',
    HOST: '127.0.0.1',
  };
  const processes: ChildProcess[] = [];
  const webUrls: string[] = [];
  const start = async (role: 'web' | 'worker') => {
    const ownPort = String(await freePort());
    const child = spawn(process.execPath, [join(REPO, 'bin', 'mltrl-bot.js'), role], {
      cwd: REPO,
      env: role === 'web' ? { ...env, PORT: ownPort } : { ...env, HEALTH_PORT: ownPort },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    processes.push(child);
    await new Promise<void>((ready, fail) => {
      let output = '';
      const timer = setTimeout(() => fail(new Error(`mltrl-bot ${role} did not start:\n${output}`)), 300000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (/Health: |Workers running/.test(output)) {
          clearTimeout(timer);
          ready();
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => fail(new Error(`mltrl-bot ${role} exited with ${code}:\n${output}`)));
    });
    if (role === 'web') webUrls.push(`http://127.0.0.1:${ownPort}`);
  };
  for (let index = 0; index < (options.webs ?? 2); index++) await start('web');
  for (let index = 0; index < (options.workers ?? 2); index++) await start('worker');

  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null, lazyConnect: false });
  redis.on('error', () => undefined);
  let next = 0;
  const post = async (body: string) => {
    const signed = sign(SECRET, body, FORM);
    const url = webUrls[next++ % webUrls.length];
    const response = await fetch(`${url}/slack/events`, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
      signal: AbortSignal.timeout(30000),
    });
    await response.text();
    return response.status;
  };
  const answerTo = async (path: string, timeoutMs: number) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const reply = fake.calls('respond').find((call) => call.args.responseUrl === path);
      if (reply) return String(reply.args.text);
      if (Date.now() > until) return undefined;
      await sleep(25);
    }
  };
  let unique = 0;
  const rig: AppRig = {
    fake,
    redis,
    prefix,
    webUrls,
    processes,
    async command(user, text) {
      const responseUrl = fake.responseUrl(`cmd-${user}-${unique++}`);
      await post(slashCommandBody({ text, userId: slackId(user), responseUrl }));
      return (await answerTo(new URL(responseUrl).pathname, 60000)) ?? '';
    },
    async click(user, vote, actionId) {
      const responseUrl = fake.responseUrl(`click-${user}-${unique++}`);
      const body = blockActionBody({
        userId: slackId(user),
        actionId,
        value: vote.buttons.get(actionId),
        messageTs: vote.ts,
        channelId: vote.channel,
        responseUrl,
      });
      const status = await post(body).catch(() => 0);
      if (status !== 200) return undefined;
      return answerTo(new URL(responseUrl).pathname, 30000);
    },
    async waitForVote(after = 0) {
      const until = Date.now() + 120000;
      for (;;) {
        const vote = voteIn(fake.calls(), after);
        if (vote) return vote;
        if (Date.now() > until) throw new Error('no vote message arrived');
        await sleep(50);
      }
    },
    async restartRedis(downMs) {
      await redisServer.crash();
      await sleep(downMs);
      redisServer = await startPrivateRedis({ port, dir: redisDir, args: redisArgs });
    },
    async health() {
      return Promise.all(
        webUrls.map(async (url) => {
          const response = await fetch(`${url}/healthz`).catch(() => undefined);
          return response ? ((await response.json().catch(() => ({}))) as unknown) : { unreachable: true };
        }),
      );
    },
    rssKb() {
      return processes.map((child) => {
        try {
          const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
          return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
        } catch {
          return 0;
        }
      });
    },
    async close() {
      await Promise.all(
        processes.map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise((done) => child.once('exit', done));
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
          await exited;
          clearTimeout(timer);
        }),
      );
      redis.disconnect();
      await fake.close();
      await redisServer.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}

function voteIn(calls: RecordedCall[], after: number): VoteOnSlack | undefined {
  for (const [index, call] of calls.entries()) {
    if (index < after || call.method !== 'chat.postMessage' || call.failed || !call.result) continue;
    const blocks = (call.args.blocks ?? []) as Array<{
      type: string;
      elements?: Array<{ action_id: string; value?: string }>;
    }>;
    const buttons = new Map<string, string>();
    for (const block of blocks)
      for (const element of block.elements ?? [])
        if (block.type === 'actions' && element.value) buttons.set(element.action_id, element.value);
    if (buttons.has('mltrl:vote-approve'))
      return { ts: String(call.result.ts), channel: String(call.args.channel), buttons, index };
  }
  return undefined;
}
