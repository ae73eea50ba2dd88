import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppHarness, type AppHarness } from '../support/app-harness';
import { FakeBotConnector } from '../support/fake-bot-connector';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fake-slack-api';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server';
import { blockActionBody, FORM, sign, slashCommandBody } from '../support/slack-requests';
import { cardInvoke, TENANT } from '../teams/support/teams-activities';

/**
 * A click while Redis does not answer (frozen with SIGSTOP, or killed) gets a private answer, "could not
 * record your vote, try again", instead of nothing at all; nothing is recorded; once Redis is back a new
 * click works. The whole app in this process, on a private redis-server of its own.
 */
jest.setTimeout(180000);

const SECRET = 'outage-signing-secret';
const PEOPLE = ['ana', 'sam', 'priya', 'li', 'lee', 'max'];
const slackId = (name: string) => `U${name.toUpperCase()}`;
const NOT_RECORDED = /could not be recorded/;

let redis: PrivateRedis;
let redisDir: string;
let slack: FakeSlackApi;
let connector: FakeBotConnector;
let harness: AppHarness | undefined;
let previousRedisUrl: string | undefined;

const priyaOnTeams = {
  id: '29:1priya-aad',
  name: 'priya',
  aadObjectId: '00000000-0000-4000-8000-priya0000000',
  email: 'priya@example.org',
  userPrincipalName: 'priya@example.org',
  tenantId: TENANT,
};

beforeEach(async () => {
  redisDir = mkdtempSync(join(tmpdir(), 'mltrl-click-outage-'));
  // Every write on disk at once, so a Redis killed and started again on its files has the open review.
  redis = await startPrivateRedis({
    dir: redisDir,
    args: ['--appendonly', 'yes', '--appendfsync', 'always'],
  });
  previousRedisUrl = process.env.TEST_REDIS_URL;
  process.env.TEST_REDIS_URL = redis.url;
  slack = await startFakeSlackApi();
  for (const name of PEOPLE)
    slack.addUser({ id: slackId(name), name, realName: name, email: `${name}@example.org` });
  connector = await new FakeBotConnector([priyaOnTeams]).start();
  harness = await startAppHarness({
    env: {
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb-outage',
      SLACK_API_URL: slack.apiUrl,
      TEAMS_LOCAL: 'true',
    },
  });
  // The 3 -> 4 gate's gaps filled, so `review R07.2` opens the vote at once.
  const card = join(harness.cardsDir, 'retina-lesion-detector.md');
  writeFileSync(
    card,
    readFileSync(card, 'utf8')
      .replace('(*link to repo and docs*)', 'https://git.example.org/ml/retina')
      .replace('### Testing status\n', '### Testing status\n\nUnit tests run nightly.\n'),
  );
});

afterEach(async () => {
  redis.resume();
  await harness?.stop();
  harness = undefined;
  await connector.stop();
  await slack.close();
  await redis.stop();
  rmSync(redisDir, { recursive: true, force: true });
  if (previousRedisUrl === undefined) delete process.env.TEST_REDIS_URL;
  else process.env.TEST_REDIS_URL = previousRedisUrl;
});

async function post(body: string): Promise<number> {
  const signed = sign(SECRET, body, FORM);
  const response = await fetch(`${harness!.baseUrl}/slack/events`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  return response.status;
}

let unique = 0;
async function answerAt(responseUrl: string, timeoutMs = 60000): Promise<string> {
  const path = new URL(responseUrl).pathname;
  const calls = await slack.waitFor((all) => all.some((call) => call.args.responseUrl === path), timeoutMs);
  return String(calls.find((call) => call.args.responseUrl === path)!.args.text);
}

interface Vote {
  ts: string;
  channel: string;
  buttons: Map<string, string>;
}

async function openVote(): Promise<Vote> {
  const responseUrl = slack.responseUrl(`open-${unique++}`);
  expect(await post(slashCommandBody({ text: 'review R07.2', userId: 'USAM', responseUrl }))).toBe(200);
  let vote: Vote | undefined;
  await slack.waitFor((calls) => {
    for (const call of calls) {
      if (call.method !== 'chat.postMessage' || call.failed) continue;
      const buttons = new Map<string, string>();
      for (const block of (call.args.blocks ?? []) as Array<{
        type: string;
        elements?: Array<{ action_id: string; value?: string }>;
      }>)
        for (const element of block.elements ?? [])
          if (block.type === 'actions' && element.value) buttons.set(element.action_id, element.value);
      if (buttons.has('mltrl:vote-approve'))
        vote = { ts: String(call.result!.ts), channel: String(call.args.channel), buttons };
    }
    return vote !== undefined;
  }, 60000);
  return vote!;
}

/** Priya clicks approve; the private answer's text. */
async function click(vote: Vote): Promise<string> {
  const responseUrl = slack.responseUrl(`click-${unique++}`);
  const body = blockActionBody({
    userId: slackId('priya'),
    actionId: 'mltrl:vote-approve',
    value: vote.buttons.get('mltrl:vote-approve'),
    messageTs: vote.ts,
    channelId: vote.channel,
    responseUrl,
  });
  expect(await post(body)).toBe(200);
  return answerAt(responseUrl);
}

/** The stored ballots of every review, as `field=value` lines (Priya's is the one that matters). */
async function storedVotes(): Promise<string[]> {
  const keys = await harness!.app.redis.keys(`${harness!.keyPrefix}*:votes:*`);
  const fields: string[] = [];
  for (const key of keys) fields.push(...Object.keys(await harness!.app.redis.hgetall(key)));
  return fields;
}

test('Redis frozen (SIGSTOP) during a click: Slack and Teams clickers are told it was not recorded; after, a click works', async () => {
  const vote = await openVote();
  redis.pause();
  const slackAnswer = click(vote);
  const teams = fetch(`${harness!.baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(
      cardInvoke(connector.url, priyaOnTeams, 'f:vote', 'vote-approve', {
        mltrl: 'action',
        actionId: 'vote-approve',
        value: 'v1|RV01|approve',
      }),
    ),
  });
  expect(await slackAnswer).toMatch(NOT_RECORDED);
  const teamsAnswer = await teams;
  expect(teamsAnswer.status).toBe(200);
  expect(((await teamsAnswer.json()) as { value?: string }).value).toMatch(NOT_RECORDED);
  redis.resume();

  expect((await storedVotes()).filter((field) => field.includes('priya'))).toEqual([]);
  expect(await click(vote)).toMatch(/is recorded/);
  expect((await storedVotes()).filter((field) => field.includes('priya'))).toHaveLength(1);
});

test('Redis killed during a click: the clicker is told it was not recorded; restarted, a click works', async () => {
  const vote = await openVote();
  const { port } = redis;
  await redis.crash();
  expect(await click(vote)).toMatch(NOT_RECORDED);
  redis = await startPrivateRedis({
    port,
    dir: redisDir,
    args: ['--appendonly', 'yes', '--appendfsync', 'always'],
  });
  // The command connection reconnects on its own; the first click after may still meet the old state.
  for (let attempt = 0; ; attempt++) {
    const answer = await click(vote);
    if (/is recorded/.test(answer)) break;
    expect(answer).toMatch(NOT_RECORDED);
    if (attempt > 20) throw new Error('no click recorded after Redis came back');
    await new Promise((done) => setTimeout(done, 500));
  }
  expect((await storedVotes()).filter((field) => field.includes('priya'))).toHaveLength(1);
});
