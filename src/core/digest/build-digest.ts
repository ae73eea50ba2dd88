import { plainTimes, type MessageBlock, type OutboundMessage } from '../messages';
import type { Translate } from '../ports';
import { PHASES } from '../levels';
import { encodeAction } from '../render/action-values';
import { portfolioChartSvg } from './chart-svg';
import { portfolioList, type PortfolioFilter, type PortfolioViewer } from './portfolio-list';
import { levelBars, portfolioOverview, type PortfolioOverview } from './overview';
import { shortDateTime } from './period';
import {
  changeItems,
  mismatchItems,
  oldGapItems,
  staleItems,
  systemItems,
  waitingItems,
  type CappedList,
} from './sections';
import type { DigestPeriod, DigestSnapshot } from './snapshot';

export interface BuildDigestOptions {
  /** `digest`: the channel's periodic post. `portfolio`: the same without "what changed", for one person. */
  mode: 'digest' | 'portfolio';
  /** `portfolio` only: which projects to list, and who asks (`portfolio mine`). */
  filter?: PortfolioFilter;
  viewer?: PortfolioViewer;
  /** The period the digest covers (required for `digest`). */
  period?: DigestPeriod;
  /** A week with no change: one line (default) or no message at all. */
  quietWeek?: 'line' | 'skip';
  locale?: string;
  /**
   * Turns the chart's SVG into PNG bytes (base64). Injected so the core stays free of native modules;
   * without it the digest has text bars only.
   */
  renderChart?: (svg: string) => string | undefined;
}

/**
 * The digest as a neutral message, in UX.md's order: what changed, open gates and whom they wait on,
 * old gaps, stale projects, level mismatches, then the overview (text bars and chart). Every list is
 * capped at the flow's `listCap` with an exact "...and N more". Returns undefined for a quiet week when
 * the subscription asks for nothing.
 */
export function buildDigest(
  snapshot: DigestSnapshot,
  options: BuildDigestOptions,
  t: Translate,
): OutboundMessage | undefined {
  const locale = options.locale;
  const cap = Math.max(1, snapshot.settings.listCap);
  const waiting = waitingItems(snapshot, cap, t, locale);
  const title =
    options.mode === 'digest'
      ? t('digest:title', { period: options.period?.label ?? '' }, locale)
      : t(
          'digest:portfolioTitle',
          { date: shortDateTime(new Date(snapshot.now), snapshot.tz, locale ?? 'en', t) },
          locale,
        );
  const waitingCount = t('digest:counts.waiting', { count: waiting.total }, locale);

  if (options.mode === 'digest' && snapshot.historyAvailable && snapshot.changes.length === 0) {
    if (options.quietWeek === 'skip') return undefined;
    const line = t('digest:quiet', { title, waiting: waitingCount }, locale);
    return {
      kind: 'digest',
      text: plainTimes(line),
      blocks: [{ type: 'text', text: line }, openPortfolio(t, locale)],
      locale,
    };
  }

  const blocks: MessageBlock[] = [{ type: 'header', text: title }];
  const list = (titleText: string, { items, total }: CappedList) => {
    if (total === 0) return;
    const more = total > items.length ? t('digest:more', { count: total - items.length }, locale) : undefined;
    blocks.push({ type: 'list', title: titleText, items, ...(more ? { more } : {}) });
  };

  if (options.mode === 'digest') {
    list(t('digest:changes.title', {}, locale), changeItems(snapshot.changes, cap, t, locale));
  } else {
    // The portfolio lists every project (the digest's "full list" leads here), filtered and capped.
    const projects = portfolioList(snapshot, options.filter, options.viewer, t, locale);
    blocks.push({ type: 'list', ...projects });
    if (options.filter) {
      blocks.push(...overviewBlocks(portfolioOverview(snapshot.projects, snapshot.levels), options, t));
      return { kind: 'portfolio', text: plainTimes(`${title}: ${projects.title}`), blocks, locale };
    }
  }
  list(t('digest:waiting.title', {}, locale), waiting);
  const { gapAgeBusinessDays, staleWeeks } = snapshot.settings;
  list(t('digest:gaps.title', { count: gapAgeBusinessDays }, locale), oldGapItems(snapshot, cap, t, locale));
  list(t('digest:stale.title', { count: staleWeeks }, locale), staleItems(snapshot, cap, t, locale));
  list(t('digest:mismatch.title', {}, locale), mismatchItems(snapshot, cap, t, locale));
  list(t('digest:system.title', {}, locale), systemItems(snapshot, cap, t, locale));

  const overview = portfolioOverview(snapshot.projects, snapshot.levels, locale);
  blocks.push(...overviewBlocks(overview, options, t));

  const projects = t('digest:counts.projects', { count: overview.total }, locale);
  const footer = [t('digest:footer', { projects }, locale)];
  if (snapshot.brokenCards > 0) footer.push(t('digest:brokenCards', { count: snapshot.brokenCards }, locale));
  if (!snapshot.historyAvailable) footer.push(t('digest:noHistory', {}, locale));
  blocks.push({ type: 'context', text: footer.join(' · ') });
  if (options.mode === 'digest') blocks.push(openPortfolio(t, locale));

  const changes = t('digest:counts.changes', { count: snapshot.changes.length }, locale);
  const text =
    options.mode === 'digest'
      ? t('digest:summary', { title, changes, waiting: waitingCount, projects }, locale)
      : `${title}: ${waitingCount}, ${projects}`;
  // The notification text: times as their fallback (the blocks keep the tokens for each reader's zone).
  return { kind: options.mode, text: plainTimes(text), blocks, locale };
}

