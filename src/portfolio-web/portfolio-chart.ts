import { portfolioChartSvg, portfolioOverview, type DigestSnapshot } from '../core/digest';
import { PHASES } from '../core/levels';
import type { RenderEnv } from '../core/render/format';

/**
 * The digest's chart (projects per MLTRL level, coloured by phase) for one reader: the SVG and its text
 * alternative. The portfolio page draws it inline; `/portfolio/chart.png` serves it as a PNG for Slack's
 * App Home, which can show only pictures it fetches itself.
 */
export function portfolioChart(
  snapshot: DigestSnapshot,
  env: Pick<RenderEnv, 't' | 'locale'>,
): { svg: string; alt: string; total: number } {
  const t = (key: string, params: Record<string, unknown> = {}) => env.t(key, params, env.locale);
  const overview = portfolioOverview(snapshot.projects, snapshot.levels, env.locale);
  const phaseCount = (phase: (typeof PHASES)[number]) =>
    t('digest:overview.phaseCount', {
      phase: t(`digest:phase.${phase}`),
      count: overview.byPhase.find((row) => row.phase === phase)?.count ?? 0,
    });
  const alt = t('digest:chart.alt', {
    total: overview.total,
    levels: overview.byLevel.map((row) => `L${row.level} ${row.count}`).join(', '),
    phases: overview.byPhase.map((row) => phaseCount(row.phase)).join(' · '),
  });
  const svg = portfolioChartSvg(overview, {
    title: t('digest:chart.title'),
    phases: Object.fromEntries(PHASES.map((phase) => [phase, phaseCount(phase)])) as Record<
      (typeof PHASES)[number],
      string
    >,
  });
  return { svg, alt, total: overview.total };
}
