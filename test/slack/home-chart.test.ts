import { renderChartPng } from '../../src/digest/render-chart';
import { defaultTranslator } from '../../src/i18n/translator';
import { renderHomeView } from '../../src/platforms/slack/render/render-message';
import { PortfolioLinks } from '../../src/portfolio-web/portfolio-links';
import { makeHarness, person, TestClock } from '../engine/harness';

const t = defaultTranslator();
const PUBLIC_URL = 'https://mltrl.example.org';

function harness(publicUrl?: string) {
  const clock = new TestClock(new Date('2026-11-23T09:30:00Z'));
  const links = new PortfolioLinks({ secret: Buffer.alloc(32, 7), baseUrl: () => publicUrl, clock });
  return makeHarness({ publicUrl, portfolioLinks: links, renderChart: renderChartPng });
}

describe('the digest chart on Slack’s App Home', () => {
  test('with PUBLIC_URL: an image block of the viewer’s signed chart link, beside the text bars', async () => {
    const h = harness(PUBLIC_URL);
    const view = renderHomeView(await h.engine.home(person('ana')), { t, locale: 'en' });
    const images = view.blocks.filter((block) => block.type === 'image');
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({
      type: 'image',
      image_url: expect.stringMatching(
        /^https:\/\/mltrl\.example\.org\/portfolio\/chart\.png\?t=[\w-]+\.[\w-]{43}$/,
      ),
      alt_text: expect.stringMatching(/^Bar chart of \d+ projects by MLTRL level/),
    });
    // The text bars stay (readable without the picture, and by screen readers).
    expect(JSON.stringify(view.blocks)).toMatch(/L3 █+·* 1 /);
  });

  test('without PUBLIC_URL: no picture Slack could fetch, so the text bars and the chart’s description', async () => {
    const h = harness(undefined);
    const view = renderHomeView(await h.engine.home(person('ana')), { t, locale: 'en' });
    expect(view.blocks.filter((block) => block.type === 'image')).toEqual([]);
    expect(JSON.stringify(view.blocks)).toContain('Bar chart of');
    expect(JSON.stringify(view.blocks)).toMatch(/L3 █+·* 1 /);
  });
});