/** The digest's "full list": whoever clicks gets the whole portfolio privately, with their own page link. */
function openPortfolio(t: Translate, locale: string | undefined): MessageBlock {
  return {
    type: 'actions',
    actions: [
      {
        type: 'button',
        actionId: 'open-portfolio',
        label: t('digest:portfolio.open', {}, locale),
        value: encodeAction({ kind: 'portfolio' }),
      },
    ],
  };
}

function overviewBlocks(
  overview: PortfolioOverview,
  options: BuildDigestOptions,
  t: Translate,
): MessageBlock[] {
  const locale = options.locale;
  const title = t('digest:overview.title', {}, locale);
  if (overview.total === 0)
    return [{ type: 'text', text: `${title}: ${t('digest:overview.empty', {}, locale)}` }];
  const phaseLabel = (phase: (typeof PHASES)[number], count: number) =>
    t('digest:overview.phaseCount', { phase: t(`digest:phase.${phase}`, {}, locale), count }, locale);
  const phases = overview.byPhase.map((row) => phaseLabel(row.phase, row.count));
  const levelMark = (level: number) => t('digest:overview.levelMark', { level }, locale);
  const blocks: MessageBlock[] = [
    { type: 'text', text: `${title}\n${phases.join(' · ')}` },
    { type: 'text', text: levelBars(overview, levelMark).join('\n') },
  ];
  if (options.renderChart) {
    const svg = portfolioChartSvg(overview, {
      title: t('digest:chart.title', {}, locale),
      phases: Object.fromEntries(
        overview.byPhase.map((row) => [row.phase, phaseLabel(row.phase, row.count)]),
      ) as Record<(typeof PHASES)[number], string>,
      levelMark,
    });
    const pngBase64 = options.renderChart(svg);
    if (pngBase64) {
      const levels = overview.byLevel.map((row) => `${levelMark(row.level)} ${row.count}`).join(', ');
      const alt = t('digest:chart.alt', { total: overview.total, levels, phases: phases.join(', ') }, locale);
      blocks.push({ type: 'image', alt, pngBase64 });
    }
  }
  return blocks;
}
