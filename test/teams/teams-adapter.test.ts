import { FakeBotConnector, type FakeMember } from '../support/fake-bot-connector';
import { validateAdaptiveCard } from './support/validate-adaptive-card';
import {
  BOT,
  CHANNEL,
  TENANT,
  cardInvoke,
  cardRefresh,
  cardSubmit,
  channelMention,
  installInTeam,
  personalMessage,
  uninstallFromTeam,
  type TeamsUser,
} from './support/teams-activities';
import { startTeamsTestApp, type TeamsTestApp } from './support/teams-test-app';
import { TeamsEngine } from './support/teams-engine';
import { goldenMessage, runCeremony } from '../support/ceremony';
import type { CommandEvent } from '../../src/core/events';

const user = (key: string, name: string): TeamsUser & FakeMember => ({
  id: `29:1${key}-aad`,
  name,
  aadObjectId: `00000000-0000-4000-8000-${key.padEnd(12, '0')}`,
  email: `${key}@example.org`,
  userPrincipalName: `${key}@example.org`,
  tenantId: TENANT,
});
const sam = user('sam', 'Sam Okafor');
const priya = user('priya', 'Priya Nair');
const li = user('li', 'Li Wei');
const max = user('max', 'Max Outsider');

type Json = Record<string, unknown>;
const cardOf = (body: Json) => body.value as Json;
/** The value a card's button sends, as the engine encoded it. */
const valueOf = (card: unknown, actionId: string): string => {
  const match = new RegExp(`"actionId":"${actionId}","value":"([^"]+)"`).exec(JSON.stringify(card));
  if (!match) throw new Error(`no ${actionId} button on the card`);
  return match[1];
};
const verbsOf = (card: unknown) =>
  [...JSON.stringify(card).matchAll(/"verb":"([^"]+)"/g)].map((match) => match[1]);

let connector: FakeBotConnector;
let app: TeamsTestApp;
let engine: TeamsEngine;

beforeEach(async () => {
  connector = await new FakeBotConnector([sam, priya, li, max]).start();
  engine = new TeamsEngine();
  app = await startTeamsTestApp({ engine, people: engine.rig.people });
  engine.chat = app.platform.chat;
});

afterEach(async () => {
  await app.stop();
  await connector.stop();
});

async function installAndOpenVote(): Promise<string> {
  expect((await app.send(installInTeam(connector.url, sam))).status).toBe(200);
  expect((await app.send(channelMention(connector.url, sam, 'review R07.2'))).status).toBe(200);
  return engine.vote!.messageId;
}

test('install stores the conversation reference and says hello in the channel', async () => {
  await app.send(installInTeam(connector.url, sam));
  const [hello] = connector.of('post');
  expect(hello.conversationId).toBe(CHANNEL);
  expect(String(hello.body.text)).toContain('@mltrl help');
  expect(await app.keys()).toEqual(expect.arrayContaining([`${app.keyPrefix}:teams:conv:${CHANNEL}`]));
});

test('@mltrl review R07.2 in a channel reaches the engine as a command, with e-mail and locale of the actor', async () => {
  const messageId = await installAndOpenVote();
  const command = engine.events[0] as CommandEvent;
  expect(command).toMatchObject({
    type: 'command',
    text: 'review R07.2',
    actor: {
      platform: 'teams',
      userId: sam.id,
      name: 'Sam Okafor',
      email: 'sam@example.org',
      locale: 'en-US',
      tz: 'Europe/Berlin',
    },
  });
  expect(command.conversationId).toMatch(/^teams:/);
  expect(command.threadId).toBeUndefined();
  // The vote card is posted proactively, read-only, with refresh for the two reviewers.
  const post = connector.of('post').find((call) => call.body.attachments)!;
  const card = (post.body.attachments as Json[])[0].content as Json;
  expect(post.conversationId).toBe(CHANNEL);
  expect(messageId).toMatch(/^msg-/);
  expect((card.refresh as Json).userIds).toEqual([priya.id, li.id]);
  expect(verbsOf(card)).toEqual(['refresh']);
  expect(validateAdaptiveCard(card)).toEqual([]);
});

test('the same words in a 1:1 chat are a command too; a bad command gets its usage there', async () => {
  await app.send(personalMessage(connector.url, sam, 'mltrl reviw'));
  expect(engine.events[0]).toMatchObject({ type: 'command', text: 'reviw' });
  const [reply] = connector.of('reply');
  expect(reply.conversationId).toBe(`a:1personal-${sam.aadObjectId}`);
  expect(JSON.stringify(reply.body)).toContain('Did you mean review?');
  expect(JSON.stringify(reply.body)).toContain('@mltrl review <project>');
});

test('a channel message that does not mention the bot is not a command', async () => {
  await app.send(installInTeam(connector.url, sam));
  const chatter = {
    ...channelMention(connector.url, sam, 'review R07.2'),
    text: 'shall we review R07.2?',
    entities: [],
  };
  expect((await app.send(chatter)).status).toBe(200);
  expect(engine.events).toHaveLength(0);
});

