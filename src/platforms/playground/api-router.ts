import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { z } from 'zod';
import { toBotError } from '../../core/errors';
import type { Actor } from '../../core/events';
import type { Person } from '../../core/people';
import type { PlatformDeps } from '../platform';
import { PlaygroundRequestError, statusForBotError } from './api-errors';
import {
  actionBody,
  advanceBody,
  asQuery,
  resetBody,
  commandBody,
  describeIssues,
  MAX_TEXT,
  MAX_VALUE,
} from './api-schemas';
import { canRead, conversationsFor, isKnownConversation, normaliseConversationId } from './conversations';
import type { LiveUpdates } from './live-updates';
import { findAction } from './message-actions';
import { pageStrings } from './page-strings';
import { rolesOf } from './people-roles';
import { walkthroughStart } from './walkthrough';
import { inReaderZone, viewInReaderZone, type PlaygroundReader } from './reader-times';
import type { WorkspaceMessage, WorkspaceStore } from './workspace-store';

const HOUR_MS = 3_600_000;
const COMMAND = /^\/mltrl(?:\s+([\s\S]*))?$/;

export interface ApiContext {
  deps: PlatformDeps;
  store: WorkspaceStore;
  live: LiveUpdates;
}

/** The playground's JSON API, used by the page and by tests. Every refusal is `{"error": {code, message}}`. */
export function createApiRouter({ deps, store, live }: ApiContext): Router {
  const router = express.Router();
  const t = deps.t;
  router.use(express.json({ limit: '16kb', strict: true }));

  const person = (id: string): Person => {
    const found = deps.people.people.find((candidate) => candidate.id === id);
    if (!found)
      throw new PlaygroundRequestError(404, 'unknown-person', t('playground:errors.unknown-person', { id }));
    return found;
  };
  const readable = (rawId: string, who: Person): string => {
    const id = normaliseConversationId(rawId);
    if (!isKnownConversation(id, deps.people.people)) {
      throw new PlaygroundRequestError(
        404,
        'unknown-conversation',
        t('playground:errors.unknown-conversation', { id }),
      );
    }
    if (!canRead(id, who.id)) {
      throw new PlaygroundRequestError(
        403,
        'forbidden-conversation',
        t('playground:errors.forbidden-conversation', { id, person: who.id }),
      );
    }
    return id;
  };
  const visibleMessage = async (id: string, who: Person): Promise<WorkspaceMessage> => {
    const message = await store.get(id);
    const hidden =
      !message ||
      !canRead(message.conversationId, who.id) ||
      (message.visibleTo !== undefined && message.visibleTo !== who.id);
    if (hidden) {
      throw new PlaygroundRequestError(
        404,
        'unknown-message',
        t('playground:errors.unknown-message', { id, person: who.id }),
      );
    }
    return message!;
  };
  const ask = async <T>(actor: Actor, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      const botError = toBotError(error);
      if (botError instanceof PlaygroundRequestError) throw botError;
      const status = statusForBotError(botError.code);
      deps.logger[status >= 500 ? 'error' : 'info']('playground: the engine refused an event', {
        code: botError.code,
        actor: actor.userId,
        error: botError,
      });
      throw new PlaygroundRequestError(status, botError.code, t('playground:errors.internal'));
    }
  };
  const tooLong = (what: string, value: string | undefined, max: number) => {
    if (value !== undefined && value.length > max) {
      throw new PlaygroundRequestError(413, 'too-large', t('playground:errors.too-large', { what, max }));
    }
  };

  router.get('/strings', (req, res) => {
    const locale = typeof req.query.locale === 'string' ? req.query.locale.slice(0, 20) : undefined;
    res.json({ strings: pageStrings(t, locale) });
  });

  router.get('/people', async (_req, res) => {
    const cards = deps.cards ? (await deps.cards.loadAll()).cards : [];
    const people = deps.people.people.map((entry) => {
      const roles = rolesOf(entry, cards, deps.config.ADMINS);
      return {
        id: entry.id,
        name: entry.name,
        tz: entry.tz ?? deps.config.DEFAULT_TZ,
        locale: entry.locale ?? deps.config.DEFAULT_LOCALE,
        ...roles,
        label: roleLabel(roles, t),
      };
    });
    // The first-run hint follows the README's walk-through when this playground has its person and card.
    const walkthrough = walkthroughStart(people);
    res.json({ people, ...(walkthrough && { walkthrough }) });
  });

  /** The person's home (what waits on them, their projects, the portfolio), as Slack's App Home shows it. */
  router.get('/home', async (req, res) => {
    const who = person(parse(asQuery, req.query, t).as);
    const actor = actorOf(who, deps);
    res.json({ message: inReaderZone(await ask(actor, () => deps.engine.home(actor)), readerOf(who, deps)) });
  });

  router.get('/conversations', (req, res) => {
    const who = person(parse(asQuery, req.query, t).as);
    res.json({ conversations: conversationsFor(who) });
  });

  router.get('/conversations/:id/messages', async (req, res) => {
    const who = person(parse(asQuery, req.query, t).as);
    const id = readable(String(req.params.id), who);
    const reader = readerOf(who, deps);
    const messages = (await store.view(id, who.id)).map((entry) => viewInReaderZone(entry, reader));
    res.json({ conversationId: id, messages });
  });

  router.post('/conversations/:id/commands', async (req, res) => {
    const body = parse(commandBody, req.body, t);
    tooLong('text', body.text, MAX_TEXT);
    const who = person(body.as);
    const conversationId = readable(String(req.params.id), who);
    const match = COMMAND.exec(body.text.trim());
    if (!match) throw new PlaygroundRequestError(400, 'not-a-command', t('playground:errors.not-a-command'));
    if (body.threadId) {
      const parent = await visibleMessage(body.threadId, who);
      if (parent.conversationId !== conversationId) {
        throw new PlaygroundRequestError(
          404,
          'unknown-message',
          t('playground:errors.unknown-message', { id: body.threadId, person: who.id }),
        );
      }
    }
    const actor = actorOf(who, deps);
    const reply = await ask(actor, () =>
      deps.engine.handle({
        type: 'command',
        actor,
        conversationId,
        text: (match[1] ?? '').trim(),
        ...(body.threadId ? { threadId: body.threadId } : {}),
      }),
    );
    const ephemeral = [];
    for (const message of reply.ephemeral) {
      ephemeral.push(
        await store.add({ conversationId, message, visibleTo: who.id, threadId: body.threadId }),
      );
    }
    res.json({ ephemeral: ephemeral.map((entry) => viewInReaderZone(entry, readerOf(who, deps))) });
  });

  router.post('/messages/:id/actions', async (req, res) => {
    const body = parse(actionBody, req.body, t);
    tooLong('value', body.value, MAX_VALUE);
    tooLong('reason', body.reason, MAX_TEXT);
    const who = person(body.as);
    const target = await visibleMessage(String(req.params.id), who);
    const action = findAction(target.message, body.actionId, body.value);
    if (!action) {
      // Refused here, and audited by the engine like its own refusals (a forged value of a vote).
      await deps.engine.auditRefusedAction?.(
        {
          type: 'action',
          actor: actorOf(who, deps),
          conversationId: target.conversationId,
          messageId: target.id,
          actionId: body.actionId,
          value: body.value,
        },
        'not-on-message',
      );
      throw new PlaygroundRequestError(
        400,
        'unknown-action',
        t('playground:errors.unknown-action', { id: target.id, actionId: body.actionId }),
      );
    }
    if (action.type === 'button' && action.asksReason && !body.reason?.trim()) {
      throw new PlaygroundRequestError(400, 'reason-required', t('playground:errors.reason-required'));
    }
    const actor = actorOf(who, deps);
    const reply = await ask(actor, () =>
      deps.engine.handle({
        type: 'action',
        actor,
        conversationId: target.conversationId,
        messageId: target.id,
        actionId: body.actionId,
        value: body.value,
        ...(body.reason?.trim() ? { reason: body.reason.trim() } : {}),
      }),
    );
    const ephemeral = [];
    for (const message of reply.ephemeral) {
      ephemeral.push(
        await store.add({
          conversationId: target.conversationId,
          message,
          visibleTo: who.id,
          threadId: target.threadId,
        }),
      );
    }
    res.json({ ephemeral: ephemeral.map((entry) => viewInReaderZone(entry, readerOf(who, deps))) });
  });

  router.get('/clock', (_req, res) => {
    res.json(clockView(deps));
  });

  router.post('/clock/advance', async (req, res) => {
    const { hours } = parse(advanceBody, req.body, t);
    if (!deps.clockControl) {
      throw new PlaygroundRequestError(409, 'no-clock-control', t('playground:errors.no-clock-control'));
    }
    const now = await deps.clockControl.advance(Math.round(hours * HOUR_MS));
    await store.publish({ type: 'clock', now: now.toISOString() });
    res.json(clockView(deps));
  });

  /** Clears the playground's data and puts its clock back to now; every open page starts over. */
  router.post('/reset', async (req, res) => {
    parse(resetBody, req.body, t);
    if (!deps.playgroundReset) {
      throw new PlaygroundRequestError(409, 'no-reset', t('playground:errors.no-reset'));
    }
    const now = await deps.playgroundReset.reset();
    await store.publish({ type: 'reset', now: now.toISOString() });
    res.json(clockView(deps));
  });

  router.get('/events', async (req, res) => {
    await live.attach(req, res);
  });

  router.use((req, _res, next) => {
    next(
      new PlaygroundRequestError(
        404,
        'not-found',
        t('playground:errors.not-found', { method: req.method, path: req.originalUrl }),
      ),
    );
  });
  router.use(errorHandler(deps));
  return router;
}

