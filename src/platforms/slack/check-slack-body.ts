import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseQuery } from 'node:querystring';
import type { RequestHandler } from 'express';
import type { ReplayGuard } from '../../runtime/replay-guard';
import { ACTION_ID_PATTERN } from './render/action-ids';
import { REASON_MODAL_CALLBACK_ID } from './render/render-reason-modal';

/**
 * Signed Slack requests whose body is not a shape we handle are answered at once, before Bolt: a
 * malformed one (JSON `null`, an action without a user, a command without a user or team, an event
 * callback without an event) with 400, a well-formed one nobody listens to (an event type or payload
 * type the app has no listener for) with an empty 200, as Slack expects. Otherwise Bolt crashes on the
 * first (500) or waits three seconds for an ack that never comes and answers 404. Unsigned or stale
 * requests go on to Bolt, which refuses them (401); the raw body is handed over as `req.rawBody`.
 */
export function checkSlackBodies(options: {
  signingSecret: string;
  bodyLimitBytes: number;
  /** Event types with a listener (app_mention, ...). */
  eventTypes: readonly string[];
  /** Signatures and event ids already handled, shared by every web process. */
  seen?: ReplayGuard;
}): RequestHandler {
  return (req, res, next) => {
    readBody(req, options.bodyLimitBytes)
      .then(async (raw) => {
        if (raw === undefined) {
          res.status(413).send();
          return;
        }
        (req as { rawBody?: Buffer }).rawBody = raw;
        if (!signedNow(options.signingSecret, raw, req.headers)) return next();
        const replay = options.seen
          ? await replayVerdict(options.seen, raw, req.headers).catch(() => 'unknown' as const)
          : 'fresh';
        if (replay === 'unknown') {
          // Without Redis nobody can tell a replay from a first request, so nothing is acted on. A click
          // still gets its private answer ("not recorded, try again", through its response_url): it goes
          // on marked, and the action listener answers without acting. Anything else: Slack retries.
          const text = raw.toString('utf8');
          const contentType = req.headers['content-type'];
          if (
            isBlockAction(text, contentType) &&
            slackBodyVerdict(text, contentType, options.eventTypes) === 'handled'
          ) {
            (req as StoreUnavailableMark).storeUnavailable = true;
            return next();
          }
          return void res.status(503).json({ error: 'storage unavailable; try again' });
        }
        // Slack's own retry of something already handled is acknowledged without acting twice.
        if (replay === 'retry') return void res.status(200).send('');
        if (replay === 'replay') return void res.status(401).json({ error: 'replayed Slack request' });
        const verdict = slackBodyVerdict(
          raw.toString('utf8'),
          req.headers['content-type'],
          options.eventTypes,
        );
        if (verdict === 'malformed') res.status(400).json({ error: 'malformed Slack request' });
        else if (verdict === 'ignored') res.status(200).send('');
        else next();
      })
      .catch(() => res.status(400).send());
  };
}

export type BodyVerdict = 'handled' | 'ignored' | 'malformed';

/** Set on a request whose replay check could not reach Redis (see `storeUnavailableOf`). */
export interface StoreUnavailableMark {
  storeUnavailable?: boolean;
}

/** For Bolt's custom properties: the listener sees `context.storeUnavailable`. */
export function storeUnavailableOf(req: unknown): { storeUnavailable?: true } {
  return (req as StoreUnavailableMark).storeUnavailable ? { storeUnavailable: true } : {};
}

function isBlockAction(text: string, contentType: string | undefined): boolean {
  if (!contentType?.startsWith('application/x-www-form-urlencoded')) return false;
  const payload = parseQuery(text).payload;
  if (typeof payload !== 'string') return false;
  try {
    return (JSON.parse(payload) as { type?: unknown } | null)?.type === 'block_actions';
  } catch {
    return false;
  }
}

