import { PermanentDeliveryError, RateLimitedError } from '../../src/core/errors';
import type { OutboundMessage } from '../../src/core/messages';
import { startSlackTestApp, type SlackTestApp } from './support/slack-test-app';

const vote: OutboundMessage = {
  kind: 'vote',
  text: 'Gate vote: R07.2, level 3 -> 4',
  blocks: [
    { type: 'header', text: 'Gate vote: R07.2 Retina lesion detector, level 3 -> 4' },
    { type: 'text', text: 'Reviewers: <@UPRIYA> pending' },
    {
      type: 'actions',
      actions: [
        { type: 'button', actionId: 'vote-approve', label: 'Approve', value: 'v1', style: 'primary' },
      ],
    },
  ],
};

let slack: SlackTestApp;

beforeEach(async () => {
  slack = await startSlackTestApp();
});

afterEach(async () => {
  await slack.close();
});

describe('the Slack ChatPort', () => {
  test('posts, threads and updates in place, with rendered blocks and a text fallback', async () => {
    const chat = slack.platform.chat;
    const parent = await chat.post('slack:T0001:C0REVIEWS', vote);
    expect(parent).toEqual({
      conversationId: 'slack:T0001:C0REVIEWS',
      messageId: expect.stringMatching(/^\d+\.\d+$/),
    });
    await chat.post('slack:T0001:C0REVIEWS', { ...vote, kind: 'notice' }, parent.messageId);
    await chat.update(parent, { ...vote, text: 'Gate vote: 1 of 1 approved' });
    const [first, reply] = slack.fake.calls('chat.postMessage');
    expect(first.args).toMatchObject({ channel: 'C0REVIEWS', text: 'Gate vote: R07.2, level 3 -&gt; 4' });
    expect(first.token).toBe('xoxb-test');
    expect((first.args.blocks as unknown[]).length).toBe(3);
    expect(reply.args.thread_ts).toBe(parent.messageId);
    expect(slack.fake.calls('chat.update')[0].args).toMatchObject({
      channel: 'C0REVIEWS',
      ts: parent.messageId,
      text: 'Gate vote: 1 of 1 approved',
    });
  });

  test("links to a posted message with Slack's permalink (the decision record's vote thread)", async () => {
    const parent = await slack.platform.chat.post('slack:T0001:C0REVIEWS', vote);
    const link = await slack.platform.chat.linkTo!(parent);
    expect(link).toBe(`https://fake.example/archives/C0REVIEWS/p${parent.messageId.replace('.', '')}`);
    expect(slack.fake.calls('chat.getPermalink')[0].args).toMatchObject({
      channel: 'C0REVIEWS',
      message_ts: parent.messageId,
    });
  });

  test('a direct message opens the DM first and returns the DM conversation', async () => {
    await slack.redis.set(`${slack.keyPrefix}:slack:user-team:UANA`, 'T0001');
    const posted = await slack.platform.chat.directMessage('UANA', vote);
    expect(slack.fake.calls('conversations.open')[0].args.users).toBe('UANA');
    expect(posted.conversationId).toBe('slack:T0001:DANA');
  });

  test('an ephemeral message names channel and user', async () => {
    await slack.platform.chat.ephemeral('slack:T0001:C0REVIEWS', 'USAM', vote);
    expect(slack.fake.calls('chat.postEphemeral')[0].args).toMatchObject({
      channel: 'C0REVIEWS',
      user: 'USAM',
    });
  });

  test('an ephemeral message for an App Home click (a user id conversation) becomes a DM', async () => {
    await slack.platform.chat.ephemeral('slack:T0001:USAM', 'USAM', vote);
    expect(slack.fake.calls('chat.postEphemeral')).toHaveLength(0);
    expect(slack.fake.calls('conversations.open')[0].args.users).toBe('USAM');
    expect(slack.fake.calls('chat.postMessage')[0].args.channel).toBe('DSAM');
  });

  test('HTTP 429 becomes RateLimitedError with the Retry-After, at once', async () => {
    slack.fake.fail('chat.postMessage', { status: 429, retryAfter: 7 });
    const error = await slack.platform.chat
      .post('slack:T0001:C0REVIEWS', vote)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(7000);
    // At once: the client did not wait and retry by itself (one call reached Slack).
    expect(slack.fake.calls('chat.postMessage')).toHaveLength(1);
  });

  test.each(['channel_not_found', 'not_in_channel', 'is_archived'])(
    '%s is a permanent failure',
    async (reason) => {
      slack.fake.fail('chat.postMessage', { error: reason });
      const error = await slack.platform.chat
        .post('slack:T0001:C0GONE', vote)
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PermanentDeliveryError);
      expect((error as PermanentDeliveryError).reason).toBe(reason);
    },
  );

  test('HTTP 500 stays a transient error for the queue to retry', async () => {
    slack.fake.fail('chat.update', { status: 500 });
    const error = await slack.platform.chat
      .update({ conversationId: 'slack:T0001:C0REVIEWS', messageId: '1.2' }, vote)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(RateLimitedError);
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
  });

  test('a chart image follows the post as a file upload in its thread', async () => {
    const digest: OutboundMessage = {
      kind: 'digest',
      text: 'digest',
      blocks: [
        { type: 'image', alt: 'Projects per level', pngBase64: Buffer.from('png').toString('base64') },
      ],
    };
    const posted = await slack.platform.chat.post('slack:T0001:C0REVIEWS', digest);
    await slack.fake.waitFor((calls) => calls.some((call) => call.method === 'files.completeUploadExternal'));
    expect(slack.fake.calls('upload')).toHaveLength(1);
    expect(slack.fake.calls('files.completeUploadExternal')[0].args).toMatchObject({
      channel_id: 'C0REVIEWS',
      thread_ts: posted.messageId,
    });
  });
});

describe('Slack people', () => {
  test('resolve e-mail addresses and profiles, cached, and say undefined for strangers', async () => {
    slack.fake.addUser({
      id: 'UANA',
      name: 'ana',
      realName: 'Ana Lima',
      email: 'ana@example.org',
      tz: 'America/Sao_Paulo',
      locale: 'pt-BR',
    });
    const people = slack.platform.people!;
    expect(await people.lookupByEmail('Ana@Example.org')).toEqual({
      userId: 'UANA',
      name: 'Ana Lima',
      email: 'ana@example.org',
      tz: 'America/Sao_Paulo',
      locale: 'pt-BR',
    });
    expect(await people.profile('UANA')).toMatchObject({ tz: 'America/Sao_Paulo' });
    expect(await people.lookupByEmail('nobody@example.org')).toBeUndefined();
    expect(await people.lookupByEmail('nobody@example.org')).toBeUndefined();
    expect(slack.fake.calls('users.lookupByEmail')).toHaveLength(2);
    expect(slack.fake.calls('users.info')).toHaveLength(0);
  });
});
