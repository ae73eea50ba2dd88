import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';

/**
 * A small stand-in for Slack's Web API (and response_url endpoints) for tests and benchmarks: records
 * every call, answers like Slack does (HTTP 200 with `ok`), and can be told to fail chosen calls with
 * HTTP 429 + Retry-After, HTTP 500, or a platform error such as `channel_not_found`. It keeps the messages
 * it was sent (with their metadata) for conversations.history and conversations.replies, and can answer
 * ambiguously: store a post and answer 500 (`{ status: 500, stored: true }`), or store it and answer
 * only after a delay (`{ delayMs }`, e.g. longer than the client's time-out).
 */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  token?: string;
  at: number;
  /** Set when the fake answered with a failure: 'http-429', 'http-500' or the platform error. */
  failed?: string;
  /** What the fake answered (successful calls). */
  result?: Record<string, unknown>;
}

export interface FakeSlackUser {
  id: string;
  name: string;
  realName?: string;
  email?: string;
  tz?: string;
  locale?: string;
}

export type Failure =
  | { status: 429; retryAfter: number }
  | { status: 500; stored?: boolean }
  | { error: string }
  | { delayMs: number };

/** A message the fake keeps, as conversations.history returns it. */
export interface StoredSlackMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: unknown;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

export interface FakeSlackApi {
  /** Base URL for SLACK_API_URL, ending in /api/. */
  apiUrl: string;
  /** A response_url that records what the app posts to it (method `respond`). */
  responseUrl(id: string): string;
  calls(method?: string): RecordedCall[];
  /** The next `times` calls of `method` fail with `failure`. */
  fail(method: string, failure: Failure, times?: number): void;
  addUser(user: FakeSlackUser): void;
  /** A user group (`<!subteam^S..|@handle>`) for usergroups.users.list. */
  addUserGroup(id: string, userIds: string[]): void;
  /** Messages the fake stored (chat.postMessage), oldest first. */
  messages(): StoredSlackMessage[];
  /**
   * Every later call of `method` takes effect at once (a post is stored) and is answered after `ms` (a
   * slow platform: a worker killed meanwhile leaves a stored post it never heard about); 0 turns it off.
   */
  setLatency(method: string, ms: number): void;
  /** Decides a failure (or none) for each later call of `method`, after the `fail` queue (chaos storms). */
  failWith(method: string, pick: (() => Failure | undefined) | undefined): void;
  /** Answer every later call of `method` with `result` instead of the default. */
  answerWith(method: string, result: Record<string, unknown>): void;
  waitFor(predicate: (calls: RecordedCall[]) => boolean, timeoutMs?: number): Promise<RecordedCall[]>;
  reset(): void;
  close(): Promise<void>;
}

const TEAM_ID = 'T0001';

