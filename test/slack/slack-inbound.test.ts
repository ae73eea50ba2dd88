import type { ActionEvent, CommandEvent } from '../../src/core/events';
import {
  blockActionBody,
  eventBody,
  FORM,
  JSON_TYPE,
  slashCommandBody,
  viewSubmissionBody,
} from '../support/slack-requests';
import { startSlackTestApp, type SlackTestApp } from './support/slack-test-app';

const usage = {
  kind: 'usage' as const,
  text: 'Usage: /mltrl review <project>',
  blocks: [{ type: 'text' as const, text: 'Usage: /mltrl review <project>' }],
};

let slack: SlackTestApp;

beforeEach(async () => {
  slack = await startSlackTestApp();
  slack.fake.addUser({
    id: 'USAM',
    name: 'sam',
    realName: 'Sam Okafor',
    tz: 'Europe/Berlin',
    locale: 'de-DE',
    email: 'sam@example.org',
  });
  slack.fake.addUser({
    id: 'UPRIYA',
    name: 'priya',
    realName: 'Priya Nair',
    tz: 'Asia/Kolkata',
    locale: 'en-GB',
  });
});

afterEach(async () => {
  await slack.close();
});

function command(text: string, userId = 'USAM') {
  return slack.signed(
    slashCommandBody({ text, userId, responseUrl: slack.fake.responseUrl(`cmd-${userId}`) }),
    FORM,
  );
}