test('refresh gives the buttons to eligible reviewers only', async () => {
  const messageId = await installAndOpenVote();
  const forLi = await app.send(cardRefresh(connector.url, li, messageId));
  expect(forLi.status).toBe(200);
  expect(forLi.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  expect(verbsOf(cardOf(forLi.body))).toEqual(
    expect.arrayContaining(['vote-approve', 'vote-request-changes']),
  );
  expect(validateAdaptiveCard(cardOf(forLi.body))).toEqual([]);

  const forMax = await app.send(cardRefresh(connector.url, max, messageId));
  expect(verbsOf(cardOf(forMax.body))).toEqual(['refresh']);
});

test('a review from command to outcome with two reviewers', async () => {
  const messageId = await installAndOpenVote();
  // The values each reviewer's own card carries, as the engine encoded them.
  const action = async (who: TeamsUser, actionId: string) => ({
    mltrl: 'action',
    actionId,
    value: valueOf(cardOf((await app.send(cardRefresh(connector.url, who, messageId))).body), actionId),
  });

  const first = await app.send(
    cardInvoke(connector.url, li, messageId, 'vote-request-changes', {
      ...(await action(li, 'vote-request-changes')),
      'reason.vote-request-changes': '  Testing status lacks integration tests.  ',
    }),
  );
  expect(first.status).toBe(200);
  expect(JSON.stringify(cardOf(first.body))).toContain('<at>Li Wei</at> requested changes');
  expect(engine.events.at(-1)).toMatchObject({
    type: 'action',
    actionId: 'vote-request-changes',
    reason: 'Testing status lacks integration tests.',
    messageId,
  });
  // Everyone else's card is updated in place too.
  await connector.waitFor((calls) =>
    calls.some(
      (call) => call.kind === 'update' && JSON.stringify(call.body).includes('Li Wei</at> requested changes'),
    ),
  );

  // Li changes her mind through an older client (Action.Submit fallback): the card is updated.
  await app.send(cardSubmit(connector.url, li, messageId, await action(li, 'vote-approve')));
  await connector.waitFor((calls) =>
    calls.some(
      (call) => call.kind === 'update' && JSON.stringify(call.body).includes('Li Wei</at> approved'),
    ),
  );

  // Priya's approval decides it (the flow needs one approval and no open request for changes).
  const last = await app.send(
    cardInvoke(connector.url, priya, messageId, 'vote-approve', await action(priya, 'vote-approve')),
  );
  expect(JSON.stringify(cardOf(last.body))).toContain('Voting closed: advanced');
  await connector.waitFor((calls) =>
    calls.some((call) => call.kind === 'post' && JSON.stringify(call.body).includes('advanced to level 4')),
  );
  const outcome = connector
    .of('post')
    .find((call) => JSON.stringify(call.body).includes('advanced to level 4'))!;
  expect(outcome.conversationId).toBe(`${CHANNEL};messageid=${messageId}`);
  expect(JSON.stringify(outcome.body)).toContain('"mentioned":{"id":"29:1li-aad","name":"Li Wei"}');
});

test("a non-reviewer's vote is refused with a message and changes nothing", async () => {
  const messageId = await installAndOpenVote();
  const updatesBefore = connector.of('update').length;
  // Max has no buttons; he sends the value from a reviewer's card.
  const forPriya = cardOf((await app.send(cardRefresh(connector.url, priya, messageId))).body);
  const refused = await app.send(
    cardInvoke(connector.url, max, messageId, 'vote-approve', {
      mltrl: 'action',
      actionId: 'vote-approve',
      value: valueOf(forPriya, 'vote-approve'),
    }),
  );
  expect(refused.status).toBe(200);
  expect(refused.body).toEqual({
    statusCode: 200,
    type: 'application/vnd.microsoft.activity.message',
    value: 'Only the reviewers named on the R07.2 card can vote; your vote was not counted.',
  });
  expect(connector.of('update')).toHaveLength(updatesBefore);
});

test('a malformed card action is answered with a message and never reaches the engine', async () => {
  const messageId = await installAndOpenVote();
  const before = engine.events.length;
  const response = await app.send(
    cardInvoke(connector.url, priya, messageId, 'vote-approve', {
      mltrl: 'action',
      actionId: 'x'.repeat(65),
    }),
  );
  expect(response.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
  expect(engine.events).toHaveLength(before);
});

test('a body that is not an activity gets 400; a non-loopback serviceUrl in local mode too', async () => {
  expect((await app.send({ type: 'message', text: 'no conversation' })).status).toBe(400);
  const foreign = channelMention('https://attacker.example.net/', sam, 'review R07.2');
  expect((await app.send(foreign)).status).toBe(400);
  expect(engine.events).toHaveLength(0);
});

test('local mode refuses requests relayed by a proxy', async () => {
  const relayed = await app.send(channelMention(connector.url, sam, 'review R07.2'), {
    'x-forwarded-for': '203.0.113.7',
  });
  expect(relayed.status).toBe(403);
  expect(engine.events).toHaveLength(0);
});

test('removing the bot drops the reference; later posts fail permanently', async () => {
  await installAndOpenVote();
  await app.send(uninstallFromTeam(connector.url, sam));
  expect(await app.keys()).not.toContain(`${app.keyPrefix}:teams:conv:${CHANNEL}`);
  await expect(
    app.platform.chat.post(engine.vote!.conversationId, { kind: 'notice', text: 'x', blocks: [] }),
  ).rejects.toMatchObject({
    code: 'delivery-permanent',
  });
});

test('403 from the connector: permanent, and the reference is dropped', async () => {
  await installAndOpenVote();
  connector.fail('post', 403);
  await expect(
    app.platform.chat.post(engine.vote!.conversationId, { kind: 'notice', text: 'x', blocks: [] }),
  ).rejects.toMatchObject({
    code: 'delivery-permanent',
    reason: 'bot-not-in-conversation',
  });
  expect(await app.keys()).not.toContain(`${app.keyPrefix}:teams:conv:${CHANNEL}`);
});

test('429 maps to RateLimitedError with Retry-After; 502 and 412 are transient', async () => {
  await installAndOpenVote();
  const conversationId = engine.vote!.conversationId;
  const notice = { kind: 'notice' as const, text: 'x', blocks: [] };
  connector.fail('post', 429, { 'Retry-After': '3' });
  await expect(app.platform.chat.post(conversationId, notice)).rejects.toMatchObject({
    code: 'rate-limited',
    retryAfterMs: 3000,
  });
  connector.fail('post', 502);
  await expect(app.platform.chat.post(conversationId, notice)).rejects.toMatchObject({
    code: 'delivery-transient',
  });
  connector.fail('update', 412);
  await expect(app.platform.chat.update(engine.vote!, notice)).rejects.toMatchObject({
    code: 'delivery-transient',
  });
});

test('a direct message opens a 1:1 chat through the connector, then reuses it', async () => {
  await installAndOpenVote();
  const nudge = {
    kind: 'nudge' as const,
    text: 'R07.2 is waiting on you',
    blocks: [{ type: 'text' as const, text: 'R07.2 is waiting on you' }],
  };
  await app.platform.chat.directMessage(priya.id, nudge);
  await app.platform.chat.directMessage(priya.id, nudge);
  // Only Priya's chat counts: the review itself may have written to others already.
  const chats = connector
    .of('create-conversation')
    .filter((call) => JSON.stringify(call.body.members) === JSON.stringify([{ id: priya.id }]));
  const [created] = chats;
  expect(chats).toHaveLength(1);
  expect(created.body).toMatchObject({
    isGroup: false,
    members: [{ id: priya.id }],
    tenantId: TENANT,
    agent: { id: BOT.id },
  });
  expect(
    connector.of('post').filter((call) => call.conversationId === `a:personal-${priya.id}`),
  ).toHaveLength(2);
});

test('people: e-mail to Teams user through the roster, then from the cache', async () => {
  await app.send(installInTeam(connector.url, sam));
  const people = app.platform.people!;
  expect(await people.lookupByEmail('Priya@example.org')).toMatchObject({
    userId: priya.id,
    name: 'Priya Nair',
    email: 'priya@example.org',
  });
  const lookups = connector.of('get-member').length;
  expect(await people.lookupByEmail('priya@example.org')).toMatchObject({ userId: priya.id });
  expect(connector.of('get-member')).toHaveLength(lookups);
  expect(await people.lookupByEmail('nobody@example.org')).toBeUndefined();
  // Someone who wrote to the bot: their client's time zone and language are remembered.
  await app.send(personalMessage(connector.url, li, 'help'));
  expect(await people.profile(li.id)).toMatchObject({
    email: 'li@example.org',
    tz: 'Europe/Berlin',
    locale: 'en-US',
  });
});

test('people named by AAD object id (people.yaml teamsId) still get their buttons', async () => {
  await app.send(installInTeam(connector.url, sam));
  await app.send(channelMention(connector.url, priya, 'status')); // Priya's profile comes from the roster
  const conversationId = (engine.events[0] as CommandEvent).conversationId;
  const vote = goldenMessage(await runCeremony({ platform: 'teams', until: 'vote' }), 'vote');
  const posted = await app.platform.chat.post(conversationId, {
    ...vote,
    actionableBy: [priya.aadObjectId],
  });
  const shared = connector.of('post').at(-1)!;
  expect(JSON.stringify(shared.body)).toContain(`"userIds":["${priya.id}"]`);
  const forPriya = await app.send(cardRefresh(connector.url, priya, posted.messageId));
  expect(verbsOf(cardOf(forPriya.body))).toContain('vote-approve');
});

test('installationUpdate stores the reference without a second hello; its remove drops it', async () => {
  const install = {
    ...installInTeam(connector.url, sam),
    type: 'installationUpdate',
    action: 'add',
    membersAdded: undefined,
  };
  expect((await app.send(install)).status).toBe(200);
  expect(await app.keys()).toContain(`${app.keyPrefix}:teams:conv:${CHANNEL}`);
  expect(connector.of('post')).toHaveLength(0);
  await app.send({ ...install, action: 'remove' });
  expect(await app.keys()).not.toContain(`${app.keyPrefix}:teams:conv:${CHANNEL}`);
});