function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json'))
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  if (!contentType?.includes('application/x-www-form-urlencoded')) return {};
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parseQuery(raw))) {
    const text = Array.isArray(value) ? value[0] : value;
    if (text !== undefined && /^[[{]/.test(text)) {
      try {
        args[key] = JSON.parse(text);
        continue;
      } catch {
        // not JSON after all: keep the text
      }
    }
    args[key] = text;
  }
  return args;
}

export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  let calls: RecordedCall[] = [];
  let failures: Array<{ method: string; failure: Failure; left: number }> = [];
  const users = new Map<string, FakeSlackUser>();
  const userGroups = new Map<string, string[]>();
  const overrides = new Map<string, Record<string, unknown>>();
  let tsCounter = 0;
  let base = '';
  let stored: StoredSlackMessage[] = [];
  const latency = new Map<string, number>();
  const pickers = new Map<string, () => Failure | undefined>();
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Slack-like history: newest first, `oldest` exclusive, pages of `limit` with a cursor. */
  function history(args: Record<string, unknown>, thread: boolean): Record<string, unknown> {
    const channel = String(args.channel);
    const oldest = args.oldest === undefined ? 0 : Number(args.oldest);
    const inChannel = stored.filter((message) =>
      thread
        ? message.channel === channel && (message.ts === args.ts || message.thread_ts === args.ts)
        : message.channel === channel && !message.thread_ts,
    );
    const matching = inChannel.filter((message) => Number(message.ts) > oldest);
    const ordered = thread ? matching : [...matching].reverse();
    const limit = Number(args.limit ?? 100);
    const start = Number(args.cursor ?? 0);
    const page = ordered.slice(start, start + limit).map((message) => ({
      type: 'message',
      ts: message.ts,
      text: message.text,
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
      ...(args.include_all_metadata && message.metadata ? { metadata: message.metadata } : {}),
    }));
    const next = start + limit < ordered.length ? String(start + limit) : '';
    return { ok: true, messages: page, has_more: next !== '', response_metadata: { next_cursor: next } };
  }

  const userJson = (user: FakeSlackUser) => ({
    id: user.id,
    team_id: TEAM_ID,
    name: user.name,
    real_name: user.realName ?? user.name,
    tz: user.tz ?? 'UTC',
    locale: user.locale ?? 'en-US',
    profile: { email: user.email, real_name: user.realName ?? user.name },
  });

  function answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const override = overrides.get(method);
    if (override) return override;
    switch (method) {
      case 'auth.test':
        return { ok: true, team_id: TEAM_ID, user_id: 'UBOT', bot_id: 'BBOT', url: 'https://fake.example/' };
      case 'chat.postMessage': {
        tsCounter += 1;
        // Real time stamps (seconds.micro, increasing), so `oldest` in history look-ups means what it says.
        const ts = `${Math.floor(Date.now() / 1000)}.${String(tsCounter).padStart(6, '0')}`;
        const channel = String(args.channel).replace(/^U/, 'D');
        stored.push({
          channel,
          ts,
          text: args.text,
          ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
          ...(args.metadata ? { metadata: args.metadata as StoredSlackMessage['metadata'] } : {}),
        });
        return { ok: true, channel, ts, message: { ts, text: args.text } };
      }
      case 'conversations.history':
        return history(args, false);
      case 'conversations.replies':
        return history(args, true);
      case 'chat.getPermalink': {
        const found = stored.find(
          (message) => message.channel === args.channel && message.ts === args.message_ts,
        );
        return found
          ? {
              ok: true,
              channel: args.channel,
              permalink: `https://fake.example/archives/${String(args.channel)}/p${found.ts.replace('.', '')}`,
            }
          : { ok: false, error: 'message_not_found' };
      }
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: '1700000000.999999' };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users).replace(/^U/, '')}` } };
      case 'users.info': {
        const user = users.get(String(args.user));
        return user ? { ok: true, user: userJson(user) } : { ok: false, error: 'user_not_found' };
      }
      case 'users.lookupByEmail': {
        const email = String(args.email).toLowerCase();
        const user = [...users.values()].find((candidate) => candidate.email?.toLowerCase() === email);
        return user ? { ok: true, user: userJson(user) } : { ok: false, error: 'users_not_found' };
      }
      case 'usergroups.users.list': {
        const members = userGroups.get(String(args.usergroup));
        return members ? { ok: true, users: members } : { ok: false, error: 'no_such_subteam' };
      }
      case 'views.open':
      case 'views.publish':
        return { ok: true, view: { id: 'V0001' } };
      case 'files.getUploadURLExternal':
        return { ok: true, upload_url: `${base}/upload/F0001`, file_id: 'F0001' };
      case 'files.completeUploadExternal':
        return { ok: true, files: [{ id: 'F0001' }] };
      default:
        return { ok: true };
    }
  }

  function takeFailure(method: string): Failure | undefined {
    const index = failures.findIndex((entry) => entry.method === method && entry.left > 0);
    if (index < 0) return undefined;
    failures[index].left -= 1;
    return failures[index].failure;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = req.url ?? '/';
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (url.startsWith('/respond/') || url.startsWith('/upload/')) {
      const method = url.startsWith('/respond/') ? 'respond' : 'upload';
      const args = method === 'respond' ? parseArgs(raw, req.headers['content-type']) : { id: url.slice(8) };
      calls.push({ method, args: { ...args, responseUrl: url }, at: Date.now() });
      send(200, { ok: true });
      return;
    }
    const method = url.replace(/^\/api\//, '').split('?')[0];
    const args = parseArgs(raw, req.headers['content-type']);
    const token =
      (req.headers.authorization ?? '').replace(/^Bearer /, '') || (args.token as string | undefined);
    const slow = latency.get(method) ?? 0;
    const failure = takeFailure(method) ?? pickers.get(method)?.();
    const failed = !failure
      ? undefined
      : 'status' in failure
        ? `http-${failure.status}${'stored' in failure && failure.stored ? '-stored' : ''}`
        : 'error' in failure
          ? failure.error
          : `late-${failure.delayMs}ms`;
    calls.push({ method, args, token, at: Date.now(), failed });
    if (failure && 'delayMs' in failure) {
      // Stored at once, answered late (often after the client gave up).
      const result = answer(method, args);
      calls[calls.length - 1].result = result;
      await sleep(failure.delayMs);
      if (!res.destroyed) send(200, result);
    } else if (failure && 'status' in failure && failure.status === 429) {
      send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfter) });
    } else if (failure && 'status' in failure) {
      if (failure.stored) calls[calls.length - 1].result = answer(method, args);
      send(500, { ok: false, error: 'internal_error' });
    } else if (failure && 'error' in failure) {
      send(200, { ok: false, error: failure.error });
    } else {
      const result = answer(method, args);
      calls[calls.length - 1].result = result;
      if (slow > 0) await sleep(slow);
      if (!res.destroyed) send(200, result);
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      res.writeHead(500);
      res.end(error.message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${base}/api/`,
    responseUrl: (id) => `${base}/respond/${id}`,
    calls: (method) => (method ? calls.filter((call) => call.method === method) : [...calls]),
    fail(method, failure, times = 1) {
      failures.push({ method, failure, left: times });
    },
    addUser: (user) => users.set(user.id, user),
    addUserGroup: (id, userIds) => userGroups.set(id, userIds),
    messages: () => [...stored],
    setLatency: (method, ms) => latency.set(method, ms),
    failWith: (method, pick) => (pick ? pickers.set(method, pick) : pickers.delete(method)),
    answerWith: (method, result) => overrides.set(method, result),
    async waitFor(predicate, timeoutMs = 10000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(calls)) {
        if (Date.now() > deadline) {
          throw new Error(
            `fake Slack: condition not met in ${timeoutMs} ms; calls: ${calls.map((c) => c.method).join(', ')}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return [...calls];
    },
    reset() {
      calls = [];
      failures = [];
      stored = [];
      latency.clear();
      pickers.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
