import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { buildDigest, digestPeriod, portfolioChartSvg, portfolioOverview } from '../../src/core/digest';
import { renderChartPng } from '../../src/digest/render-chart';
import { renderTeamsCard } from '../../src/platforms/teams/render/adaptive-card';
import type { OutboundMessage } from '../../src/core/messages';
import { defaultTranslator } from '../../src/i18n/translator';
import { generateSnapshot } from './support/generate-snapshot';
import { renderMessage } from '../../src/platforms/slack/render/render-message';
import { SLACK_LIMITS } from '../../src/platforms/slack/render/limits';
import { renderBlocks } from '../../src/platforms/slack/render/render-blocks';
import { slackLimitProblems } from './support/slack-limits';
import { expectGoldenJson } from '../support/golden';

/**
 * Golden renders of the neutral digest message for portfolios of 0, 5, 60 and 1,000 projects, plus a
 * quiet week. `UPDATE_GOLDEN=1 npx jest test/digest` rewrites them after an intended change; a missing file
 * fails.
 * The chart renderer is replaced by a digest of the SVG, so the files stay small and still change when
 * the chart does.
 */
const GOLDEN_DIR = join(__dirname, '..', 'golden', 'digest');
const t = defaultTranslator();
const fakeChart = (svg: string) =>
  `svg-sha256-${createHash('sha256').update(svg).digest('hex').slice(0, 16)}`;

function expectGolden(name: string, message: OutboundMessage | undefined): void {
  expectGoldenJson(join(GOLDEN_DIR, `${name}.json`), message ?? null);
}

/** The Slack renderer's Block Kit output, checked against the limits it must respect. */
function expectSlackRenderFits(message: OutboundMessage): void {
  const uploaded = new Map(
    message.blocks.flatMap((block, index) => (block.type === 'image' ? [[index, 'F0CHART'] as const] : [])),
  );
  // Every neutral block fits without the renderer's own budget cutting anything.
  expect(renderBlocks(message.blocks, uploaded).length).toBeLessThanOrEqual(SLACK_LIMITS.messageBlocks);
  const rendered = renderMessage(message, { t, uploaded });
  expect(rendered.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.messageBlocks);
  expect(rendered.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  const texts = JSON.stringify(rendered.blocks).match(/"text":"(?:[^"\\]|\\.)*"/g) ?? [];
  for (const text of texts) expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText + 10);
}

