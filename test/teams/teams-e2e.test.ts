import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAppHarness, type AppHarness } from '../support/app-harness';
import { FakeBotConnector, type FakeMember } from '../support/fake-bot-connector';
import {
  CHANNEL,
  TENANT,
  cardInvoke,
  cardRefresh,
  channelMention,
  installInTeam,
  personalMessage,
} from './support/teams-activities';
import { validateAdaptiveCard } from './support/validate-adaptive-card';

/** The whole bot (engine, Redis, queues, example cards and people.yaml) behind Teams, against a fake connector. */
const member = (key: string, name: string): FakeMember => ({
  id: `29:1${key}-aad`,
  name,
  aadObjectId: `00000000-0000-4000-8000-${key.padEnd(12, '0')}`,
  email: `${key}@example.org`,
  userPrincipalName: `${key}@example.org`,
  tenantId: TENANT,
});
const [ana, sam, priya, li, max, lee, zed] = [
  member('ana', 'Ana Lima'),
  member('sam', 'Sam Okafor'),
  member('priya', 'Priya Nair'),
  member('li', 'Li Wei'),
  member('max', 'Max Mustermann'),
  member('lee', 'Lee Martin'),
  member('zed', 'Zed Unknown'),
];

type Json = Record<string, unknown>;
const verbsOf = (card: unknown) =>
  [...JSON.stringify(card).matchAll(/"verb":"([^"]+)"/g)].map((match) => match[1]);
const cardOfPost = (body: Json) => (body.attachments as Json[])[0].content as Json;

let connector: FakeBotConnector;
let harness: AppHarness;

beforeEach(async () => {
  connector = await new FakeBotConnector([ana, sam, priya, li, max, lee, zed]).start();
  harness = await startAppHarness({ env: { TEAMS_LOCAL: 'true', ADMINS: 'lee' } });
  // Fill R07.2's gate 3 -> 4 gaps so the review goes straight to the vote.
  const file = join(harness.cardsDir, 'retina-lesion-detector.md');
  writeFileSync(
    file,
    readFileSync(file, 'utf8')
      .replace('(*link to repo and docs*)', 'https://git.example.org/ml/retina-lesions')
      .replace(
        '### Testing status\n',
        '### Testing status\n\nUnit tests for preprocessing; held-out evaluation.\n',
      ),
  );
});

afterEach(async () => {
  await harness.stop();
  await connector.stop();
});

/** Start on a Monday at 03:00 UTC (night in London and Berlin), so reminder times do not depend on the run. */
async function moveToMondayNight(): Promise<void> {
  const now = harness.clock.now();
  const target = new Date(now);
  target.setUTCHours(3, 0, 0, 0);
  while (target <= now || target.getUTCDay() !== 1) target.setUTCDate(target.getUTCDate() + 1);
  await harness.clock.advance(target.getTime() - now.getTime());
}

