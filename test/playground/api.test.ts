import { startPlayground, voteMessage, type RunningPlayground } from './playground-fixture';

// Response bodies are checked field by field below; a loose type keeps the assertions readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
type Row = { id: string; label?: string; tz?: string; message: { text: string }; visibleTo?: string };

let pg: RunningPlayground;
beforeEach(async () => {
  pg = await startPlayground();
});
afterEach(async () => {
  await pg.close();
});

async function call(method: string, path: string, body?: unknown, raw?: string) {
  const response = await fetch(pg.url + '/playground/api' + path, {
    method,
    headers: body !== undefined || raw !== undefined ? { 'Content-Type': 'application/json' } : {},
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

async function postVote() {
  return pg.platform.chat.post('playground:ml-reviews', voteMessage);
}

describe('reading', () => {
  test('GET /people lists everyone with a role label', async () => {
    const { status, body } = await call('GET', '/people');
    expect(status).toBe(200);
    expect(body.people.map((p: Row) => p.id)).toEqual(['ana', 'priya', 'lee', 'max']);
    expect(body.people.find((p: Row) => p.id === 'lee').label).toBe('admin');
    expect(body.people.find((p: Row) => p.id === 'max').label).toBe('outsider');
    expect(body.people.find((p: Row) => p.id === 'ana').tz).toBe('Europe/Berlin');
  });

  test('GET /conversations gives the channels and only the person’s own DM', async () => {
    const { status, body } = await call('GET', '/conversations?as=ana');
    expect(status).toBe(200);
    expect(body.conversations.map((c: Row) => c.id)).toEqual([
      'playground:ml-reviews',
      'playground:ml-leads',
      'playground:dm-ana',
    ]);
  });

  test('GET messages shows posts with replies, versions and only the viewer’s ephemerals', async () => {
    const vote = await postVote();
    await pg.platform.chat.post(
      'playground:ml-reviews',
      { kind: 'notice', text: 'in thread', blocks: [] },
      vote.messageId,
    );
    await pg.platform.chat.update(vote, { ...voteMessage, text: 'updated tally' });
    await pg.platform.chat.ephemeral('playground:ml-reviews', 'max', {
      kind: 'error',
      text: 'only max',
      blocks: [],
    });
    const asAna = await call('GET', '/conversations/playground:ml-reviews/messages?as=ana');
    expect(asAna.status).toBe(200);
    expect(asAna.body.messages).toHaveLength(1);
    expect(asAna.body.messages[0]).toMatchObject({
      id: vote.messageId,
      version: 2,
      message: { text: 'updated tally' },
    });
    expect(asAna.body.messages[0].replies.map((r: Row) => r.message.text)).toEqual(['in thread']);
    const asMax = await call('GET', '/conversations/ml-reviews/messages?as=max');
    expect(asMax.body.messages.map((m: Row) => m.message.text)).toEqual(['updated tally', 'only max']);
    expect(asMax.body.messages[1].visibleTo).toBe('max');
  });

  test('GET /home is the engine’s home view for that person', async () => {
    const { status, body } = await call('GET', '/home?as=priya');
    expect(status).toBe(200);
    expect(body.message).toMatchObject({ kind: 'portfolio', text: 'Waiting on <@priya>: nothing' });
    expect((await call('GET', '/home?as=nobody')).body.error.code).toBe('unknown-person');
  });

  test('GET /clock says the time and that it can be moved', async () => {
    const { status, body } = await call('GET', '/clock');
    expect(status).toBe(200);
    expect(body).toEqual({ now: '2026-11-24T08:14:00.000Z', tz: 'UTC', controllable: true });
  });
});

describe('acting', () => {
  test('a /mltrl command reaches the engine as the person, and its reply is private to them', async () => {
    const { status, body } = await call('POST', '/conversations/playground:ml-reviews/commands', {
      as: 'ana',
      text: '  /mltrl review R07.2 ',
    });
    expect(status).toBe(200);
    expect(pg.engine.events).toEqual([
      {
        type: 'command',
        actor: expect.objectContaining({
          platform: 'playground',
          userId: 'ana',
          name: 'Ana Lima',
          tz: 'Europe/Berlin',
        }),
        conversationId: 'playground:ml-reviews',
        text: 'review R07.2',
      },
    ]);
    expect(body.ephemeral[0]).toMatchObject({
      visibleTo: 'ana',
      message: { text: 'got command "review R07.2"' },
    });
    const asPriya = await call('GET', '/conversations/playground:ml-reviews/messages?as=priya');
    expect(asPriya.body.messages).toEqual([]);
  });

  test('a click reaches the engine with the message, action, value and reason', async () => {
    const vote = await postVote();
    const { status } = await call('POST', `/messages/${vote.messageId}/actions`, {
      as: 'priya',
      actionId: 'vote-request-changes',
      value: 'r1:changes',
      reason: 'Needs integration tests',
    });
    expect(status).toBe(200);
    expect(pg.engine.events[0]).toMatchObject({
      type: 'action',
      actor: { userId: 'priya' },
      conversationId: 'playground:ml-reviews',
      messageId: vote.messageId,
      actionId: 'vote-request-changes',
      value: 'r1:changes',
      reason: 'Needs integration tests',
    });
  });

  test('a select choice is an action too', async () => {
    const vote = await postVote();
    const { status } = await call('POST', `/messages/${vote.messageId}/actions`, {
      as: 'priya',
      actionId: 'vote-switchback',
      value: 'r1:switch:2',
    });
    expect(status).toBe(200);
    expect(pg.engine.events[0]).toMatchObject({ actionId: 'vote-switchback', value: 'r1:switch:2' });
  });

  test('POST /clock/advance moves the clock through the clock control', async () => {
    const { status, body } = await call('POST', '/clock/advance', { hours: 24 });
    expect(status).toBe(200);
    expect(pg.clock.advanced).toEqual([86_400_000]);
    expect(body.now).toBe('2026-11-25T08:14:00.000Z');
  });
});

describe('bad input changes nothing and says what is wrong', () => {
  const cases: Array<[string, string, string, unknown, number, string]> = [
    ['unknown person (GET)', 'GET', '/conversations?as=nobody', undefined, 404, 'unknown-person'],
    ['missing as', 'GET', '/conversations', undefined, 400, 'invalid-input'],
    [
      'unknown conversation',
      'GET',
      '/conversations/playground:nope/messages?as=ana',
      undefined,
      404,
      'unknown-conversation',
    ],
    [
      'someone else’s DM',
      'GET',
      '/conversations/playground:dm-ana/messages?as=max',
      undefined,
      403,
      'forbidden-conversation',
    ],
    [
      'unknown person (command)',
      'POST',
      '/conversations/ml-reviews/commands',
      { as: 'nobody', text: '/mltrl help' },
      404,
      'unknown-person',
    ],
    ['missing text', 'POST', '/conversations/ml-reviews/commands', { as: 'ana' }, 400, 'invalid-input'],
    [
      'not a command',
      'POST',
      '/conversations/ml-reviews/commands',
      { as: 'ana', text: 'hello' },
      400,
      'not-a-command',
    ],
    [
      'another slash command',
      'POST',
      '/conversations/ml-reviews/commands',
      { as: 'ana', text: '/mltrlx help' },
      400,
      'not-a-command',
    ],
    [
      'oversized text',
      'POST',
      '/conversations/ml-reviews/commands',
      { as: 'ana', text: '/mltrl ' + 'x'.repeat(5000) },
      413,
      'too-large',
    ],
    [
      'unknown thread',
      'POST',
      '/conversations/ml-reviews/commands',
      { as: 'ana', text: '/mltrl help', threadId: 'pm-999' },
      404,
      'unknown-message',
    ],
    [
      'unknown message',
      'POST',
      '/messages/pm-999/actions',
      { as: 'ana', actionId: 'vote-approve', value: 'x' },
      404,
      'unknown-message',
    ],
    [
      'action without value',
      'POST',
      '/messages/pm-1/actions',
      { as: 'ana', actionId: 'vote-approve' },
      400,
      'invalid-input',
    ],
    ['hours not a number', 'POST', '/clock/advance', { hours: 'soon' }, 400, 'invalid-input'],
    ['negative hours', 'POST', '/clock/advance', { hours: -1 }, 400, 'invalid-input'],
    ['unknown endpoint', 'GET', '/nothing-here', undefined, 404, 'not-found'],
  ];
  test.each(cases)('%s', async (_name, method, path, body, status, code) => {
    const response = await call(method, path, body);
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(typeof response.body.error.message).toBe('string');
    expect(response.body.error.message.length).toBeGreaterThan(10);
    expect(pg.engine.events).toEqual([]);
    expect(pg.clock.advanced).toEqual([]);
  });

  test('malformed JSON', async () => {
    const response = await call(
      'POST',
      '/conversations/ml-reviews/commands',
      undefined,
      '{"as": "ana", text',
    );
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('malformed-json');
  });

  test('a body over 16 KB', async () => {
    const response = await call('POST', '/clock/advance', { hours: 1, padding: 'x'.repeat(20_000) });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('too-large');
    expect(response.body.error.message).toBe(
      'The request is too large: the request body may be at most 16384 characters.',
    );
    expect(pg.clock.advanced).toEqual([]);
  });

  test('an action the message does not offer, and a missing reason', async () => {
    const vote = await postVote();
    const forged = await call('POST', `/messages/${vote.messageId}/actions`, {
      as: 'priya',
      actionId: 'vote-approve',
      value: 'r2:approve',
    });
    expect(forged).toMatchObject({ status: 400, body: { error: { code: 'unknown-action' } } });
    const noReason = await call('POST', `/messages/${vote.messageId}/actions`, {
      as: 'priya',
      actionId: 'vote-request-changes',
      value: 'r1:changes',
      reason: '   ',
    });
    expect(noReason).toMatchObject({ status: 400, body: { error: { code: 'reason-required' } } });
    expect(pg.engine.events).toEqual([]);
  });

  test('another person’s ephemeral message cannot be clicked', async () => {
    await pg.platform.chat.ephemeral('playground:ml-reviews', 'max', voteMessage);
    const { body } = await call('GET', '/conversations/ml-reviews/messages?as=max');
    const id = body.messages[0].id;
    const response = await call('POST', `/messages/${id}/actions`, {
      as: 'ana',
      actionId: 'vote-approve',
      value: 'r1:approve',
    });
    expect(response).toMatchObject({ status: 404, body: { error: { code: 'unknown-message' } } });
  });

  test('an engine failure is a JSON 500 without internals', async () => {
    pg.engine.failWith = new Error('redis exploded at 10.0.0.3');
    const response = await call('POST', '/conversations/ml-reviews/commands', {
      as: 'ana',
      text: '/mltrl help',
    });
    expect(response.status).toBe(500);
    expect(response.body.error.code).toBe('internal');
    expect(response.body.error.message).not.toContain('10.0.0.3');
  });
});

describe('live updates', () => {
  test('GET /events streams a change notification for a new message', async () => {
    const controller = new AbortController();
    const response = await fetch(pg.url + '/playground/api/events', { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let seen = '';
    const posted = await postVote();
    while (!seen.includes(posted.messageId)) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += decoder.decode(value);
    }
    controller.abort();
    const line = seen.split('\n').find((entry) => entry.startsWith('data: '))!;
    expect(JSON.parse(line.slice('data: '.length))).toEqual({
      type: 'message',
      conversationId: 'playground:ml-reviews',
      messageId: posted.messageId,
    });
  });
});

test('two web processes on one Redis: a post through one reaches the live pages of the other', async () => {
  const other = await startPlayground({}, pg.keyPrefix);
  const controller = new AbortController();
  try {
    const response = await fetch(other.url + '/playground/api/events', { signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read(); // the stream is open (retry line): the subscription is in place
    const posted = await postVote();
    let seen = '';
    while (!seen.includes(posted.messageId)) seen += new TextDecoder().decode((await reader.read()).value);
    const viaOther = await fetch(`${other.url}/playground/api/conversations/ml-reviews/messages?as=ana`);
    expect((await viaOther.json()).messages.map((m: Row) => m.id)).toEqual([posted.messageId]);
  } finally {
    controller.abort();
    await other.close();
  }
});

describe('the page', () => {
  test('GET / serves the page with a strict content security policy; assets load', async () => {
    const page = await fetch(pg.url + '/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('id="acting-as"');
    for (const asset of ['app.js', 'render-blocks.js', 'page-kit.js', 'style.css']) {
      expect((await fetch(`${pg.url}/playground/assets/${asset}`)).status).toBe(200);
    }
  });

  test('GET / names the page in its language before the script runs (?lang=, else the default)', async () => {
    const english = await (await fetch(pg.url + '/')).text();
    expect(english).toContain('<html lang="en">');
    expect(english).toContain('<title>mltrl-bot playground</title>');
    const japanese = await (await fetch(pg.url + '/?lang=ja')).text();
    expect(japanese).toContain('<html lang="ja">');
    expect(japanese).toContain('<title>mltrl-bot プレイグラウンド</title>');
    expect(await (await fetch(pg.url + '/?lang=pt_BR')).text()).toContain(
      '<title>Playground do mltrl-bot</title>',
    );
    // Not a language tag: the default, never the text echoed into the page.
    const odd = await (await fetch(pg.url + '/?lang=%22%3E%3Cscript%3E')).text();
    expect(odd).toContain('<html lang="en">');
    expect(odd).not.toContain('<script>');
  });

  test('GET /strings gives the page its words with templates left for the page', async () => {
    const { body } = await call('GET', '/strings');
    expect(body.strings.actingAs).toBe('Acting as');
    expect(body.strings.replies_other).toBe('{{count}} replies');
  });
});