const FIVE_MINUTES_SECONDS = 5 * 60;
const str = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What the body is: a shape a listener handles, a well-formed one nobody handles, or malformed. */
export function slackBodyVerdict(
  text: string,
  contentType: string | undefined,
  eventTypes: readonly string[],
): BodyVerdict {
  if (contentType?.startsWith('application/x-www-form-urlencoded')) {
    const form = parseQuery(text);
    if (form.ssl_check !== undefined) return 'ignored';
    if (form.payload !== undefined) {
      if (typeof form.payload !== 'string') return 'malformed';
      let payload: unknown;
      try {
        payload = JSON.parse(form.payload);
      } catch {
        return 'malformed';
      }
      return payloadVerdict(payload);
    }
    if (form.command !== undefined) {
      if (!str(form.command) || !str(form.user_id) || !str(form.team_id)) return 'malformed';
      if (form.text !== undefined && typeof form.text !== 'string') return 'malformed';
      return form.command.startsWith('/mltrl') ? 'handled' : 'ignored';
    }
    return 'malformed';
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'malformed';
  }
  if (!isObject(body) || !str(body.type)) return 'malformed';
  if (body.type === 'url_verification') return str(body.challenge) ? 'handled' : 'malformed';
  if (body.type !== 'event_callback') return 'ignored';
  const event = body.event;
  if (!isObject(event) || !str(event.type)) return 'malformed';
  if (!eventTypes.includes(event.type)) return 'ignored';
  const user = event.user;
  if (event.type === 'app_mention' && (!str(user) || !str(event.channel))) return 'malformed';
  if (event.type === 'app_home_opened' && !str(user)) return 'malformed';
  return 'handled';
}

function payloadVerdict(payload: unknown): BodyVerdict {
  if (!isObject(payload) || !str(payload.type)) return 'malformed';
  if (payload.type !== 'block_actions' && payload.type !== 'view_submission') return 'ignored';
  if (!isObject(payload.user) || !str(payload.user.id)) return 'malformed';
  if (payload.type === 'view_submission') {
    if (!isObject(payload.view) || !str(payload.view.callback_id)) return 'malformed';
    return payload.view.callback_id === REASON_MODAL_CALLBACK_ID ? 'handled' : 'ignored';
  }
  const actions = payload.actions;
  if (!Array.isArray(actions) || actions.length === 0) return 'malformed';
  const wellFormed = actions.every(
    (action: unknown) => isObject(action) && str(action.action_id) && str(action.type),
  );
  if (!wellFormed) return 'malformed';
  const ours = actions.some((action: { action_id: string }) => ACTION_ID_PATTERN.test(action.action_id));
  return ours ? 'handled' : 'ignored';
}

/**
 * A signed request can be captured and sent again while its time stamp is in the window: each signature
 * is accepted once (kept for the whole ten-minute window, five minutes either way). Slack retries an
 * event with a new signature and `X-Slack-Retry-Num`, so events are also accepted once per event id.
 */
const SIGNATURE_TTL_SECONDS = 2 * FIVE_MINUTES_SECONDS;
const EVENT_TTL_SECONDS = 3600;

async function replayVerdict(
  seen: ReplayGuard,
  raw: Buffer,
  headers: Record<string, unknown>,
): Promise<'fresh' | 'retry' | 'replay'> {
  const isRetry = headers['x-slack-retry-num'] !== undefined;
  const signature = createHash('sha256').update(String(headers['x-slack-signature'])).digest('hex');
  if (!(await seen.firstTime(`slack-sig:${signature}`, SIGNATURE_TTL_SECONDS)))
    return isRetry ? 'retry' : 'replay';
  const eventId = eventIdOf(raw, headers['content-type']);
  if (eventId && !(await seen.firstTime(`slack-event:${eventId}`, EVENT_TTL_SECONDS))) return 'retry';
  return 'fresh';
}

function eventIdOf(raw: Buffer, contentType: unknown): string | undefined {
  if (typeof contentType !== 'string' || !contentType.startsWith('application/json')) return undefined;
  try {
    const body = JSON.parse(raw.toString('utf8')) as { event_id?: unknown };
    return typeof body?.event_id === 'string' ? body.event_id.slice(0, 100) : undefined;
  } catch {
    return undefined;
  }
}

/** The v0 signature is right and the time stamp within five minutes either way. */
function signedNow(secret: string, raw: Buffer, headers: Record<string, unknown>): boolean {
  const signature = headers['x-slack-signature'];
  const timestamp = Number(headers['x-slack-request-timestamp']);
  if (!secret || typeof signature !== 'string' || !Number.isFinite(timestamp)) return false;
  if (Math.abs(Date.now() / 1000 - timestamp) > FIVE_MINUTES_SECONDS) return false;
  const expected = 'v0=' + createHmac('sha256', secret).update(`v0:${timestamp}:`).update(raw).digest('hex');
  const a = Buffer.from(signature);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(req: NodeJS.ReadableStream, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limit) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