describe('digest golden renders', () => {
  it.each([0, 5, 60, 1000])('%i projects: matches the golden file and fits Slack', (count) => {
    const snapshot = generateSnapshot({ projects: count });
    const period = digestPeriod(new Date(snapshot.now), snapshot.tz, 'week', t);
    const message = buildDigest(snapshot, { mode: 'digest', period, renderChart: fakeChart }, t)!;
    expectGolden(`digest-${count}`, message);
    expect(slackLimitProblems(message)).toEqual([]);
    expectSlackRenderFits(message);
    expect(message.kind).toBe('digest');
    if (count === 0) {
      // No projects, so nothing changed: the quiet-week line.
      expect(message.text).toBe(
        'ML readiness digest · week 48 (23-29 Nov): no changes; 0 gates waiting (/mltrl portfolio).',
      );
    } else {
      expect(message.blocks[0]).toEqual({
        type: 'header',
        text: 'ML readiness digest · week 48 (23-29 Nov)',
      });
      expect(message.blocks.map((block) => block.type)).toContain('image');
    }
  });

  it('caps every list at listCap and says exactly how many were left out', () => {
    const snapshot = generateSnapshot({ projects: 1000 });
    const message = buildDigest(snapshot, { mode: 'portfolio', renderChart: fakeChart }, t)!;
    const waiting = message.blocks.find(
      (block) => block.type === 'list' && block.title === 'Waiting on people',
    );
    const open = snapshot.projects.filter((project) => project.openReview).length;
    expect(waiting).toMatchObject({
      items: expect.any(Array),
      more: `...and ${open - 5} more: /mltrl portfolio`,
    });
    if (waiting?.type === 'list') expect(waiting.items).toHaveLength(5);
    for (const block of message.blocks)
      if (block.type === 'list' && !block.title?.startsWith('Projects'))
        expect(block.items.length).toBeLessThanOrEqual(5);
    // The portfolio's own project list is the "full list" the digest points to: longer, still capped.
    const projects = message.blocks.find(
      (block) => block.type === 'list' && block.title === 'Projects (1000)',
    );
    expect(projects).toMatchObject({ more: expect.stringMatching(/^\.\.\.and 960 more; narrow the list/) });
    if (projects?.type === 'list') expect(projects.items).toHaveLength(40);
  });

  it('portfolio leaves out "what changed" and is addressed to one person', () => {
    const snapshot = generateSnapshot({ projects: 60 });
    const message = buildDigest(snapshot, { mode: 'portfolio', renderChart: fakeChart }, t)!;
    expectGolden('portfolio-60', message);
    expect(message.kind).toBe('portfolio');
    expect(message.blocks.some((block) => block.type === 'list' && block.title === 'What changed')).toBe(
      false,
    );
    expect(slackLimitProblems(message)).toEqual([]);
  });

  it('a quiet week is one line, or nothing when the subscription says skip', () => {
    const snapshot = { ...generateSnapshot({ projects: 5 }), changes: [] };
    const period = digestPeriod(new Date(snapshot.now), snapshot.tz, 'week', t);
    const line = buildDigest(snapshot, { mode: 'digest', period, quietWeek: 'line' }, t);
    expectGolden('quiet-week', line);
    // One line, and the button that leads to the full list.
    expect(line?.blocks.map((block) => block.type)).toEqual(['text', 'actions']);
    const waiting = snapshot.projects.filter((project) => project.openReview).length;
    expect(line?.text).toBe(
      `ML readiness digest · week 48 (23-29 Nov): no changes; ${waiting} gate${waiting === 1 ? '' : 's'} waiting (/mltrl portfolio).`,
    );
    expect(buildDigest(snapshot, { mode: 'digest', period, quietWeek: 'skip' }, t)).toBeUndefined();
  });

  it('a hostile card name is clipped to keep every block inside the limits', () => {
    const snapshot = generateSnapshot({ projects: 60 });
    for (const project of snapshot.projects) project.name = 'X'.repeat(5000);
    for (const change of snapshot.changes) change.name = 'Y'.repeat(5000);
    const period = digestPeriod(new Date(snapshot.now), snapshot.tz, 'week', t);
    const message = buildDigest(snapshot, { mode: 'digest', period, renderChart: fakeChart }, t)!;
    expect(slackLimitProblems(message)).toEqual([]);
  });
});

describe('the chart image', () => {
  it('is a 480-pixel-wide PNG with its text drawn, small enough for a Teams message', () => {
    const snapshot = generateSnapshot({ projects: 1000 });
    const period = digestPeriod(new Date(snapshot.now), snapshot.tz, 'week', t);
    const message = buildDigest(snapshot, { mode: 'digest', period, renderChart: renderChartPng }, t)!;
    const image = message.blocks.find((block) => block.type === 'image');
    expect(image?.type === 'image' && image.pngBase64).toBeTruthy();
    const png = Buffer.from(image?.type === 'image' ? image.pngBase64! : '', 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(480);
    // Teams refuses activities over about 28 KB: the rendered Adaptive Card, image included, stays below.
    expect(JSON.stringify(message).length).toBeLessThan(24_000);
    const card = renderTeamsCard(message, { t, nameOf: () => 'Someone', view: { audience: 'shared' } });
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28_000);
    // Text is drawn (a font was found): the same chart without its labels is a clearly smaller PNG.
    const overview = portfolioOverview(snapshot.projects, snapshot.levels);
    const labels = {
      title: 'Projects by MLTRL level',
      phases: { research: 'R', prototyping: 'P', productization: 'Pr', deployment: 'D' },
    };
    const svg = portfolioChartSvg(overview, labels);
    const withText = Buffer.from(renderChartPng(svg)!, 'base64').length;
    const withoutText = Buffer.from(
      renderChartPng(svg.replace(/<text[^>]*>[^<]*<\/text>/g, ''))!,
      'base64',
    ).length;
    expect(withText).toBeGreaterThan(withoutText * 1.3);
  });
});
