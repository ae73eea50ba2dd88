import { join } from 'node:path';
import { defaultTranslator } from '../../src/i18n/translator';
import { renderHomeView, renderMessage } from '../../src/platforms/slack/render/render-message';
import { GOLDEN_STEPS, goldenMessage, runCeremony, type CeremonyRun } from '../support/ceremony';
import { hostileMessages } from './fixtures/hostile-messages';
import { blockKitViolations } from './support/block-kit-limits';
import { expectGoldenJson } from '../support/golden';

/**
 * Golden files: the Block Kit JSON of each message a scripted review through the real engine emits on
 * Slack (test/support/ceremony.ts). A change in rendering or in the engine's messages shows up as a diff
 * in review. `UPDATE_GOLDEN=1 npx jest test/slack/render-golden` rewrites them on purpose; a missing file
 * fails.
 */
const goldenDir = join(__dirname, '..', 'golden', 'slack');
const t = defaultTranslator();
let run: CeremonyRun;

beforeAll(async () => {
  run = await runCeremony({ platform: 'slack' });
});

describe.each(GOLDEN_STEPS)('the %s message', (step) => {
  const rendered = () => renderMessage(goldenMessage(run, step), { t });

  test('matches its golden file', () => {
    expectGoldenJson(join(goldenDir, `${step}.json`), rendered());
  });

  test('meets every Slack limit and has a text fallback', () => {
    const { blocks, text } = rendered();
    expect(blockKitViolations(blocks as unknown as Record<string, unknown>[], 50)).toEqual([]);
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(4000);
  });
});

describe.each(Object.entries(hostileMessages))('the %s message', (_name, message) => {
  test('meets every Slack limit', () => {
    const rendered = renderMessage(message, { t });
    expect(blockKitViolations(rendered.blocks as unknown as Record<string, unknown>[], 50)).toEqual([]);
    expect(rendered.text.length).toBeLessThanOrEqual(4000);
  });
});

describe('rendering details', () => {
  test('escapes & but keeps Slack mentions', () => {
    const json = JSON.stringify(renderMessage(goldenMessage(run, 'gap-report'), { t }).blocks);
    expect(json).toContain('Code repo &amp; docs');
    expect(json).toContain('<@USAM>');
  });

  test('escapes < and > in text a card supplies', () => {
    const vote = goldenMessage(run, 'vote');
    const hostile = {
      ...vote,
      blocks: vote.blocks.map((block) =>
        block.type === 'text' ? { ...block, text: `${block.text} <retinal> & friends` } : block,
      ),
    };
    const json = JSON.stringify(renderMessage(hostile, { t }).blocks);
    expect(json).toContain('&lt;retinal&gt; &amp; friends');
    expect(json).toContain('<@UPRIYA>');
  });

  test('an oversized message keeps its header, buttons and closing line and says what it left out', () => {
    const { blocks } = renderMessage(hostileMessages['hostile-limits'], { t });
    expect(blocks).toHaveLength(50);
    expect(blocks[0].type).toBe('header');
    expect(blocks[48].type).toBe('actions');
    expect(JSON.stringify(blocks[49])).toContain('Closing line stays');
    const notice = blocks[47];
    expect(notice.type).toBe('context');
    // 4,000 list items, of which the kept sections show far fewer: the notice counts the rest.
    const left = Number(/\.\.\.and (\d+) more/.exec(JSON.stringify(notice))?.[1]);
    const shown = JSON.stringify(blocks).match(/Project P\d+ is waiting/g)?.length ?? 0;
    expect(shown + left).toBe(4000);
  });

  test('a button whose value would not fit is left out rather than cut', () => {
    const json = JSON.stringify(renderMessage(hostileMessages['hostile-limits'], { t }).blocks);
    expect(json).not.toContain('Too long value');
  });

  test('the App Home view allows 100 blocks', () => {
    const many = {
      kind: 'portfolio' as const,
      text: 'home',
      blocks: Array.from({ length: 150 }, (_, i) => ({ type: 'text' as const, text: `row ${i}` })),
    };
    const view = renderHomeView(many, { t });
    expect(view.type).toBe('home');
    expect(view.blocks).toHaveLength(100);
    expect(JSON.stringify(view.blocks[99])).toContain('...and 51 more');
  });
});