async function send(activity: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${harness.baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
}

test('a review from @mltrl command to outcome with two reviewers, buttons only for them', async () => {
  expect((await send(installInTeam(connector.url, sam))).status).toBe(200);
  expect((await send(channelMention(connector.url, sam, 'review R07.2'))).status).toBe(200);
  await connector.waitFor(
    (calls) =>
      calls.some((call) => call.kind === 'post' && JSON.stringify(call.body).includes('"verb":"refresh"')),
    15000,
  );
  const votePost = connector
    .of('post')
    .find((call) => JSON.stringify(call.body).includes('"verb":"refresh"'))!;
  const voteCard = cardOfPost(votePost.body);
  const voteId = votePost.responseId!;
  expect(validateAdaptiveCard(voteCard)).toEqual([]);
  expect((voteCard.refresh as Json).userIds).toEqual(expect.arrayContaining([priya.id, li.id]));
  expect(verbsOf(voteCard)).toEqual(['refresh']);

  const forPriya = await send(cardRefresh(connector.url, priya, voteId));
  expect(verbsOf(forPriya.body.value)).toEqual(
    expect.arrayContaining(['vote-approve', 'vote-request-changes', 'vote-abstain']),
  );
  const forMax = await send(cardRefresh(connector.url, max, voteId));
  expect(verbsOf(forMax.body.value)).not.toContain('vote-approve');

  const data = (body: Json, actionId: string) => {
    const match = new RegExp(`"actionId":"${actionId}","value":"([^"]*)"`).exec(JSON.stringify(body.value));
    return { mltrl: 'action', actionId, value: match![1] };
  };
  const refused = await send(
    cardInvoke(connector.url, max, voteId, 'vote-approve', data(forPriya.body, 'vote-approve')),
  );
  expect(refused.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });

  const first = await send(
    cardInvoke(connector.url, priya, voteId, 'vote-approve', data(forPriya.body, 'vote-approve')),
  );
  expect(first.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  expect(validateAdaptiveCard(first.body.value as Json)).toEqual([]);
  const forLi = await send(cardRefresh(connector.url, li, voteId));
  const second = await send(
    cardInvoke(connector.url, li, voteId, 'vote-approve', data(forLi.body, 'vote-approve')),
  );
  expect(second.body).toMatchObject({ statusCode: 200 });

  await connector.waitFor(
    (calls) =>
      calls.some((call) => call.kind === 'post' && /advanced to level 4/.test(JSON.stringify(call.body))),
    15000,
  );
  const outcome = connector.of('post').find((call) => /advanced to level 4/.test(JSON.stringify(call.body)))!;
  expect([CHANNEL, `${CHANNEL};messageid=${voteId}`]).toContain(outcome.conversationId);
});

test('gaps: the report in the channel, then nudges by direct message to the owners as the clock moves', async () => {
  const file = join(harness.cardsDir, 'retina-lesion-detector.md');
  writeFileSync(
    file,
    readFileSync(join(__dirname, '..', '..', 'cards', 'retina-lesion-detector.md'), 'utf8'),
  );
  await moveToMondayNight();
  await send(installInTeam(connector.url, sam));
  await send(channelMention(connector.url, sam, 'review R07.2'));
  await connector.waitFor(
    (calls) => calls.some((call) => call.kind === 'post' && /Testing status/.test(JSON.stringify(call.body))),
    15000,
  );
  const report = connector.of('post').find((call) => /Testing status/.test(JSON.stringify(call.body)))!;
  expect(report.conversationId).toBe(CHANNEL);
  expect(validateAdaptiveCard(cardOfPost(report.body))).toEqual([]);

  // The first reminder comes one working day later at 09:00 in the owner's time zone: move hour by hour.
  for (
    let hour = 0;
    hour < 24 * 6 && !connector.of('post').some((call) => call.conversationId === `a:personal-${ana.id}`);
    hour++
  ) {
    await harness.clock.advance(3600_000);
  }
  await connector.waitFor(
    (calls) =>
      calls.some((call) => call.kind === 'create-conversation' && JSON.stringify(call.body).includes(ana.id)),
    15000,
  );
  await connector.waitFor(
    (calls) => calls.some((call) => call.kind === 'post' && call.conversationId === `a:personal-${ana.id}`),
    15000,
  );
  const nudge = connector.of('post').find((call) => call.conversationId === `a:personal-${ana.id}`)!;
  expect(JSON.stringify(nudge.body)).toMatch(/R07\.2/);
  expect(validateAdaptiveCard(cardOfPost(nudge.body))).toEqual([]);
});

test('digest now: an admin asks in the channel, the digest is posted there', async () => {
  await send(installInTeam(connector.url, sam));
  await send(channelMention(connector.url, lee, 'digest now'));
  await connector.waitFor(
    (calls) =>
      calls.some(
        (call) =>
          call.kind === 'post' &&
          /digest/i.test(JSON.stringify(call.body)) &&
          call.conversationId === CHANNEL &&
          !/Hello!/.test(JSON.stringify(call.body)),
      ),
    15000,
  );
  const digest = connector
    .of('post')
    .filter((call) => call.conversationId === CHANNEL)
    .at(-1)!;
  expect(validateAdaptiveCard(cardOfPost(digest.body))).toEqual([]);
});

test('request changes with a reason from the inline form: the outcome quotes it', async () => {
  await send(installInTeam(connector.url, sam));
  await send(channelMention(connector.url, sam, 'review R07.2'));
  await connector.waitFor(
    (calls) =>
      calls.some((call) => call.kind === 'post' && JSON.stringify(call.body).includes('"verb":"refresh"')),
    15000,
  );
  const voteId = connector
    .of('post')
    .find((call) => JSON.stringify(call.body).includes('"verb":"refresh"'))!.responseId!;
  const valueOf = async (reviewer: FakeMember, actionId: string) => {
    const card = (await send(cardRefresh(connector.url, reviewer, voteId))).body.value;
    return new RegExp(`"actionId":"${actionId}","value":"([^"]*)"`).exec(JSON.stringify(card))![1];
  };
  const changes = await send(
    cardInvoke(connector.url, li, voteId, 'vote-request-changes', {
      mltrl: 'action',
      actionId: 'vote-request-changes',
      value: await valueOf(li, 'vote-request-changes'),
      'reason.vote-request-changes': 'Testing status lacks integration tests.',
    }),
  );
  expect(changes.body).toMatchObject({ type: 'application/vnd.microsoft.card.adaptive' });
  await send(
    cardInvoke(connector.url, priya, voteId, 'vote-abstain', {
      mltrl: 'action',
      actionId: 'vote-abstain',
      value: await valueOf(priya, 'vote-abstain'),
    }),
  );
  await connector.waitFor(
    (calls) =>
      calls.some((call) => call.kind === 'post' && /stays at level 3/.test(JSON.stringify(call.body))),
    15000,
  );
  const outcome = connector.of('post').find((call) => /stays at level 3/.test(JSON.stringify(call.body)))!;
  expect(JSON.stringify(outcome.body)).toContain('Testing status lacks integration tests.');
});

test('a Teams user whose name equals an unresolved reviewer is refused, and the reviewer is listed', async () => {
  const file = join(harness.cardsDir, 'retina-lesion-detector.md');
  writeFileSync(file, readFileSync(file, 'utf8').replace(', Li Wei ', ', Zed Unknown '));
  await send(channelMention(connector.url, sam, 'review R07.2'));
  await connector.waitFor(
    (calls) =>
      calls.some((call) => call.kind === 'post' && JSON.stringify(call.body).includes('"verb":"refresh"')),
    15000,
  );
  const votePost = connector
    .of('post')
    .find((call) => JSON.stringify(call.body).includes('"verb":"refresh"'))!;
  expect(JSON.stringify(votePost.body)).toContain(
    'Not found on this platform, so they cannot vote: Zed Unknown',
  );
  const voteId = votePost.responseId!;
  const forPriya = (await send(cardRefresh(connector.url, priya, voteId))).body.value;
  const value = /"actionId":"vote-approve","value":"([^"]*)"/.exec(JSON.stringify(forPriya))![1];
  const refused = await send(
    cardInvoke(connector.url, zed, voteId, 'vote-approve', {
      mltrl: 'action',
      actionId: 'vote-approve',
      value,
    }),
  );
  expect(refused.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
  expect(JSON.stringify(refused.body)).toContain('Only the reviewers named');
  const ballots = await harness.app.redis.keys(`${harness.keyPrefix}:votes:*`);
  for (const ballot of ballots) expect(Object.keys(await harness.app.redis.hgetall(ballot))).toEqual([]);
});

