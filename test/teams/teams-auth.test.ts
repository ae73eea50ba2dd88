import { FakeBotConnector } from '../support/fake-bot-connector';
import { cardInvoke, channelMention, installInTeam, type TeamsUser } from './support/teams-activities';
import { startTeamsTestApp, type TeamsTestApp } from './support/teams-test-app';
import { TeamsEngine } from './support/teams-engine';

const sam: TeamsUser = {
  id: '29:1sam-aad',
  name: 'Sam Okafor',
  aadObjectId: '00000000-0000-4000-8000-000000000005',
};
const CREDENTIALS = {
  clientId: '11111111-2222-4333-8444-555555555555',
  clientSecret: 'not-a-real-secret',
  tenantId: '72f988bf-0000-4000-8000-000000000001',
};
// A JWT-shaped token whose audience is not this bot: refused before any key is fetched (no network).
const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'k1' })).toString('base64url');
const payload = Buffer.from(
  JSON.stringify({ aud: 'someone-else', iss: 'https://api.botframework.com' }),
).toString('base64url');
const WRONG_AUDIENCE = `${header}.${payload}.c2lnbmF0dXJl`;

let connector: FakeBotConnector;
let app: TeamsTestApp;
let engine: TeamsEngine;

beforeAll(async () => {
  connector = await new FakeBotConnector().start();
  engine = new TeamsEngine();
  app = await startTeamsTestApp({ engine, env: CREDENTIALS });
});

afterAll(async () => {
  await app.stop();
  await connector.stop();
});

test.each([
  ['no Authorization header', {}],
  ['a garbage bearer token', { authorization: 'Bearer garbage' }],
  ['a token for another audience', { authorization: `Bearer ${WRONG_AUDIENCE}` }],
  ['another scheme', { authorization: 'Basic c2FtOnNhbQ==' }],
])('with credentials configured, %s is answered 401 and changes nothing', async (_name, headers) => {
  for (const activity of [
    installInTeam(connector.url, sam),
    channelMention(connector.url, sam, 'review R07.2'),
    cardInvoke(connector.url, sam, 'msg-1', 'vote-approve', {
      mltrl: 'action',
      actionId: 'vote-approve',
      value: 'v',
    }),
  ]) {
    const response = await app.send(activity, headers as Record<string, string>);
    expect(response.status).toBe(401);
  }
  expect(engine.events).toHaveLength(0);
  expect(await app.keys()).toEqual([]);
  expect(connector.calls).toHaveLength(0);
});
