import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { buildDigest, digestPeriod } from '../../src/core/digest';
import type { OutboundMessage } from '../../src/core/messages';
import { loadDefaultFlow } from '../../src/flows';
import { defaultTranslator } from '../../src/i18n/translator';
import { renderMessage } from '../../src/platforms/slack/render/render-message';
import { MAX_CARD_BYTES, renderTeamsCard } from '../../src/platforms/teams/render/adaptive-card';
import { generateSnapshot } from '../digest/support/generate-snapshot';
import { CHANNEL, command, completeRetina, directory, makeHarness } from '../engine/harness';
import { blockKitViolations } from '../slack/support/block-kit-limits';
import { expectGoldenJson } from '../support/golden';
import { validateAdaptiveCard } from '../teams/support/validate-adaptive-card';

/**
 * The vote message and the digest in German and Japanese, as the engine and the digest builder write
 * them, rendered for Slack and Teams: test/golden/{slack,teams}/{vote,digest}.{de,ja}.json.
 * `UPDATE_GOLDEN=1 npx jest test/i18n/localized-goldens` rewrites them after an intended change.
 */
const t = defaultTranslator();
const GOLDEN = join(__dirname, '..', 'golden');
const nameOf = (id: string) => directory.people.find((p) => p.id === id)?.name;
const fakeChart = (svg: string) =>
  `svg-sha256-${createHash('sha256').update(svg).digest('hex').slice(0, 16)}`;

/** The vote the engine posts in a channel that reads `locale`, its random review id made fixed. */
async function voteIn(locale: string): Promise<OutboundMessage> {
  const h = makeHarness();
  await h.stores.channelLanguages.set(CHANNEL, { locale, by: 'lee', at: '2026-11-23T08:00:00Z' });
  h.cards.edit('retina-lesion-detector.md', completeRetina);
  await command(h, 'sam', 'review R07.2');
  const vote = h.delivery.find('-vote').find((r) => r.message.kind === 'vote');
  if (!vote) throw new Error('no vote posted');
  const [review] = await h.stores.reviews.listOpen();
  return JSON.parse(JSON.stringify(vote.message).replaceAll(review.id, 'rGOLDEN000000')) as OutboundMessage;
}

function digestIn(locale: string): OutboundMessage {
  // The default flow's levels, which name themselves in every language.
  const snapshot = { ...generateSnapshot({ projects: 5 }), levels: loadDefaultFlow().levels };
  const period = digestPeriod(new Date(snapshot.now), snapshot.tz, 'week', t, locale);
  return buildDigest(snapshot, { mode: 'digest', period, locale, renderChart: fakeChart }, t)!;
}

function expectRendersFit(name: string, locale: string, message: OutboundMessage): void {
  const slack = renderMessage(message, { t, locale: message.locale });
  expect(blockKitViolations(slack.blocks as unknown as Record<string, unknown>[], 50)).toEqual([]);
  expectGoldenJson(join(GOLDEN, 'slack', `${name}.${locale}.json`), slack);
  const teams = renderTeamsCard(message, {
    t,
    locale: message.locale ?? 'en',
    nameOf,
    view: { audience: 'shared' },
  });
  expect(validateAdaptiveCard(teams as unknown as Record<string, unknown>)).toEqual([]);
  expect(Buffer.byteLength(JSON.stringify(teams))).toBeLessThanOrEqual(MAX_CARD_BYTES);
  expectGoldenJson(join(GOLDEN, 'teams', `${name}.${locale}.json`), teams);
}

describe('German and Japanese goldens', () => {
  test('the vote in a German channel', async () => {
    const vote = await voteIn('de');
    expect(vote.locale).toBe('de');
    expect(vote.text).toContain('Gate-Abstimmung: R07.2 Retina lesion detector, Level 3 -> 4');
    expectRendersFit('vote', 'de', vote);
  });

  test('the vote in a Japanese channel', async () => {
    const vote = await voteIn('ja');
    expect(vote.text).toContain('ゲート投票: R07.2 Retina lesion detector、レベル 3 -> 4');
    expect(vote.text).toContain('承認が 1 件必要');
    expect(vote.text).toContain('レビュアー: <@priya> 未投票、<@li> 未投票');
    expectRendersFit('vote', 'ja', vote);
  });

  test('the digest in German and Japanese', () => {
    const de = digestIn('de');
    expect(de.text).toContain('ML-Reifegrad-Digest · KW 48 (23.–29. Nov.)');
    expect(JSON.stringify(de.blocks)).toContain('Systementwicklung');
    expectRendersFit('digest', 'de', de);
    const ja = digestIn('ja');
    expect(ja.text).toContain('ML 成熟度ダイジェスト · 第 48 週（11月23日～11月29日）');
    expect(JSON.stringify(ja.blocks)).toContain('システム開発');
    expectRendersFit('digest', 'ja', ja);
  });
});