function parse<T>(schema: z.ZodType<T>, input: unknown, t: PlatformDeps['t']): T {
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    throw new PlaygroundRequestError(
      400,
      'invalid-input',
      t('playground:errors.invalid-input', { problems: describeIssues(result.error) }),
    );
  }
  return result.data;
}

function actorOf(person: Person, deps: PlatformDeps): Actor {
  return {
    platform: 'playground',
    userId: person.id,
    name: person.name,
    ...(person.email ? { email: person.email } : {}),
    tz: person.tz ?? deps.config.DEFAULT_TZ,
    locale: person.locale ?? deps.config.DEFAULT_LOCALE,
  };
}

/** Times in a message shown to this person: their zone from people.yaml, else the bot's. */
function readerOf(person: Person, deps: PlatformDeps): PlaygroundReader {
  return { tz: person.tz ?? deps.config.DEFAULT_TZ, defaultLocale: deps.config.DEFAULT_LOCALE };
}

function clockView(deps: PlatformDeps) {
  return {
    now: deps.clock.now().toISOString(),
    tz: deps.config.DEFAULT_TZ,
    controllable: Boolean(deps.clockControl),
  };
}

/** "owner of R07.2; reviewer of D11.4, A01.0, T07.8 +1": at most three projects per role, so the picker stays narrow. */
function roleLabel(roles: ReturnType<typeof rolesOf>, t: PlatformDeps['t']): string {
  const projects = (ids: string[]) =>
    ids.slice(0, 3).join(', ') + (ids.length > 3 ? ` +${ids.length - 3}` : '');
  const parts: string[] = [];
  if (roles.owns.length > 0) parts.push(t('playground:roles.owner', { projects: projects(roles.owns) }));
  if (roles.reviews.length > 0)
    parts.push(t('playground:roles.reviewer', { projects: projects(roles.reviews) }));
  if (roles.admin) parts.push(t('playground:roles.admin'));
  return parts.length > 0 ? parts.join('; ') : t('playground:roles.outsider');
}

/** body-parser's errors (malformed JSON, too large) and ours, as JSON; anything else is a logged 500. */
function errorHandler(deps: PlatformDeps) {
  return (error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const t = deps.t;
    if (error instanceof PlaygroundRequestError) {
      res.status(error.status).json({ error: { code: error.apiCode, message: error.message } });
      return;
    }
    const type = (error as { type?: string }).type;
    if (type === 'entity.parse.failed') {
      res
        .status(400)
        .json({ error: { code: 'malformed-json', message: t('playground:errors.malformed-json') } });
      return;
    }
    if (type === 'entity.too.large') {
      res.status(413).json({
        error: {
          code: 'too-large',
          message: t('playground:errors.too-large', { what: t('playground:errors.body'), max: 16384 }),
        },
      });
      return;
    }
    deps.logger.error('playground: request failed', { error });
    if (res.headersSent) return;
    res.status(500).json({ error: { code: 'internal', message: t('playground:errors.internal') } });
  };
}
