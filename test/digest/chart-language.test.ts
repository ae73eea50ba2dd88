import { buildDigest } from '../../src/core/digest';
import { defaultTranslator } from '../../src/i18n/translator';
import { generateSnapshot } from './support/generate-snapshot';

/** The chart image says nothing that does not come from the reader's catalog (or is a number). */
const t = defaultTranslator();
const snapshot = generateSnapshot({ projects: 40 });
const PHASES = ['research', 'prototyping', 'productization', 'deployment'];

function chartTexts(locale: string): { svg: string; texts: string[]; bars: string } {
  let svg = '';
  const message = buildDigest(
    snapshot,
    {
      mode: 'portfolio',
      locale,
      renderChart: (drawn) => {
        svg = drawn;
        return 'cG5n';
      },
    },
    t,
  )!;
  const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]);
  const bars = message.blocks.map((block) => ('text' in block ? block.text : '')).join('\n');
  return { svg, texts, bars };
}

describe('the digest chart in the reader language', () => {
  it.each(['en', 'de', 'es', 'fr', 'ja', 'pt-BR'])(
    '%s: every word in the image is from its catalog',
    (locale) => {
      const { texts, bars } = chartTexts(locale);
      const allowed = new Set<string>([t('digest:chart.title', {}, locale)]);
      for (let level = 0; level <= 9; level++) allowed.add(t('digest:overview.levelMark', { level }, locale));
      const phaseWords = PHASES.map((phase) => t(`digest:phase.${phase}`, {}, locale));
      const words = texts.filter((text) => !/^\d+$/.test(text));
      expect(words.length).toBeGreaterThan(10);
      for (const text of words) {
        const known =
          allowed.has(text) ||
          phaseWords.some((phase) => text.startsWith(`${phase} `) || text.endsWith(phase));
        expect({ text, known }).toEqual({ text, known: true });
      }
      // The text bars (for clients without images) use the same level marks.
      expect(bars).toContain(`${t('digest:overview.levelMark', { level: 3 }, locale)} `);
    },
  );

  it('marks levels the way each language abbreviates "level"', () => {
    expect(chartTexts('en').texts).toContain('L3');
    expect(chartTexts('es').texts).toContain('N3');
    expect(chartTexts('es').texts).not.toContain('L3');
    expect(chartTexts('pt-BR').bars).toMatch(/^N0 /m);
  });
});
