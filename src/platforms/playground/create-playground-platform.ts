import { join } from 'node:path';
import express, { type Express } from 'express';
import { BotError } from '../../core/errors';
import type { PlatformAdapter, PlatformDeps } from '../platform';
import { createApiRouter } from './api-router';
import { LiveUpdates } from './live-updates';
import { createPageHtml } from './page-html';
import { loopbackHostOnly } from './host-guard';
import { isLoopbackHost } from './loopback';
import { PlaygroundChatPort } from './playground-chat-port';
import { createPlaygroundPeople } from './playground-people';
import { WorkspaceStore } from './workspace-store';

const PUBLIC_DIR = join(__dirname, 'public');

/** Only our own files: no inline script, no foreign origin; chart images arrive as data: URLs. */
const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/**
 * The local playground: a third platform next to Slack and Teams, driving the same engine, Redis and
 * queues. Its workspace (channels, DMs, threads) lives in Redis; the page at `/` talks to the JSON API at
 * `/playground/api` and listens to Server-Sent Events. It has no login, hence loopback only by default.
 */
export function createPlaygroundPlatform(deps: PlatformDeps): PlatformAdapter {
  if (!isLoopbackHost(deps.config.HOST) && !deps.config.PLAYGROUND_PUBLIC) {
    throw new BotError('config', deps.t('playground:startup.not-loopback', { host: deps.config.HOST }));
  }
  const store = new WorkspaceStore(deps.redis, deps.keyPrefix, deps.clock);
  const live = new LiveUpdates(deps.redis, store.changesChannel, deps.logger);
  return {
    name: 'playground',
    chat: new PlaygroundChatPort(
      store,
      deps.people,
      deps.config.PUBLIC_URL ??
        `http://${isLoopbackHost(deps.config.HOST) ? 'localhost' : deps.config.HOST}:${deps.config.PORT}`,
    ),
    people: createPlaygroundPeople(deps.people),
    mount(app: Express) {
      if (!deps.config.PLAYGROUND_PUBLIC) {
        const guard = loopbackHostOnly(deps.t);
        app.use('/playground', guard);
        app.get('/', guard);
      }
      app.use('/playground/api', createApiRouter({ deps, store, live }));
      app.use(
        '/playground/assets',
        express.static(PUBLIC_DIR, { index: false, setHeaders: (res) => res.set(PAGE_HEADERS) }),
      );
      const page = createPageHtml(join(PUBLIC_DIR, 'index.html'), deps.t, deps.config.DEFAULT_LOCALE);
      app.get('/', (req, res) => {
        res.set(PAGE_HEADERS).type('html').send(page(req.query.lang));
      });
    },
    async stop() {
      await live.close();
    },
  };
}
