import { join } from 'node:path';
import express, { type Express } from 'express';
import type { DigestSnapshot } from '../core/digest';
import type { PeopleDirectory } from '../core/people';
import type { Translate } from '../core/ports';
import type { Logger } from '../logging/logger';
import { renderChartPng } from '../digest/render-chart';
import { PAGE_HEADERS } from './html';
import { portfolioChart } from './portfolio-chart';
import type { LinkViewer, PortfolioLinks } from './portfolio-links';
import { renderDeniedPage, renderPortfolioPage } from './portfolio-page';

const PUBLIC_DIR = join(__dirname, 'public');

export interface PortfolioRouteDeps {
  links: PortfolioLinks;
  /** The portfolio now, in the reader's zone (the digest service). */
  snapshot(viewer: LinkViewer & { tz: string }): Promise<DigestSnapshot>;
  people: PeopleDirectory;
  t: Translate;
  defaultLocale: string;
  defaultTz: string;
  logger: Logger;
}

/**
 * `GET /portfolio?t=<signed link>`: the read-only portfolio page for the person the link was made for.
 * A missing, changed or expired link gets 403 and a page saying so, with no data. The link is never
 * logged (it opens the page for an hour). `GET /portfolio/chart.png?t=...`: the same link's chart as a PNG.
 */
export function mountPortfolioPage(app: Express, deps: PortfolioRouteDeps): void {
  app.use(
    '/portfolio/assets',
    express.static(PUBLIC_DIR, { index: false, setHeaders: (res) => res.set(PAGE_HEADERS) }),
  );
  // The chart alone as a PNG, for Slack's App Home (an image block shows only a picture Slack fetches).
  // The same signed link as the page: a missing, changed or expired one gets 403 and no picture.
  app.get('/portfolio/chart.png', async (req, res) => {
    res.set(PAGE_HEADERS);
    const check = deps.links.check(req.query.t);
    if (!check.ok) {
      res.status(403).type('text').send('forbidden');
      return;
    }
    const viewer = { ...check.viewer, tz: check.viewer.tz ?? deps.defaultTz };
    try {
      const snapshot = await deps.snapshot(viewer);
      const png = renderChartPng(
        portfolioChart(snapshot, { t: deps.t, locale: viewer.locale ?? deps.defaultLocale }).svg,
      );
      if (!png) throw new Error('the chart did not render');
      res.status(200).type('png').send(Buffer.from(png, 'base64'));
    } catch (error) {
      deps.logger.error('portfolio chart failed', { error, platform: viewer.platform });
      res.status(500).type('text').send('error');
    }
  });
  app.get('/portfolio', async (req, res) => {
    res.set(PAGE_HEADERS);
    const check = deps.links.check(req.query.t);
    if (!check.ok) {
      const viewer = check.reason === 'expired' ? check.viewer : undefined;
      const env = {
        t: deps.t,
        locale: viewer?.locale ?? deps.defaultLocale,
        tz: viewer?.tz ?? deps.defaultTz,
      };
      const expiredAt = check.reason === 'expired' ? check.expiresAt : undefined;
      res
        .status(403)
        .type('html')
        .send(renderDeniedPage({ reason: check.reason, env, expiredAt }));
      return;
    }
    const viewer = { ...check.viewer, tz: check.viewer.tz ?? deps.defaultTz };
    const env = { t: deps.t, locale: viewer.locale ?? deps.defaultLocale, tz: viewer.tz };
    try {
      const snapshot = await deps.snapshot(viewer);
      const html = renderPortfolioPage({ snapshot, env, expiresAt: check.expiresAt, people: deps.people });
      res.status(200).type('html').send(html);
    } catch (error) {
      deps.logger.error('portfolio page failed', { error, platform: viewer.platform });
      res
        .status(500)
        .type('text')
        .send(deps.t('engine:refuse.internal', {}, env.locale));
    }
  });
}
