import { stringify } from 'node:querystring';
import { blockActionBody, eventBody, FORM, JSON_TYPE, slashCommandBody } from '../support/slack-requests';
import { waitFor } from '../jobs/support/recording-chat-port';
import { startSlackTestApp, type SlackTestApp } from './support/slack-test-app';

/**
 * Signed Slack requests (so they pass the signature check and reach our code) with bodies we cannot use:
 * each gets a 4xx at once and reaches no engine; a well-formed one nobody listens to gets an empty 200
 * (Slack's ack). Before, Bolt crashed on some (500) and waited 3 s for an ack on others, then said 404.
 */
let slack: SlackTestApp;
beforeAll(async () => {
  slack = await startSlackTestApp();
});
afterAll(() => slack.close());

const payload = (value: unknown) => stringify({ payload: JSON.stringify(value) });
const action = JSON.parse(
  new URLSearchParams(blockActionBody({ userId: 'USAM', actionId: 'mltrl:vote' })).get('payload')!,
);

const malformed: Array<[string, string, string]> = [
  ['JSON null', 'null', JSON_TYPE],
  ['a JSON array', '[]', JSON_TYPE],
  ['a JSON string', '"event_callback"', JSON_TYPE],
  ['not JSON at all', '{"type":', JSON_TYPE],
  ['an object without a type', '{}', JSON_TYPE],
  ['url_verification without a challenge', '{"type":"url_verification"}', JSON_TYPE],
  ['an event callback without an event', '{"type":"event_callback","team_id":"T0001"}', JSON_TYPE],
  ['an event without a type', '{"type":"event_callback","event":{}}', JSON_TYPE],
  [
    'app_mention without a user',
    eventBody('T0001', { type: 'app_mention', channel: 'C1', text: 'hi' }),
    JSON_TYPE,
  ],
  ['payload=null', payload(null), FORM],
  ['payload that is not JSON', stringify({ payload: '{oops' }), FORM],
  ['block_actions without a user', payload({ ...action, user: undefined }), FORM],
  ['block_actions with a user but no id', payload({ ...action, user: { name: 'sam' } }), FORM],
  ['block_actions without actions', payload({ ...action, actions: [] }), FORM],
  ['block_actions with a null action', payload({ ...action, actions: [null] }), FORM],
  ['view_submission without a view', payload({ type: 'view_submission', user: { id: 'USAM' } }), FORM],
  ['a command without a user', slashCommandBody({ text: 'help', userId: '', responseUrl: 'x' }), FORM],
  ['a form with nothing we know', stringify({ hello: 'world' }), FORM],
];

test.each(malformed)('%s: 400 at once, the engine never asked', async (_name, body, type) => {
  const before = slack.engine.events.length;
  const response = await slack.post('/slack/events', slack.signed(body, type));
  expect(response.status).toBe(400);
  expect(slack.engine.events.length).toBe(before);
});

const ignored: Array<[string, string, string]> = [
  [
    'an event type without a listener',
    eventBody('T0001', { type: 'reaction_added', user: 'USAM' }),
    JSON_TYPE,
  ],
  ['app_rate_limited', '{"type":"app_rate_limited","team_id":"T0001"}', JSON_TYPE],
  ['a shortcut payload', payload({ type: 'shortcut', user: { id: 'USAM' }, callback_id: 'x' }), FORM],
  [
    'a button of another app',
    payload({ ...action, actions: [{ ...action.actions[0], action_id: 'other' }] }),
    FORM,
  ],
  [
    'another command',
    slashCommandBody({ text: 'x', userId: 'USAM', responseUrl: 'x' }).replace('%2Fmltrl', '%2Fother'),
    FORM,
  ],
];

test.each(ignored)('%s: acknowledged at once with an empty 200, nothing done', async (_name, body, type) => {
  const before = slack.engine.events.length;
  const response = await slack.post('/slack/events', slack.signed(body, type));
  expect(response).toEqual({ status: 200, body: '' });
  expect(slack.engine.events.length).toBe(before);
});

test('an unsigned malformed body is still refused as unsigned (401), not parsed', async () => {
  const response = await slack.post('/slack/events', {
    body: 'null',
    headers: {
      'content-type': JSON_TYPE,
      'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)),
      'x-slack-signature': 'v0=bad',
    },
  });
  expect(response.status).toBe(401);
});

test('a well-formed signed command still reaches the engine', async () => {
  const response = await slack.post(
    '/slack/events',
    slack.signed(
      slashCommandBody({ text: 'help', userId: 'USAM', responseUrl: slack.fake.responseUrl('r1') }),
      FORM,
    ),
  );
  expect(response.status).toBe(200);
  // The engine runs right after the ack.
  await waitFor(async () => slack.engine.events.length > 0, 5000, 'the command reached the engine');
  expect(slack.engine.events.at(-1)).toMatchObject({ type: 'command' });
});
