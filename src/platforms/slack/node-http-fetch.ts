import type { FetchFunction } from '@slack/web-api';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

type FetchRequestInit = NonNullable<Parameters<FetchFunction>[1]>;

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * A lean `fetch` for the Slack SDK's outbound calls (Web API and response_url), on node:http with
 * keep-alive agents. The built-in fetch costs several times more CPU per call, and every command's
 * private reply is one call: under load that CPU comes out of the next request's ack budget.
 * FormData bodies (file uploads) go through the built-in fetch unchanged.
 */
export function createNodeHttpFetch(): FetchFunction {
  const agents = {
    'http:': new HttpAgent({ keepAlive: true, maxSockets: 50 }),
    'https:': new HttpsAgent({ keepAlive: true, maxSockets: 50 }),
  };
  // Node's Response has Headers#entries at run time; the DOM lib types here lack the iterable part.
  return (async (input: string | URL, init: FetchRequestInit = {}) => {
    const url = new URL(String(input));
    const body = init.body;
    if (typeof body === 'object' || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      return fetch(input, init as RequestInit);
    }
    const headers: Record<string, string> = { ...init.headers };
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = send(url, {
        method: init.method ?? 'GET',
        headers,
        agent: agents[url.protocol as 'http:' | 'https:'],
        signal: init.signal,
      });
      req.once('response', resolve);
      req.once('error', reject);
      req.end(body);
    });
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [value]) responseHeaders.append(name, one);
    }
    const status = response.statusCode ?? 500;
    return new Response(NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks), {
      status,
      statusText: response.statusMessage,
      headers: responseHeaders,
    });
  }) as unknown as FetchFunction;
}
