import { Resvg } from '@resvg/resvg-js';

/**
 * SVG to PNG (base64) on the server with resvg. System fonts are loaded so the chart's numbers and
 * legend render; on a machine without any font resvg leaves the text out and the bars still show
 * (the digest's text bars and the image's alt text carry the numbers either way).
 */
export function renderChartPng(svg: string): string | undefined {
  try {
    const resvg = new Resvg(svg, {
      font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
      // 480x240 keeps the PNG near 12 KB: a Teams message (card + image) must stay under about 28 KB.
      fitTo: { mode: 'width', value: 480 },
    });
    return Buffer.from(resvg.render().asPng()).toString('base64');
  } catch {
    // A chart is a nicety: never let it stop a digest.
    return undefined;
  }
}
