import { Resvg } from '@resvg/resvg-js';

/**
 * The app's icons, drawn as SVG and rendered with resvg: Teams wants a 192x192 full-colour icon and a
 * 32x32 outline icon that is white on a transparent background. The picture: rising steps (MLTRL levels)
 * and a gate on the top one.
 */
const STEPS = 'M36 156 V126 H76 V96 H116 V66 H156 V156 Z';
/** A gate (two posts and a lintel) standing on the top step. */
const GATE = (fill: string) =>
  `<rect x="112" y="24" width="48" height="10" rx="4" fill="${fill}"/>` +
  `<rect x="118" y="24" width="9" height="42" fill="${fill}"/><rect x="145" y="24" width="9" height="42" fill="${fill}"/>`;

const COLOR_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="192" height="192" viewBox="0 0 192 192">
  <rect width="192" height="192" rx="36" fill="#2F5D8A"/>
  <path d="${STEPS}" fill="#FFFFFF"/>
  ${GATE('#F2C14E')}
</svg>`;

const OUTLINE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 192 192">
  <path d="${STEPS}" fill="#FFFFFF"/>
  ${GATE('#FFFFFF')}
</svg>`;

function render(svg: string, size: number): Buffer {
  return Buffer.from(
    new Resvg(svg, { fitTo: { mode: 'width', value: size }, background: 'rgba(0,0,0,0)' }).render().asPng(),
  );
}

export function renderAppIcons(): { color: Buffer; outline: Buffer } {
  return { color: render(COLOR_SVG, 192), outline: render(OUTLINE_SVG, 32) };
}
