import type { Installation } from '@slack/bolt';
import { PermanentDeliveryError } from '../../src/core/errors';
import { RedisInstallationStore } from '../../src/platforms/slack/redis-installation-store';
import { eventBody, FORM, JSON_TYPE, slashCommandBody } from '../support/slack-requests';
import { startSlackTestApp, type SlackTestApp } from './support/slack-test-app';

const notice = { kind: 'notice' as const, text: 'hello', blocks: [{ type: 'text' as const, text: 'hello' }] };

function installation(teamId: string, token: string): Installation {
  return {
    team: { id: teamId, name: teamId },
    enterprise: undefined,
    user: { id: 'UADMIN', token: undefined, scopes: undefined },
    bot: { token, scopes: ['chat:write'], id: 'BBOT', userId: 'UBOT' },
    isEnterpriseInstall: false,
    authVersion: 'v2',
  };
}

let slack: SlackTestApp;
let store: RedisInstallationStore;

beforeEach(async () => {
  slack = await startSlackTestApp({
    SLACK_BOT_TOKEN: '',
    SLACK_CLIENT_ID: '123.456',
    SLACK_CLIENT_SECRET: 'client-secret',
    SLACK_STATE_SECRET: 'state-secret',
  });
  store = new RedisInstallationStore(slack.redis, slack.keyPrefix);
  await store.storeInstallation(installation('T0002', 'xoxb-team-two'));
  slack.fake.addUser({ id: 'UWEN', name: 'wen' });
});

afterEach(async () => {
  await slack.close();
});

describe('OAuth installs for several workspaces', () => {
  test('each workspace is served with its own bot token', async () => {
    const body = slashCommandBody({
      text: 'help',
      userId: 'UWEN',
      teamId: 'T0002',
      responseUrl: slack.fake.responseUrl('c'),
    });
    expect((await slack.post('/slack/events', slack.signed(body, FORM))).status).toBe(200);
    await slack.fake.waitFor(() => slack.engine.events.length === 1);
    expect(slack.engine.events[0].conversationId).toBe('slack:T0002:C0REVIEWS');
    expect(slack.fake.calls('users.info')[0].token).toBe('xoxb-team-two');
    await slack.platform.chat.post('slack:T0002:C0REVIEWS', notice);
    expect(slack.fake.calls('chat.postMessage')[0].token).toBe('xoxb-team-two');
  });

  test('a workspace without an installation is a permanent delivery failure', async () => {
    const error = await slack.platform.chat.post('slack:T0009:C1', notice).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect((error as PermanentDeliveryError).reason).toBe('no_installation');
  });

  test('app_uninstalled and tokens_revoked remove the installation', async () => {
    await store.storeInstallation(installation('T0003', 'xoxb-team-three'));
    const uninstalled = eventBody('T0002', { type: 'app_uninstalled', event_ts: '1700000000.2' });
    expect((await slack.post('/slack/events', slack.signed(uninstalled, JSON_TYPE))).status).toBe(200);
    const revoked = eventBody('T0003', {
      type: 'tokens_revoked',
      tokens: { bot: ['UBOT'] },
      event_ts: '1700000000.3',
    });
    expect((await slack.post('/slack/events', slack.signed(revoked, JSON_TYPE))).status).toBe(200);
    const deadline = Date.now() + 5000;
    while ((await store.installedIds()).length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await store.installedIds()).toEqual([]);
    expect(await store.find({ teamId: 'T0002' })).toBeUndefined();
    await expect(slack.platform.chat.post('slack:T0002:C1', notice)).rejects.toBeInstanceOf(
      PermanentDeliveryError,
    );
  });

  test('/slack/install sends the installer to Slack with our scopes', async () => {
    const response = await fetch(`${slack.url}/slack/install`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('client_id')).toBe('123.456');
    expect(location.searchParams.get('scope')).toContain('commands');
    expect(location.searchParams.get('state')).toBeTruthy();
  });
});

test('the OAuth callback stores the new workspace installation in Redis', async () => {
  slack.fake.answerWith('oauth.v2.access', {
    ok: true,
    app_id: 'A0MLTRL',
    authed_user: { id: 'UADMIN' },
    scope: 'commands,chat:write',
    token_type: 'bot',
    access_token: 'xoxb-team-five',
    bot_user_id: 'UBOT',
    team: { id: 'T0005', name: 'Five' },
    enterprise: null,
    is_enterprise_install: false,
  });
  const install = await fetch(`${slack.url}/slack/install`, { redirect: 'manual' });
  const state = new URL(install.headers.get('location')!).searchParams.get('state')!;
  const cookie = (install.headers.get('set-cookie') ?? '').split(';')[0];
  const callback = await fetch(
    `${slack.url}/slack/oauth_redirect?code=code-1&state=${encodeURIComponent(state)}`,
    {
      headers: { cookie },
      redirect: 'manual',
    },
  );
  expect(callback.status).toBe(200);
  expect(slack.fake.calls('oauth.v2.access')[0].args).toMatchObject({ code: 'code-1', client_id: '123.456' });
  expect((await store.find({ teamId: 'T0005' }))?.bot?.token).toBe('xoxb-team-five');
  await slack.platform.chat.post('slack:T0005:C1', notice);
  expect(slack.fake.calls('chat.postMessage').at(-1)!.token).toBe('xoxb-team-five');
});

test('an OAuth callback with a forged state stores nothing', async () => {
  const callback = await fetch(`${slack.url}/slack/oauth_redirect?code=code-1&state=forged`, {
    redirect: 'manual',
  });
  expect(callback.status).toBeGreaterThanOrEqual(400);
  expect(slack.fake.calls('oauth.v2.access')).toHaveLength(0);
  expect(await store.installedIds()).toEqual(['team:T0002']);
});

describe('mentions', () => {
  test('@mltrl <words> in a channel is a command in that channel and thread', async () => {
    const mention = eventBody('T0002', {
      type: 'app_mention',
      user: 'UWEN',
      text: '<@UBOT> status R07.2',
      ts: '1700000000.5',
      thread_ts: '1700000000.4',
      channel: 'C0REVIEWS',
      event_ts: '1700000000.5',
    });
    expect((await slack.post('/slack/events', slack.signed(mention, JSON_TYPE))).status).toBe(200);
    await slack.fake.waitFor(() => slack.engine.events.length === 1);
    expect(slack.engine.events[0]).toMatchObject({
      type: 'command',
      text: 'status R07.2',
      threadId: '1700000000.4',
      conversationId: 'slack:T0002:C0REVIEWS',
    });
  });
});