test('a Teams activity delivered again is not acted on twice: a replayed approve cannot undo a later abstain', async () => {
  await send(installInTeam(connector.url, sam));
  await send(channelMention(connector.url, sam, 'review R07.2'));
  await connector.waitFor(
    (calls) =>
      calls.some((call) => call.kind === 'post' && JSON.stringify(call.body).includes('"verb":"refresh"')),
    15000,
  );
  const voteId = connector
    .of('post')
    .find((call) => JSON.stringify(call.body).includes('"verb":"refresh"'))!.responseId!;
  const card = JSON.stringify((await send(cardRefresh(connector.url, priya, voteId))).body.value);
  const valueOf = (actionId: string) =>
    new RegExp(`"actionId":"${actionId}","value":"([^"]*)"`).exec(card)![1];
  const approve = cardInvoke(connector.url, priya, voteId, 'vote-approve', {
    mltrl: 'action',
    actionId: 'vote-approve',
    value: valueOf('vote-approve'),
  });
  expect((await send(approve)).body).toMatchObject({ type: 'application/vnd.microsoft.card.adaptive' });
  const abstain = await send(
    cardInvoke(connector.url, priya, voteId, 'vote-abstain', {
      mltrl: 'action',
      actionId: 'vote-abstain',
      value: valueOf('vote-abstain'),
    }),
  );
  expect(JSON.stringify(abstain.body)).toContain('abstained');
  const again = await send(approve);
  expect(again.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
  expect(JSON.stringify(again.body)).toContain('already handled');
  const refreshed = JSON.stringify((await send(cardRefresh(connector.url, lee, voteId))).body.value);
  expect(refreshed).toContain('abstained');
  expect(refreshed).not.toMatch(/Priya[^"]*approved/);
});

test.each(['mention', 'handle'])(
  'delegate by %s in Teams: the named person is the delegate, and their click counts for the voter',
  async (how) => {
    await moveToMondayNight();
    const until = new Date(harness.clock.now().getTime() + 5 * 86_400_000).toISOString().slice(0, 10);
    const mentionOfMax = {
      type: 'mention',
      text: `<at>${max.name}</at>`,
      mentioned: { id: max.id, name: max.name },
    };
    // Installed in the team first: its roster is where the bot learns who a mentioned id is.
    expect((await send(installInTeam(connector.url, sam))).status).toBe(200);
    const named = how === 'mention' ? `<at>${max.name}</at>` : '@max';
    const delegate = personalMessage(connector.url, priya, `delegate ${named} until ${until}`);
    const entities = how === 'mention' ? [mentionOfMax] : [];
    expect((await send({ ...delegate, entities })).status).toBe(200);
    await connector.waitFor(
      (calls) =>
        calls.some((call) => /gets your reminders and may vote for you/.test(JSON.stringify(call.body))),
      15000,
    );
    const confirmation = connector
      .of('post')
      .concat(connector.of('reply'))
      .find((call) => /gets your reminders and may vote for you/.test(JSON.stringify(call.body)))!;
    // By mention: the person Teams resolved, named back as a real mention of that id; by handle: people.yaml's.
    expect(JSON.stringify(confirmation.body)).toContain(
      how === 'mention' ? `<at>${max.name}</at> gets your reminders` : 'Max Weber gets your reminders',
    );

    await send(channelMention(connector.url, sam, 'review R07.2'));
    await connector.waitFor(
      (calls) =>
        calls.some((call) => call.kind === 'post' && JSON.stringify(call.body).includes('"verb":"refresh"')),
      15000,
    );
    const votePost = connector
      .of('post')
      .find((call) => JSON.stringify(call.body).includes('"verb":"refresh"'))!;
    const forMax = await send(cardRefresh(connector.url, max, votePost.responseId!));
    const value = new RegExp(`"actionId":"vote-approve","value":"([^"]*)"`).exec(
      JSON.stringify(forMax.body.value),
    );
    expect(value).not.toBeNull();
    const clicked = await send(
      cardInvoke(connector.url, max, votePost.responseId!, 'vote-approve', {
        mltrl: 'action',
        actionId: 'vote-approve',
        value: value![1],
      }),
    );
    // The new card is the confirmation: the vote is Priya's, cast by her delegate, and says so.
    const card = clicked.body.value as Json;
    expect(JSON.stringify(card)).toContain(`for <at>${priya.name}</at> approved`);
    expect((card.refresh as Json).userIds).toEqual(expect.arrayContaining([priya.id, max.id]));
  },
);
