import type { Phase } from '../levels';
import type { PortfolioOverview } from './overview';

/** Colours per phase, distinguishable for the common colour-vision deficiencies (Okabe-Ito palette). */
const PHASE_COLOURS: Record<Phase, string> = {
  research: '#0072B2',
  prototyping: '#E69F00',
  productization: '#009E73',
  deployment: '#CC79A7',
};

export interface ChartLabels {
  title: string;
  /** Phase names in the reader's language, with counts ("Research 3"). */
  phases: Record<Phase, string>;
  /** A level's short mark under its bar in the reader's language ("L3", "N3"); default "L3". */
  levelMark?: (level: number) => string;
}

const WIDTH = 640;
const HEIGHT = 320;
const LEFT = 40;
const BOTTOM = 250;
const TOP = 56;

/**
 * The portfolio as an SVG bar chart: one bar per level coloured by phase, the count above each bar and a
 * legend of phases. Pure string building; src/digest renders it to PNG. Text uses a generic family so
 * any installed sans-serif font works; without fonts the bars still carry the picture.
 */
export function portfolioChartSvg(overview: PortfolioOverview, labels: ChartLabels): string {
  const max = Math.max(1, ...overview.byLevel.map((row) => row.count));
  const slot = (WIDTH - LEFT - 20) / Math.max(1, overview.byLevel.length);
  const barWidth = slot * 0.7;
  const mark = labels.levelMark ?? ((level: number) => `L${level}`);
  const bars = overview.byLevel.map((row, index) => {
    const height = row.count === 0 ? 0 : Math.max(2, ((BOTTOM - TOP) * row.count) / max);
    const x = LEFT + index * slot + (slot - barWidth) / 2;
    const y = BOTTOM - height;
    const centre = x + barWidth / 2;
    return [
      `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}" fill="${PHASE_COLOURS[row.phase]}"/>`,
      `<text x="${centre.toFixed(1)}" y="${(y - 6).toFixed(1)}" font-size="14" text-anchor="middle">${row.count}</text>`,
      `<text x="${centre.toFixed(1)}" y="${BOTTOM + 20}" font-size="14" text-anchor="middle">${escapeXml(mark(row.level))}</text>`,
    ].join('');
  });
  const legendSlot = (WIDTH - LEFT) / 4;
  const legend = (Object.keys(PHASE_COLOURS) as Phase[]).map((phase, index) => {
    const x = LEFT + index * legendSlot;
    return (
      `<rect x="${x}" y="${BOTTOM + 42}" width="14" height="14" fill="${PHASE_COLOURS[phase]}"/>` +
      `<text x="${x + 20}" y="${BOTTOM + 54}" font-size="14">${escapeXml(labels.phases[phase])}</text>`
    );
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" shape-rendering="crispEdges">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<g font-family="DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif" fill="#222222">`,
    `<text x="${LEFT}" y="30" font-size="18" font-weight="bold">${escapeXml(labels.title)}</text>`,
    `<line x1="${LEFT}" y1="${BOTTOM}" x2="${WIDTH - 20}" y2="${BOTTOM}" stroke="#888888" stroke-width="1"/>`,
    ...bars,
    ...legend,
    `</g></svg>`,
  ].join('');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
