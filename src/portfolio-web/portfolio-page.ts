import { levelBars, portfolioOverview, type DigestProject, type DigestSnapshot } from '../core/digest';
import {
  duration,
  mismatchItems,
  oldGapItems,
  staleItems,
  systemItems,
  waitingItems,
  type CappedList,
} from '../core/digest/sections';
import { calendarDaysBetween } from '../core/digest/business-days';
import type { PeopleDirectory } from '../core/people';
import { formatWhen, type RenderEnv } from '../core/render/format';
import { escapeHtml, pageFrame } from './html';
import { portfolioChart } from './portfolio-chart';

export interface PortfolioPageInput {
  snapshot: DigestSnapshot;
  /** The reader's language and zone, from the signed link. */
  env: RenderEnv;
  expiresAt: Date;
  people: PeopleDirectory;
}

/** A column of the project table: its heading key, the cell text and the value it sorts by. */
interface Column {
  key: string;
  numeric: boolean;
  cell(project: DigestProject): { text: string; sort: string | number };
}

/**
 * The read-only portfolio page: the digest's content for one reader (chart, open gates, old gaps, stale
 * projects, level mismatches, system levels) and every project in one sortable table. Server-rendered
 * HTML; a small script only sorts the table.
 */
export function renderPortfolioPage(input: PortfolioPageInput): string {
  const { snapshot, env } = input;
  const t = (key: string, params: Record<string, unknown> = {}) => env.t(key, params, env.locale);
  const names = mentionNames(input.people);
  const now = new Date(snapshot.now);
  const title = t('digest:page.title');
  const projects = [...snapshot.projects].sort((a, b) => (a.projectId < b.projectId ? -1 : 1));

  const overview = portfolioOverview(snapshot.projects, snapshot.levels, env.locale);
  const phaseText = overview.byPhase
    .map((row) =>
      t('digest:overview.phaseCount', { phase: t(`digest:phase.${row.phase}`), count: row.count }),
    )
    .join(' · ');
  const chart = portfolioChart(snapshot, env);
  const svg = chart.svg.replace(
    '<svg ',
    `<svg role="img" aria-label="${escapeHtml(chart.alt)}" class="chart" `,
  );

  const columns: Column[] = [
    { key: 'id', numeric: false, cell: (p) => ({ text: p.projectId, sort: p.projectId }) },
    { key: 'name', numeric: false, cell: (p) => ({ text: p.name, sort: p.name.toLowerCase() }) },
    { key: 'level', numeric: true, cell: (p) => ({ text: String(p.statedLevel), sort: p.statedLevel }) },
    {
      key: 'recorded',
      numeric: true,
      cell: (p) => ({
        text: p.recordedLevel === undefined ? '–' : String(p.recordedLevel),
        sort: p.recordedLevel ?? -1,
      }),
    },
    {
      key: 'gate',
      numeric: true,
      cell: (p) =>
        p.openReview
          ? { text: `${p.openReview.gate.from} -> ${p.openReview.gate.to}`, sort: p.openReview.gate.from }
          : { text: t('digest:portfolio.noGate'), sort: -1 },
    },
    {
      key: 'phase',
      numeric: false,
      cell: (p) => {
        const text = p.openReview ? t(`digest:page.phase.${p.openReview.phase}`) : '';
        return { text, sort: text };
      },
    },
    {
      key: 'waiting',
      numeric: false,
      cell: (p) => {
        const text = p.openReview ? names(p.openReview.waitingOn.join(', ')) : '';
        return { text, sort: text.toLowerCase() };
      },
    },
    {
      key: 'oldestGap',
      numeric: true,
      cell: (p) => {
        const oldest = [...(p.gaps ?? [])].sort((a, b) => (a.since < b.since ? -1 : 1))[0];
        if (!oldest) return { text: '', sort: -1 };
        const days = calendarDaysBetween(new Date(oldest.since), now);
        const open = duration(new Date(oldest.since), now, env.t, env.locale);
        return { text: t('digest:page.gapAge', { label: oldest.label, duration: open }), sort: days };
      },
    },
  ];

  const head = columns
    .map((column, index) => {
      const label = t(`digest:page.columns.${column.key}`);
      return (
        `<th scope="col" aria-sort="${index === 0 ? 'ascending' : 'none'}"${column.numeric ? ' data-numeric="true"' : ''}>` +
        `<button type="button" data-column="${index}" aria-label="${escapeHtml(t('digest:page.sortBy', { column: label }))}">` +
        `${escapeHtml(label)}</button></th>`
      );
    })
    .join('');
  const rows = projects
    .map((project) => {
      const cells = columns.map((column, index) => {
        const { text, sort } = column.cell(project);
        const tag = index === 0 ? 'th scope="row"' : 'td';
        const close = index === 0 ? 'th' : 'td';
        return `<${tag} data-sort="${escapeHtml(sort)}">${escapeHtml(text)}</${close}>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');

  // The digest's lists, uncapped: this page is the "full list".
  const all = Math.max(1, snapshot.projects.length);
  const { gapAgeBusinessDays, staleWeeks } = snapshot.settings;
  const lists: Array<[string, CappedList]> = [
    [t('digest:waiting.title'), waitingItems(snapshot, all, env.t, env.locale)],
    [t('digest:gaps.title', { count: gapAgeBusinessDays }), oldGapItems(snapshot, all, env.t, env.locale)],
    [t('digest:stale.title', { count: staleWeeks }), staleItems(snapshot, all, env.t, env.locale)],
    [t('digest:mismatch.title'), mismatchItems(snapshot, all, env.t, env.locale)],
    [t('digest:system.title'), systemItems(snapshot, all, env.t, env.locale)],
  ];
  const sections = lists
    .filter(([, list]) => list.total > 0)
    .map(
      ([heading, list]) =>
        `<section><h2>${escapeHtml(heading)}</h2><ul>${list.items
          .map((item) => `<li>${escapeHtml(names(item))}</li>`)
          .join('')}</ul></section>`,
    )
    .join('\n');

  const body = [
    '<header>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">${escapeHtml(
      t('digest:page.asOf', {
        date: formatWhen(now, env),
        until: formatWhen(input.expiresAt, env),
      }),
    )}</p>`,
    '</header>',
    '<main>',
    `<section aria-labelledby="overview-title"><h2 id="overview-title">${escapeHtml(t('digest:overview.title'))}</h2>`,
    `<p>${escapeHtml(phaseText)}</p>`,
    overview.total > 0 ? `<figure>${svg}</figure>` : `<p>${escapeHtml(t('digest:overview.empty'))}</p>`,
    overview.total > 0
      ? `<details><summary>${escapeHtml(t('digest:page.textChart'))}</summary><pre>${escapeHtml(levelBars(overview).join('\n'))}</pre></details>`
      : '',
    '</section>',
    `<section aria-labelledby="projects-title"><h2 id="projects-title">${escapeHtml(
      t('digest:portfolio.title', { count: projects.length }),
    )}</h2>`,
    `<div class="table-wrap"><table id="projects"><thead><tr>${head}</tr></thead><tbody>`,
    rows,
    '</tbody></table></div></section>',
    sections,
    '</main>',
  ].join('\n');
  return pageFrame({ lang: env.locale, title, body, script: true });
}

/** The page explaining a refused link: no data at all, only what happened and how to get a new link. */
export function renderDeniedPage(input: {
  reason: 'missing' | 'invalid' | 'expired';
  env: RenderEnv;
  expiredAt?: Date;
}): string {
  const { env } = input;
  const t = (key: string, params: Record<string, unknown> = {}) => env.t(key, params, env.locale);
  const title = t('digest:page.denied.title');
  const text =
    input.reason === 'expired' && input.expiredAt
      ? t('digest:page.denied.expired', { when: formatWhen(input.expiredAt, env) })
      : t(`digest:page.denied.${input.reason === 'expired' ? 'invalid' : input.reason}`);
  const body = `<main class="denied"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></main>`;
  return pageFrame({ lang: env.locale, title, body });
}

/**
 * Mention tokens (`<@U123>`) in digest text become names for the web page, where no chat client turns
 * them into mentions; an id the directory does not know stays as "@id".
 */
function mentionNames(people: PeopleDirectory): (text: string) => string {
  return (text) =>
    text.replace(/<@([^>\s]+)>/g, (_match, id: string) => {
      const person = people.people.find(
        (candidate) => candidate.id === id || candidate.slackId === id || candidate.teamsId === id,
      );
      return person ? person.name : `@${id}`;
    });
}
