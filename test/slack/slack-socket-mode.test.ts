import { Metrics } from '../../src/observability/metrics';
import { silentLogger } from '../../src/logging/logger';
import { startFakeSocketModeServer, type FakeSocketModeServer } from './support/fake-socket-mode-server';
import { startSlackTestApp, type SlackTestApp } from './support/slack-test-app';

let slack: SlackTestApp;
let socketServer: FakeSocketModeServer;
let metrics: Metrics;

beforeEach(async () => {
  socketServer = await startFakeSocketModeServer();
  metrics = new Metrics({ logger: silentLogger });
  slack = await startSlackTestApp({ SLACK_APP_TOKEN: 'xapp-test', SLACK_SIGNING_SECRET: '' }, { metrics });
  slack.fake.answerWith('apps.connections.open', { ok: true, url: socketServer.url });
  slack.fake.addUser({ id: 'USAM', name: 'sam', tz: 'Europe/London', locale: 'en-GB' });
});

afterEach(async () => {
  await slack.platform.stop?.();
  await slack.close();
  await socketServer.close();
});

test('with SLACK_APP_TOKEN the bot takes commands over Socket Mode and acks each envelope', async () => {
  // The first apps.connections.open fails: the Socket Mode client must keep trying (our delivery calls don't).
  slack.fake.fail('apps.connections.open', { status: 500 }, 1);
  await slack.platform.start?.();
  await socketServer.connected();
  const opens = slack.fake.calls('apps.connections.open');
  expect(opens.map((call) => call.failed)).toEqual(['http-500', undefined]);
  expect(opens[1].token).toBe('xapp-test');
  // No HTTP endpoint in Socket Mode: nothing is mounted at /slack/events.
  const http = await fetch(`${slack.url}/slack/events`, { method: 'POST', body: '{}' });
  expect(http.status).toBe(404);

  socketServer.send({
    envelope_id: 'env-1',
    type: 'slash_commands',
    accepts_response_payload: true,
    payload: {
      token: 'deprecated',
      team_id: 'T0001',
      channel_id: 'C0REVIEWS',
      user_id: 'USAM',
      user_name: 'sam',
      command: '/mltrl',
      text: 'status R07.2',
      api_app_id: 'A0MLTRL',
      response_url: slack.fake.responseUrl('socket'),
      trigger_id: 'trigger-1',
    },
  });
  await slack.fake.waitFor(() => slack.engine.events.length === 1);
  expect(slack.engine.events[0]).toMatchObject({
    type: 'command',
    text: 'status R07.2',
    conversationId: 'slack:T0001:C0REVIEWS',
  });
  const deadline = Date.now() + 5000;
  while (!socketServer.received.some((message) => message.envelope_id === 'env-1') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(socketServer.received.some((message) => message.envelope_id === 'env-1')).toBe(true);
  // The ack was timed into the Slack ack histogram, as HTTP acks are.
  const acks = (await metrics.slackAck.get()).values.find(
    (value) => value.metricName === 'mltrl_slack_ack_seconds_count' && value.labels.status === 'socket',
  );
  expect(acks?.value).toBe(1);
});
