import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made to the Bot Connector. */
export interface ConnectorCall {
  kind: 'post' | 'reply' | 'update' | 'create-conversation' | 'get-member';
  method: string;
  path: string;
  conversationId?: string;
  activityId?: string;
  /** The JSON body (activity or conversation parameters). */
  body: Record<string, unknown>;
  authorization?: string;
  /** The id the connector answered with (posts and replies). */
  responseId?: string;
}

/** A roster member as Teams returns it. */
export interface FakeMember {
  id: string;
  name: string;
  aadObjectId: string;
  email?: string;
  userPrincipalName?: string;
  tenantId?: string;
}

interface Failure {
  kind: ConnectorCall['kind'];
  status: number;
  headers: Record<string, string>;
  /** Keep the activity (recorded in `calls`) and answer the failure anyway: an ambiguous answer. */
  stored?: boolean;
  /** Keep the activity and answer 200 only after this long (past the client's time-out). */
  delayMs?: number;
}

/**
 * A local Bot Connector (the `serviceUrl` of test activities): records posts, replies, updates and new
 * conversations, answers roster look-ups by id, AAD id, e-mail or UPN, and can fail the next calls of a
 * kind (429 with Retry-After, 403, 502, ...). Failed calls are recorded in `failures`, never in `calls`.
 */
export class FakeBotConnector {
  readonly calls: ConnectorCall[] = [];
  readonly failures: ConnectorCall[] = [];
  private readonly failNext: Failure[] = [];
  private server?: Server;
  private counter = 0;
  url = '';

  constructor(private readonly roster: FakeMember[] = []) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** The next `times` calls of this kind fail with `status` (and headers such as Retry-After). */
  fail(
    kind: ConnectorCall['kind'],
    status: number,
    headers: Record<string, string> = {},
    times = 1,
    options: { stored?: boolean } = {},
  ): void {
    for (let index = 0; index < times; index++) this.failNext.push({ kind, status, headers, ...options });
  }

  /** The next `times` calls of this kind are kept at once and answered 200 only after `delayMs`. */
  answerLate(kind: ConnectorCall['kind'], delayMs: number, times = 1): void {
    for (let index = 0; index < times; index++)
      this.failNext.push({ kind, status: 200, headers: {}, delayMs });
  }

  of(kind: ConnectorCall['kind']): ConnectorCall[] {
    return this.calls.filter((call) => call.kind === kind);
  }

  /** Waits until `predicate` holds for the recorded calls (for work that finishes after an HTTP answer). */
  async waitFor(predicate: (calls: ConnectorCall[]) => boolean, timeoutMs = 5000): Promise<void> {
    const started = Date.now();
    while (!predicate(this.calls)) {
      if (Date.now() - started > timeoutMs)
        throw new Error(`fake connector: condition not met in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const path = (req.url ?? '/').split('?')[0];
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    const call = this.classify(req.method ?? 'GET', segments, body);
    if (!call)
      return this.send(res, 404, { error: { code: 'NotFound', message: `no route ${req.method} ${path}` } });
    call.path = path;
    if (req.headers.authorization) call.authorization = req.headers.authorization;
    const failureAt = this.failNext.findIndex((failure) => failure.kind === call.kind);
    if (failureAt !== -1) {
      const [failure] = this.failNext.splice(failureAt, 1);
      if (failure.delayMs !== undefined || failure.stored) {
        call.responseId = `msg-${++this.counter}`;
        this.calls.push(call);
      }
      if (failure.delayMs !== undefined) {
        await new Promise((resolve) => setTimeout(resolve, failure.delayMs));
        if (!res.destroyed) this.send(res, 200, { id: call.responseId });
        return;
      }
      this.failures.push(call);
      return this.send(
        res,
        failure.status,
        { error: { code: 'Failure', message: `injected ${failure.status}` } },
        failure.headers,
      );
    }
    if (call.kind === 'get-member') {
      const who = call.activityId!.toLowerCase();
      const member = this.roster.find((person) =>
        [person.id, person.aadObjectId, person.email, person.userPrincipalName].some(
          (value) => value?.toLowerCase() === who,
        ),
      );
      this.calls.push(call);
      return member
        ? this.send(res, 200, member)
        : this.send(res, 404, { error: { code: 'MemberNotFoundInConversation' } });
    }
    this.calls.push(call);
    if (call.kind === 'create-conversation') {
      const member = ((body.members as { id: string }[] | undefined) ?? [])[0];
      return this.send(res, 200, { id: `a:personal-${member?.id ?? 'unknown'}` });
    }
    if (call.kind === 'update') return this.send(res, 200, { id: call.activityId });
    call.responseId = `msg-${++this.counter}`;
    return this.send(res, 200, { id: call.responseId });
  }

  private classify(
    method: string,
    segments: string[],
    body: Record<string, unknown>,
  ): ConnectorCall | undefined {
    if (segments[0] !== 'v3' || segments[1] !== 'conversations') return undefined;
    const [conversationId, resource, resourceId] = segments.slice(2);
    const base = { method, path: '', body };
    if (method === 'POST' && !conversationId) return { kind: 'create-conversation', ...base };
    if (method === 'GET' && resource === 'members' && resourceId)
      return { kind: 'get-member', conversationId, activityId: resourceId, ...base };
    if (resource !== 'activities') return undefined;
    if (method === 'POST' && !resourceId) return { kind: 'post', conversationId, ...base };
    if (method === 'POST') return { kind: 'reply', conversationId, activityId: resourceId, ...base };
    if (method === 'PUT') return { kind: 'update', conversationId, activityId: resourceId, ...base };
    return undefined;
  }

  private send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }
}
