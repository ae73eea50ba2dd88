import { join } from 'node:path';
import { buildDigest, digestPeriod } from '../../src/core/digest';
import type { OutboundMessage } from '../../src/core/messages';
import { createTranslator, loadCatalogs, type Catalogs } from '../../src/i18n/translator';
import { renderMessage } from '../../src/platforms/slack/render/render-message';
import { MAX_CARD_BYTES, renderTeamsCard } from '../../src/platforms/teams/render/adaptive-card';
import { generateSnapshot } from '../digest/support/generate-snapshot';
import { CHANNEL, click, command, completeRetina, directory, makeHarness, person } from '../engine/harness';
import { blockKitViolations } from '../slack/support/block-kit-limits';
import { validateAdaptiveCard } from '../teams/support/validate-adaptive-card';

/**
 * A pseudo-locale (`en-XA`): every English string about 40% longer, with accents and wide characters,
 * placeholders kept. Every kind of message the engine writes in it must still fit Slack's Block Kit limits
 * and the Teams card size limit, so a wordier language cannot break a renderer.
 */
const PSEUDO = 'en-XA';
const ACCENTS: Record<string, string> = {
  a: 'á',
  e: 'é',
  i: 'í',
  o: 'ö',
  u: 'ü',
  A: 'Å',
  E: 'É',
  O: 'Ø',
  c: 'ç',
  n: 'ñ',
};

function pseudo(text: string): string {
  // Placeholders ({{name}}), mention tokens and commands stay as they are.
  const parts = text.split(/(\{\{[^}]+\}\}|<[^>]+>|\/mltrl \S+)/);
  const body = parts
    .map((part, i) => (i % 2 ? part : part.replace(/[aeiouAEOcn]/g, (ch) => ACCENTS[ch])))
    .join('');
  const letters = text.replace(/\{\{[^}]+\}\}/g, '').length;
  const pad = '－ｗｉｄｅ'.repeat(Math.ceil((letters * 0.4) / 5)).slice(0, Math.ceil(letters * 0.4));
  return letters ? `⟦${body} ${pad}⟧` : text;
}

function pseudoCatalogs(): Catalogs {
  const catalogs = loadCatalogs(join(__dirname, '..', '..', 'i18n'));
  const walk = (tree: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(tree).map(([k, v]) => [
        k,
        typeof v === 'string' ? pseudo(v) : walk(v as Record<string, unknown>),
      ]),
    );
  return { en: catalogs.en, [PSEUDO]: walk(catalogs.en) as Catalogs[string] };
}

const t = createTranslator(pseudoCatalogs(), PSEUDO);
const nameOf = (id: string) => directory.people.find((p) => p.id === id)?.name;

function expectFits(message: OutboundMessage): void {
  const slack = renderMessage(message, { t, locale: PSEUDO });
  expect(blockKitViolations(slack.blocks as unknown as Record<string, unknown>[], 50)).toEqual([]);
  expect(slack.text.length).toBeLessThanOrEqual(4000);
  const card = renderTeamsCard(message, { t, locale: PSEUDO, nameOf, view: { audience: 'shared' } });
  expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(MAX_CARD_BYTES);
  expect(validateAdaptiveCard(card as unknown as Record<string, unknown>)).toEqual([]);
}

test('the pseudo-locale is longer, accented and wide, with the same placeholders', () => {
  const english = createTranslator(pseudoCatalogs());
  const plain = english('engine:vote.noReviewers');
  const long = t('engine:vote.noReviewers');
  expect(long.length).toBeGreaterThanOrEqual(plain.length * 1.4);
  expect(long).toMatch(/[áéíöü]/);
  expect(long).toMatch(/[ｗｉｄｅ]/);
  expect(t('engine:vote.title', { id: 'R07.2', name: 'Retina', gate: 'level 3 -> 4' })).toContain(
    'R07.2 Retina',
  );
});

test('every kind of message the engine writes fits Slack and Teams in the pseudo-locale', async () => {
  const h = makeHarness({ t, people: { people: directory.people.map((p) => ({ ...p, locale: PSEUDO })) } });
  await h.stores.channelLanguages.set(CHANNEL, { locale: PSEUDO, by: 'lee', at: '2026-11-23T08:00:00Z' });
  const replies: OutboundMessage[] = [];
  const run = async (who: string, text: string) => replies.push(...(await command(h, who, text)).ephemeral);

  await run('sam', 'review R07.2'); // gap report
  for (const day of ['2026-11-24', '2026-11-26', '2026-12-02', '2026-12-10']) {
    h.clock.set(`${day}T09:30:00Z`); // nudges, then the escalation
    await h.scheduler.runDue(h.engine, h.clock.now());
  }
  await run('ana', 'status R07.2');
  await run('ana', 'status');
  await run('ana', 'help');
  await run('ana', 'review');
  await run('ana', 'frobnicate');
  await run('ana', 'history R07.2');
  await run('lee', 'language');
  h.cards.edit('retina-lesion-detector.md', completeRetina); // the vote opens
  await h.engine.cardsChanged(['retina-lesion-detector.md']);
  h.clock.set('2026-12-11T09:30:00Z');
  await h.scheduler.runDue(h.engine, h.clock.now());
  replies.push(...(await click(h, 'priya', 'vote-approve')).ephemeral);
  replies.push(...(await click(h, 'li', 'vote-approve')).ephemeral); // the outcome
  replies.push(await h.engine.home(person('ana')));

  const delivered = [...h.delivery.delivered.values()].map((request) => request.message);
  const snapshot = generateSnapshot({ projects: 60 });
  const period = digestPeriod(new Date(snapshot.now), snapshot.tz, 'week', t, PSEUDO);
  const digest = buildDigest(snapshot, { mode: 'digest', period, locale: PSEUDO }, t)!;
  const all = [...delivered, ...replies, digest];
  const kinds = new Set(all.map((message) => message.kind));
  for (const kind of [
    'gap-report',
    'nudge',
    'escalation',
    'vote',
    'outcome',
    'status',
    'help',
    'usage',
    'history',
    'notice',
    'portfolio',
    'digest',
  ])
    expect(kinds).toContain(kind);
  for (const message of all) expectFits(message);
  expect(all.every((message) => /[ｗｉｄｅ]/.test(message.text))).toBe(true);
});