describe('the /mltrl slash command', () => {
  test('is acknowledged, reaches the engine with the actor profile, and answers privately', async () => {
    slack.engine.answer = () => ({ ephemeral: [usage] });
    const response = await slack.post('/slack/events', command('gibberish words'));
    expect(response.status).toBe(200);
    const calls = await slack.fake.waitFor((all) => all.some((call) => call.method === 'respond'));
    const event = slack.engine.events[0] as CommandEvent;
    expect(event).toMatchObject({
      type: 'command',
      text: 'gibberish words',
      conversationId: 'slack:T0001:C0REVIEWS',
      actor: { platform: 'slack', userId: 'USAM', name: 'Sam Okafor', tz: 'Europe/Berlin', locale: 'de-DE' },
    });
    const respond = calls.find((call) => call.method === 'respond')!;
    expect(respond.args).toMatchObject({
      response_type: 'ephemeral',
      text: 'Usage: /mltrl review &lt;project&gt;',
    });
  });

  test('acks never wait for the engine: a burst is acknowledged while the engine is held, answered after', async () => {
    slack.engine.answer = () => ({ ephemeral: [usage] });
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const handle = slack.engine.handle.bind(slack.engine);
    slack.engine.handle = async (event) => {
      await held;
      return handle(event);
    };
    // Were any ack waiting for the engine, these requests would never complete and the test would time out.
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => slack.post('/slack/events', command('help'))),
    );
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(slack.fake.calls('respond')).toHaveLength(0);
    release();
    await slack.fake.waitFor((calls) => calls.filter((call) => call.method === 'respond').length === 12);
    expect(slack.engine.events).toHaveLength(12);
  });

  test('looks up the caller profile once and then reads it from the cache', async () => {
    await slack.post('/slack/events', command('help'));
    await slack.post('/slack/events', command('help'));
    await slack.fake.waitFor(() => slack.engine.events.length === 2);
    expect(slack.fake.calls('users.info')).toHaveLength(1);
  });

  test('a forged signature or a stale or future timestamp gets 401 and reaches nobody', async () => {
    const forged = command('review R07.2');
    forged.headers['x-slack-signature'] = 'v0=' + '0'.repeat(64);
    const stale = slack.signed(
      slashCommandBody({ text: 'review R07.2', userId: 'USAM', responseUrl: slack.fake.responseUrl('x') }),
      FORM,
      Math.floor(Date.now() / 1000) - 6 * 60,
    );
    const future = slack.signed(
      slashCommandBody({ text: 'review R07.2', userId: 'USAM', responseUrl: slack.fake.responseUrl('x') }),
      FORM,
      Math.floor(Date.now() / 1000) + 6 * 60,
    );
    const unsigned = { body: forged.body, headers: { 'content-type': FORM } };
    for (const request of [forged, stale, future, unsigned]) {
      expect((await slack.post('/slack/events', request)).status).toBe(401);
    }
    // Refused before anything is stored: with the answers in, Redis holds nothing.
    expect(await slack.redis.keys(`${slack.keyPrefix}:*`)).toEqual([]);
    // A genuine command after them takes the same path: once it is answered, a refused one let through
    // would have reached the engine and Slack before it.
    slack.engine.answer = () => ({ ephemeral: [usage] });
    const sentinelUrl = slack.fake.responseUrl('sentinel');
    const sentinelPath = new URL(sentinelUrl).pathname;
    const sentinel = slashCommandBody({ text: 'help', userId: 'USAM', responseUrl: sentinelUrl });
    expect((await slack.post('/slack/events', slack.signed(sentinel, FORM))).status).toBe(200);
    await slack.fake.waitFor((all) => all.some((call) => call.args.responseUrl === sentinelPath));
    expect(slack.engine.events.map((event) => (event as CommandEvent).text)).toEqual(['help']);
    expect(slack.fake.calls().map((call) => [call.method, call.args.responseUrl])).toEqual([
      ['users.info', undefined],
      ['respond', sentinelPath],
    ]);
  });

  test('an oversized request is refused with 413 and reaches nobody', async () => {
    const huge = slashCommandBody({
      text: 'x'.repeat(1_100_000),
      userId: 'USAM',
      responseUrl: slack.fake.responseUrl('big'),
    });
    expect((await slack.post('/slack/events', slack.signed(huge, FORM))).status).toBe(413);
    expect(slack.engine.events).toHaveLength(0);
  });

  test('an engine failure becomes a one-line private apology, never a stack trace', async () => {
    slack.engine.answer = () => {
      throw new Error('boom at engine.ts:42');
    };
    await slack.post('/slack/events', command('review R07.2'));
    const calls = await slack.fake.waitFor((all) => all.some((call) => call.method === 'respond'));
    const text = String(calls.find((call) => call.method === 'respond')!.args.text);
    // Sam's Slack locale is de-DE, so the apology comes from the German catalog.
    expect(text).toMatch(/Bei uns ist etwas schiefgegangen/);
    expect(text).not.toMatch(/boom|engine\.ts/);
  });
});

