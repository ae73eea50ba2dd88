import { startAppHarness, type AppHarness } from '../support/app-harness';
import { FakeBotConnector } from '../support/fake-bot-connector';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fake-slack-api';
import { cardInvoke, TENANT } from '../teams/support/teams-activities';

/**
 * Requests the payload fuzz (fuzz.ts) found answered badly, kept whole and sent again through the whole
 * app: every refusal is a 4xx whose body says what is wrong, never an empty body or a dropped connection.
 */
jest.setTimeout(120000);

const max = {
  id: '29:1max-aad',
  name: 'max',
  aadObjectId: '00000000-0000-4000-8000-max000000000',
  email: 'max@example.org',
  userPrincipalName: 'max@example.org',
  tenantId: TENANT,
};

let slack: FakeSlackApi;
let connector: FakeBotConnector;
let harness: AppHarness;
beforeAll(async () => {
  slack = await startFakeSlackApi();
  connector = await new FakeBotConnector([max]).start();
  harness = await startAppHarness({
    env: {
      SLACK_SIGNING_SECRET: 'findings-secret',
      SLACK_BOT_TOKEN: 'xoxb-findings',
      SLACK_API_URL: slack.apiUrl,
      TEAMS_LOCAL: 'true',
    },
  });
});
afterAll(async () => {
  await harness?.stop();
  await connector?.stop();
  await slack?.close();
});

async function postTeams(activity: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(`${harness.baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  return { status: response.status, text: await response.text() };
}

const invoke = () =>
  cardInvoke(connector.url, max, 'f:vote', 'vote-approve', {
    mltrl: 'action',
    actionId: 'vote-approve',
    value: 'v1|RV01|approve',
  }) as unknown as Record<string, unknown>;

// Fuzz input 1493 (seed 14): a card invoke whose `conversation` was removed got 400 with an empty body.
test.each([
  ['without a conversation', { conversation: undefined }, 'conversation.id'],
  ['with an empty conversation id', { conversation: { id: '' } }, 'conversation.id'],
  ['with a conversation that is null', { conversation: null }, 'conversation.id'],
  ['with an empty type', { type: '' }, 'type'],
])('a Teams card invoke %s: 400 naming the field', async (_name, change, field) => {
  const answer = await postTeams({ ...invoke(), ...change });
  expect(answer.status).toBe(400);
  expect(JSON.parse(answer.text)).toEqual({ error: expect.stringContaining(field) });
});
