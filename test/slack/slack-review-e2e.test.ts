import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAppHarness, type AppHarness } from '../support/app-harness';
import { startFakeSlackApi, type FakeSlackApi, type RecordedCall } from '../support/fake-slack-api';
import { queueDrained } from '../support/queue-drained';
import {
  blockActionBody,
  eventBody,
  FORM,
  JSON_TYPE,
  sign,
  slashCommandBody,
  viewSubmissionBody,
} from '../support/slack-requests';

/**
 * The whole bot (engine, Redis, queues, Bolt) driven only through signed Slack requests, talking to the
 * fake Slack Web API: a gate review from `/mltrl review` to its outcome.
 */
const SECRET = 'e2e-signing-secret';
const PEOPLE = ['ana', 'sam', 'priya', 'li', 'lee', 'max'];
const slackId = (name: string) => `U${name.toUpperCase()}`;

let fake: FakeSlackApi;
let harness: AppHarness;

beforeEach(async () => {
  fake = await startFakeSlackApi();
  for (const name of PEOPLE) {
    fake.addUser({
      id: slackId(name),
      name,
      realName: name,
      email: `${name}@example.org`,
      tz: 'Europe/Berlin',
      locale: 'en-GB',
    });
  }
  harness = await startAppHarness({
    env: { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-e2e', SLACK_API_URL: fake.apiUrl },
  });
});

afterEach(async () => {
  await harness.stop();
  await fake.close();
});

/** The card with everything the 3 -> 4 gate requires, so the vote opens at once. */
function completeRetinaCard(): void {
  const file = join(harness.cardsDir, 'retina-lesion-detector.md');
  const text = readFileSync(file, 'utf8')
    .replace('(*link to repo and docs*)', 'https://git.example.org/ml/retina')
    .replace(
      '### Testing status\n',
      '### Testing status\n\nUnit tests and a held-out evaluation run nightly.\n',
    );
  writeFileSync(file, text);
}

async function post(body: string): Promise<number> {
  const signed = sign(SECRET, body, FORM);
  const response = await fetch(`${harness.baseUrl}/slack/events`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  return response.status;
}

async function command(name: string, text: string): Promise<string> {
  const responseUrl = fake.responseUrl(`${name}-${Date.now()}-${Math.random()}`);
  expect(await post(slashCommandBody({ text, userId: slackId(name), responseUrl }))).toBe(200);
  const calls = await fake.waitFor((all) =>
    all.some((call) => call.method === 'respond' && call.args.responseUrl === new URL(responseUrl).pathname),
  );
  return String(calls.find((call) => call.args.responseUrl === new URL(responseUrl).pathname)!.args.text);
}

interface VoteMessage {
  ts: string;
  channel: string;
  buttons: Map<string, string>;
}

function voteMessage(calls: RecordedCall[]): VoteMessage | undefined {
  for (const call of calls) {
    if (call.method !== 'chat.postMessage' || call.failed) continue;
    const blocks = (call.args.blocks ?? []) as Array<{
      type: string;
      elements?: Array<{ action_id: string; value?: string }>;
    }>;
    const buttons = new Map<string, string>();
    for (const block of blocks)
      for (const element of block.elements ?? [])
        if (block.type === 'actions' && element.value) buttons.set(element.action_id, element.value);
    if (buttons.has('mltrl:vote-approve'))
      return { ts: String(call.result!.ts), channel: String(call.args.channel), buttons };
  }
  return undefined;
}

async function click(name: string, vote: VoteMessage, actionId: string): Promise<string | undefined> {
  const responseUrl = fake.responseUrl(`click-${name}-${Date.now()}-${Math.random()}`);
  const path = new URL(responseUrl).pathname;
  const before = fake.calls('chat.update').length;
  const body = blockActionBody({
    userId: slackId(name),
    actionId,
    value: vote.buttons.get(actionId),
    messageTs: vote.ts,
    channelId: vote.channel,
    responseUrl,
  });
  expect(await post(body)).toBe(200);
  // Either a private answer arrives, or the tally is updated in place (or both).
  const calls = await fake.waitFor(
    (all) =>
      all.some((call) => call.args.responseUrl === path) ||
      all.filter((call) => call.method === 'chat.update').length > before,
  );
  const reply = calls.find((call) => call.args.responseUrl === path);
  return reply ? String(reply.args.text) : undefined;
}

const updates = () => fake.calls('chat.update').filter((call) => !call.failed);
const lastUpdateText = () => String(updates().at(-1)?.args.text ?? '');

test('a gate review from /mltrl review to its outcome, with refusals and a double click', async () => {
  completeRetinaCard();
  const started = await command('sam', 'review R07.2');
  expect(started).toMatch(/R07\.2/);

  // The vote message lands in the channel with the buttons; the card summary goes in its thread.
  const calls = await fake.waitFor((all) => voteMessage(all) !== undefined);
  const vote = voteMessage(calls)!;
  expect(vote.channel).toBe('C0REVIEWS');
  await fake.waitFor((all) =>
    all.some((call) => call.method === 'chat.postMessage' && call.args.thread_ts === vote.ts),
  );

  // Owners cannot approve their own gate; people who are not reviewers cannot vote: only they are told.
  expect(await click('sam', vote, 'mltrl:vote-approve')).toContain('Owners cannot vote on their own gate');
  expect(await click('max', vote, 'mltrl:vote-approve')).toContain('Only the reviewers named');
  expect(updates()).toHaveLength(0);

  // Priya approves, twice in a row: counted once, the tally updated in place.
  await click('priya', vote, 'mltrl:vote-approve');
  await fake.waitFor(() => lastUpdateText().includes('<@UPRIYA> approved'));
  expect(updates()[0].args).toMatchObject({ channel: 'C0REVIEWS', ts: vote.ts });
  expect(await click('priya', vote, 'mltrl:vote-approve')).toContain('already recorded');

  // Li approves: the vote closes, the outcome goes in the thread, the level moves to 4.
  await click('li', vote, 'mltrl:vote-approve');
  await fake.waitFor(() => lastUpdateText().includes('Voting closed: advanced'));
  const outcome = await fake.waitFor((all) =>
    all.some(
      (call) => call.method === 'chat.postMessage' && String(call.args.text).includes('advanced to level 4'),
    ),
  );
  const outcomePost = outcome.find(
    (call) => String(call.args.text).includes('advanced to level 4') && call.args.thread_ts,
  )!;
  expect(outcomePost.args.thread_ts).toBe(vote.ts);
  expect(String(outcomePost.args.text)).toMatch(
    /Approved by (<@UPRIYA>, <@ULI>|<@ULI>, <@UPRIYA>) \(2 approvals/,
  );
  expect(await command('ana', 'status R07.2')).toContain('level 4');
});

async function requestChanges(name: string, vote: VoteMessage, reason: string): Promise<void> {
  const actionId = 'mltrl:reason:vote-request-changes';
  const opened = fake.calls('views.open').length;
  const click = blockActionBody({
    userId: slackId(name),
    actionId,
    value: vote.buttons.get(actionId),
    messageTs: vote.ts,
    responseUrl: fake.responseUrl(`rc-${name}`),
  });
  expect(await post(click)).toBe(200);
  const calls = await fake.waitFor(
    (all) => all.filter((call) => call.method === 'views.open').length > opened,
  );
  const view = calls.filter((call) => call.method === 'views.open').at(-1)!.args.view as {
    callback_id: string;
    private_metadata: string;
  };
  const submission = viewSubmissionBody({
    userId: slackId(name),
    callbackId: view.callback_id,
    privateMetadata: view.private_metadata,
    values: { reason: { 'reason-input': { type: 'plain_text_input', value: reason } } },
  });
  expect(await post(submission)).toBe(200);
}

test('request changes asks for a reason in a modal and the outcome quotes it', async () => {
  completeRetinaCard();
  await command('sam', 'review R07.2');
  const vote = voteMessage(await fake.waitFor((all) => voteMessage(all) !== undefined))!;
  await requestChanges('priya', vote, 'Testing status lacks integration tests.');
  await fake.waitFor(() => updates().length > 0);
  await requestChanges('li', vote, 'No <script> & no bias audit yet.');
  const calls = await fake.waitFor((all) =>
    all.some(
      (call) => call.method === 'chat.postMessage' && String(call.args.text).includes('stays at level 3'),
    ),
  );
  const outcome = String(
    calls.find((call) => String(call.args.text).includes('stays at level 3') && call.args.thread_ts)!.args
      .text,
  );
  expect(outcome).toContain('"Testing status lacks integration tests."');
  expect(outcome).toContain('No &lt;script&gt; &amp; no bias audit yet.');
});

test('a review in a channel the bot cannot post in tells the requester, by DM when the channel refuses', async () => {
  fake.fail('chat.postMessage', { error: 'not_in_channel' }, 1);
  fake.fail('chat.postEphemeral', { error: 'not_in_channel' }, 1);
  await command('sam', 'review R07.2');
  const calls = await fake.waitFor((all) =>
    all.some((call) => call.method === 'chat.postMessage' && call.args.channel === 'DSAM'),
  );
  const notice = calls.find((call) => call.method === 'chat.postMessage' && call.args.channel === 'DSAM')!;
  expect(String(notice.args.text)).toContain('not a member of that channel');
  expect(calls.filter((call) => call.method === 'chat.postMessage' && !call.failed)).toHaveLength(1);
});

test('owners of an incomplete card are reminded by DM in their working hours', async () => {
  await command('sam', 'review R07.2');
  await fake.waitFor((all) =>
    all.some(
      (call) => call.method === 'chat.postMessage' && String(call.args.text).startsWith('Gate review'),
    ),
  );
  // Reminders wait for working hours in each owner's time zone (Ana in Berlin, Sam in London): walk the
  // clock on in steps shorter than a working day, so every owner's window is reached.
  const remindedIn = () =>
    new Set(
      fake
        .calls('chat.postMessage')
        .filter((call) => /^D/.test(String(call.args.channel)))
        .map((call) => String(call.args.channel)),
    );
  for (let step = 0; step < 40 && remindedIn().size < 2; step++) await harness.clock.advance(5 * 3600_000);
  expect([...remindedIn()].sort()).toEqual(['DANA', 'DSAM']);
  expect(fake.calls('conversations.open').map((call) => call.args.users)).toEqual(
    expect.arrayContaining(['UANA', 'USAM']),
  );
  const reminder = fake.calls('chat.postMessage').find((call) => call.args.channel === 'DANA')!;
  expect(String(reminder.args.text)).toContain('Still missing: Code repo &amp; docs, Testing status.');
  expect(String(reminder.args.text)).toContain('Reminder 1 of 3');
});

test('App Home shows the viewer what waits on them, their projects and the portfolio', async () => {
  completeRetinaCard();
  await command('sam', 'review R07.2');
  await fake.waitFor((all) => voteMessage(all) !== undefined);
  const opened = eventBody('T0001', {
    type: 'app_home_opened',
    user: 'UPRIYA',
    channel: 'D0PRIYA',
    tab: 'home',
    event_ts: '1.2',
  });
  const signed = sign(SECRET, opened, JSON_TYPE);
  expect(
    (
      await fetch(`${harness.baseUrl}/slack/events`, {
        method: 'POST',
        headers: signed.headers,
        body: signed.body,
      })
    ).status,
  ).toBe(200);
  const calls = await fake.waitFor((all) => all.some((call) => call.method === 'views.publish'));
  const publish = calls.find((call) => call.method === 'views.publish')!;
  expect(publish.args.user_id).toBe('UPRIYA');
  const view = publish.args.view as { type: string; blocks: unknown[] };
  expect(view.type).toBe('home');
  expect(view.blocks.length).toBeLessThanOrEqual(100);
  expect(JSON.stringify(view.blocks)).toContain('R07.2');
});

test('gibberish after /mltrl is answered with usage, privately', async () => {
  const answer = await command('max', 'frobnicate the gates');
  expect(answer.toLowerCase()).toContain('usage');
  expect(fake.calls('chat.postMessage')).toHaveLength(0);
});

/** The engine's own keys (reviews, votes, audit) with their types and sizes; queue bookkeeping left out. */
async function engineState(): Promise<string[]> {
  const redis = harness.app.redis;
  const keys = (await redis.keys(`${harness.keyPrefix}*`)).filter(
    (key) => !/:(delivery|deliv|engine|digest|metrics)([:-]|$)/.test(key),
  );
  const state: string[] = [];
  for (const key of keys.sort()) {
    const type = await redis.type(key);
    const size =
      type === 'stream'
        ? await redis.xlen(key)
        : type === 'hash'
          ? JSON.stringify(await redis.hgetall(key))
          : type === 'string'
            ? await redis.get(key)
            : type;
    state.push(`${key} ${type} ${size}`);
  }
  return state;
}

test('a forged click changes nothing', async () => {
  completeRetinaCard();
  await command('sam', 'review R07.2');
  const vote = voteMessage(await fake.waitFor((all) => voteMessage(all) !== undefined))!;
  await fake.waitFor((all) =>
    all.some((call) => call.method === 'chat.postMessage' && call.args.thread_ts === vote.ts),
  );
  const before = await engineState();
  const body = blockActionBody({
    userId: 'UPRIYA',
    actionId: 'mltrl:vote-approve',
    value: vote.buttons.get('mltrl:vote-approve'),
    messageTs: vote.ts,
    responseUrl: fake.responseUrl('f'),
  });
  const forged = sign('not-the-secret', body, FORM);
  const response = await fetch(`${harness.baseUrl}/slack/events`, {
    method: 'POST',
    headers: forged.headers,
    body: forged.body,
  });
  expect(response.status).toBe(401);
  // Refused before anything is stored: with the answer in, the engine's state is as it was.
  expect(await engineState()).toEqual(before);
  // A genuine click after it takes the same path (Max is no reviewer: it changes nothing). Once he has his
  // answer and delivery is idle, the forged approval, had it been let through, would have shown by now.
  expect(await click('max', vote, 'mltrl:vote-approve')).toContain('Only the reviewers named');
  await queueDrained(harness.app.delivery.queue, 'the delivery queue');
  expect(updates()).toHaveLength(0);
  // Max's click leaves traces of its own (its signature, his profile, the refusal in the audit trail);
  // the rest, the votes above all, is as it was.
  const maxTraces = /:(audit[: ]|seen:slack-sig:|slack:(profile|user-team):UMAX )/;
  const rest = (state: string[]) => state.filter((line) => !maxTraces.test(line));
  expect(rest(await engineState())).toEqual(rest(before));
});

test('a Slack user whose real name equals an unresolved reviewer is refused, and the reviewer is listed', async () => {
  completeRetinaCard();
  const file = join(harness.cardsDir, 'retina-lesion-detector.md');
  writeFileSync(file, readFileSync(file, 'utf8').replace(', Li Wei ', ', Zed Unknown '));
  fake.addUser({ id: 'UZED', name: 'zed', realName: 'Zed Unknown', tz: 'Europe/Berlin', locale: 'en-GB' });
  await command('sam', 'review R07.2');
  const calls = await fake.waitFor((all) => voteMessage(all) !== undefined);
  const vote = voteMessage(calls)!;
  const posted = calls.find((call) => call.method === 'chat.postMessage' && call.result?.ts === vote.ts)!;
  expect(String(posted.args.text)).toContain('Not found on this platform, so they cannot vote: Zed Unknown');
  expect(String(posted.args.text)).toContain('add them to people.yaml');
  const body = blockActionBody({
    userId: 'UZED',
    actionId: 'mltrl:vote-approve',
    value: vote.buttons.get('mltrl:vote-approve'),
    messageTs: vote.ts,
    channelId: vote.channel,
    responseUrl: fake.responseUrl('impostor'),
  });
  expect(await post(body)).toBe(200);
  const replies = await fake.waitFor((all) =>
    all.some((call) => call.args.responseUrl === new URL(fake.responseUrl('impostor')).pathname),
  );
  const reply = replies.find(
    (call) => call.args.responseUrl === new URL(fake.responseUrl('impostor')).pathname,
  )!;
  expect(String(reply.args.text)).toContain('Only the reviewers named');
  expect(updates()).toHaveLength(0);
});

test('a replayed signed click is refused and cannot undo a later vote; a Slack retry is answered once', async () => {
  completeRetinaCard();
  await command('sam', 'review R07.2');
  const vote = voteMessage(await fake.waitFor((all) => voteMessage(all) !== undefined))!;
  const approve = sign(
    SECRET,
    blockActionBody({
      userId: 'UPRIYA',
      actionId: 'mltrl:vote-approve',
      value: vote.buttons.get('mltrl:vote-approve'),
      messageTs: vote.ts,
      channelId: vote.channel,
      responseUrl: fake.responseUrl('approve-once'),
    }),
    FORM,
  );
  const send = (signed: typeof approve, extra: Record<string, string> = {}) =>
    fetch(`${harness.baseUrl}/slack/events`, {
      method: 'POST',
      headers: { ...signed.headers, ...extra },
      body: signed.body,
    });
  expect((await send(approve)).status).toBe(200);
  await fake.waitFor(() => lastUpdateText().includes('<@UPRIYA> approved'));
  await click('priya', vote, 'mltrl:vote-abstain');
  await fake.waitFor(() => lastUpdateText().includes('<@UPRIYA> abstained'));
  const tallies = updates().length;
  const replayed = await send(approve);
  expect(replayed.status).toBe(401);
  // Priya clicks abstain again, a genuine click on the same path: once she is answered and delivery is
  // idle, the replayed approval, had it been acted on, would have updated the tally by now.
  expect(await click('priya', vote, 'mltrl:vote-abstain')).toContain('already recorded');
  await queueDrained(harness.app.delivery.queue, 'the delivery queue');
  expect(updates()).toHaveLength(tallies);
  expect(lastUpdateText()).toContain('<@UPRIYA> abstained');

  // An event Slack delivers again (a retry: new signature, same event id) is acknowledged, not acted on.
  const mentionAt = (ts: string) =>
    eventBody('T0001', {
      type: 'app_mention',
      user: 'USAM',
      channel: 'C0REVIEWS',
      text: '<@UBOT> status R07.2',
      ts,
    });
  const answers = () => fake.calls('chat.postEphemeral').length + fake.calls('chat.postMessage').length;
  // One mention answered in full: its answers arrived and delivery is idle.
  const answered = async (since: number) => {
    await fake.waitFor(() => answers() > since);
    await queueDrained(harness.app.delivery.queue, 'the delivery queue');
    return answers() - since;
  };
  const mention = mentionAt('1700000000.000100');
  const before = answers();
  expect((await send(sign(SECRET, mention, JSON_TYPE))).status).toBe(200);
  const perMention = await answered(before);
  const after = answers();
  expect((await send(sign(SECRET, mention, JSON_TYPE), { 'x-slack-retry-num': '1' })).status).toBe(200);
  // A new mention after the retry, on the same path: once it is answered, the retry, had it been acted
  // on, would have been answered too.
  expect((await send(sign(SECRET, mentionAt('1700000000.000101'), JSON_TYPE))).status).toBe(200);
  expect(await answered(after)).toBe(perMention);
});
