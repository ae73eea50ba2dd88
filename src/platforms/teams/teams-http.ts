import express, { type Express, type Request, type Response, type NextFunction } from 'express';
import type { CloudAdapter, Request as AgentsRequest, WebResponse } from '@microsoft/agents-hosting';
import type { TurnContext } from '@microsoft/agents-hosting';
import type { Logger } from '../../logging/logger';
import { markRefusal, requestLogger } from '../../observability/request-middleware';

export const TEAMS_ROUTE = '/api/messages';

/** Teams activities are small; a bigger body is refused, never truncated. */
const BODY_LIMIT = '256kb';

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function isLoopbackUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
  } catch {
    return false;
  }
}

export interface TeamsRouteOptions {
  adapter: CloudAdapter;
  logic: (context: TurnContext) => Promise<void>;
  /** No credentials: loopback callers only, and replies only to loopback (or allow-listed) service URLs. */
  local: boolean;
  serviceUrlAllowlist: string[];
  logger: Logger;
}

/**
 * POST /api/messages: the Agents SDK's JWT check (Bot Framework tokens; anonymous only in local mode),
 * then the CloudAdapter runs the turn and writes the answer (invoke responses included).
 */
export function mountTeamsRoute(app: Express, options: TeamsRouteOptions): void {
  const { adapter, logic, local, logger } = options;
  const loopbackOnly = (req: Request, res: Response, next: NextFunction) => {
    // A forwarding header means a proxy on this host relayed someone else's request: not local.
    const proxied = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
    if (!local || (isLoopback(req.socket.remoteAddress) && !proxied)) return next();
    // Counted and logged (rate-limited, with the remote address) by the shared request middleware.
    markRefusal(res, 'not_loopback');
    res
      .status(403)
      .json({ error: 'Teams runs in local mode (no clientId): only loopback requests are accepted' });
  };
  const authorize = (req: Request, res: Response, next: NextFunction) => {
    adapter
      .authorizeRequest(req as unknown as AgentsRequest, res as unknown as WebResponse, next)
      .catch(next);
  };
  const handle = async (req: Request, res: Response) => {
    // The adapter refuses these with a bare 400: say which field is missing instead.
    const problem = activityProblem(req.body);
    if (problem) {
      res.status(400).json({ error: `not a valid Bot Framework activity: ${problem}` });
      return;
    }
    const serviceUrl = (req.body as { serviceUrl?: unknown } | undefined)?.serviceUrl;
    if (
      local &&
      serviceUrl !== undefined &&
      !isLoopbackUrl(serviceUrl) &&
      !allowed(serviceUrl, options.serviceUrlAllowlist)
    ) {
      res.status(400).json({ error: 'in local mode the activity serviceUrl must be a loopback address' });
      return;
    }
    try {
      await adapter.process(req as unknown as AgentsRequest, res as unknown as WebResponse, logic);
    } catch (error) {
      requestLogger(res, logger).warn('teams: activity refused', { error });
      if (!res.headersSent) res.status(400).json({ error: 'not a valid Bot Framework activity' });
    }
  };
  app.post(TEAMS_ROUTE, loopbackOnly, express.json({ limit: BODY_LIMIT }), authorize, handle);
}

const filled = (value: unknown) => typeof value === 'string' && value.trim() !== '';

/**
 * What the CloudAdapter checks before running a turn (a type, a conversation id) and then refuses with
 * an empty 400; checked here first so the refusal names the field.
 */
export function activityProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body is not an object';
  const activity = body as { type?: unknown; conversation?: unknown };
  if (!filled(activity.type)) return 'it has no type';
  const conversation = activity.conversation as { id?: unknown } | null | undefined;
  if (typeof conversation !== 'object' || conversation === null || !filled(conversation.id))
    return 'it has no conversation.id';
  return undefined;
}

/** Allow-list entries are hosts (`connector.test:8443`) or origins (`http://127.0.0.1:3978`). */
function allowed(url: unknown, allowlist: string[]): boolean {
  if (typeof url !== 'string') return false;
  try {
    const target = new URL(url);
    return allowlist.some((entry) =>
      entry.includes('://') ? new URL(entry).origin === target.origin : entry.toLowerCase() === target.host,
    );
  } catch {
    return false;
  }
}