describe('buttons and the reason modal', () => {
  test('a click reaches the engine as an action and a refusal goes only to the clicker', async () => {
    const refusal = {
      kind: 'error' as const,
      text: 'Only reviewers of R07.2 can vote.',
      blocks: [{ type: 'text' as const, text: 'Only reviewers of R07.2 can vote.' }],
    };
    slack.engine.answer = () => ({ ephemeral: [refusal] });
    const body = blockActionBody({
      userId: 'USAM',
      actionId: 'mltrl:vote-approve',
      value: 'rv:R07.2:3',
      messageTs: '1700000000.000042',
      responseUrl: slack.fake.responseUrl('act'),
    });
    expect((await slack.post('/slack/events', slack.signed(body, FORM))).status).toBe(200);
    const calls = await slack.fake.waitFor((all) => all.some((call) => call.method === 'respond'));
    expect(slack.engine.events[0] as ActionEvent).toMatchObject({
      type: 'action',
      actionId: 'vote-approve',
      value: 'rv:R07.2:3',
      messageId: '1700000000.000042',
      conversationId: 'slack:T0001:C0REVIEWS',
      actor: { userId: 'USAM' },
    });
    expect(calls.find((call) => call.method === 'respond')!.args).toMatchObject({
      response_type: 'ephemeral',
      replace_original: false,
      text: 'Only reviewers of R07.2 can vote.',
    });
  });

  test('request changes opens a modal; its submission carries the reason to the engine', async () => {
    const click = blockActionBody({
      userId: 'UPRIYA',
      actionId: 'mltrl:reason:vote-request-changes',
      value: 'rv:R07.2:3',
      messageTs: '1700000000.000042',
      responseUrl: slack.fake.responseUrl('act'),
    });
    await slack.post('/slack/events', slack.signed(click, FORM));
    const calls = await slack.fake.waitFor((all) => all.some((call) => call.method === 'views.open'));
    expect(slack.engine.events).toHaveLength(0);
    const view = calls.find((call) => call.method === 'views.open')!.args.view as {
      callback_id: string;
      private_metadata: string;
      title: { text: string };
    };
    expect(view.title.text).toBe('Request changes');

    const empty = viewSubmissionBody({
      userId: 'UPRIYA',
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: { reason: { 'reason-input': { type: 'plain_text_input', value: '   ' } } },
    });
    const refused = await slack.post('/slack/events', slack.signed(empty, FORM));
    expect(JSON.parse(refused.body)).toMatchObject({
      response_action: 'errors',
      errors: { reason: expect.any(String) },
    });
    expect(slack.engine.events).toHaveLength(0);

    const submit = viewSubmissionBody({
      userId: 'UPRIYA',
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: {
        reason: {
          'reason-input': { type: 'plain_text_input', value: 'Testing status lacks integration tests.' },
        },
      },
    });
    expect((await slack.post('/slack/events', slack.signed(submit, FORM))).status).toBe(200);
    await slack.fake.waitFor(() => slack.engine.events.length === 1);
    expect(slack.engine.events[0]).toMatchObject({
      type: 'action',
      actionId: 'vote-request-changes',
      value: 'rv:R07.2:3',
      messageId: '1700000000.000042',
      conversationId: 'slack:T0001:C0REVIEWS',
      reason: 'Testing status lacks integration tests.',
      actor: { userId: 'UPRIYA' },
    });
  });

  test('a switchback choice sends the selected level', async () => {
    const pick = blockActionBody({
      userId: 'UPRIYA',
      actionId: 'mltrl:vote-switchback',
      selectedValue: 'rv:R07.2:switch:2',
      responseUrl: slack.fake.responseUrl('sel'),
    });
    await slack.post('/slack/events', slack.signed(pick, FORM));
    await slack.fake.waitFor(() => slack.engine.events.length === 1);
    expect(slack.engine.events[0]).toMatchObject({ actionId: 'vote-switchback', value: 'rv:R07.2:switch:2' });
  });
});

describe('events', () => {
  test('opening App Home publishes the viewer home view', async () => {
    const body = eventBody('T0001', {
      type: 'app_home_opened',
      user: 'USAM',
      channel: 'D0SAM',
      tab: 'home',
      event_ts: '1700000000.1',
    });
    expect((await slack.post('/slack/events', slack.signed(body, JSON_TYPE))).status).toBe(200);
    const calls = await slack.fake.waitFor((all) => all.some((call) => call.method === 'views.publish'));
    const publish = calls.find((call) => call.method === 'views.publish')!;
    expect(publish.args.user_id).toBe('USAM');
    expect(publish.args.view).toMatchObject({
      type: 'home',
      blocks: [{ type: 'header' }, { type: 'section' }],
    });
    expect(slack.engine.homes[0]).toMatchObject({ userId: 'USAM', tz: 'Europe/Berlin' });
  });

  test('answers the URL verification challenge', async () => {
    const body = JSON.stringify({ token: 't', challenge: 'abc123', type: 'url_verification' });
    const response = await slack.post('/slack/events', slack.signed(body, JSON_TYPE));
    expect(JSON.parse(response.body)).toEqual({ challenge: 'abc123' });
  });
});
