import { gapLabel } from '../../src/core/render';
import { defaultTranslator } from '../../src/i18n/translator';
import type { PeopleDirectory } from '../../src/core/people';
import { CHANNEL, click, command, completeRetina, directory, makeHarness, person } from './harness';

const textOf = (reply: { ephemeral: Array<{ text: string }> }) =>
  reply.ephemeral.map((m) => m.text).join('\n');

/** Ana (owner) reads Japanese, Priya (reviewer) German; Sam and Li have no language, so the default. */
const people: PeopleDirectory = {
  people: directory.people.map((p) =>
    p.id === 'ana' ? { ...p, locale: 'ja' } : p.id === 'priya' ? { ...p, locale: 'de' } : p,
  ),
};

describe('languages: each person in their own, the channel in its own', () => {
  it('runs one review for a Japanese owner and a German reviewer in a German channel', async () => {
    const h = makeHarness({ people });

    // Before anyone chose, the channel reads the default; Ana is told so in Japanese.
    const shown = await command(h, 'ana', 'language');
    expect(textOf(shown)).toContain('このチャンネルの言語はボットの既定の英語（en）です');
    expect(textOf(shown)).toContain('ドイツ語 (de)');
    expect(shown.ephemeral[0].locale).toBe('ja');

    // Only admins choose; pt_BR-style tags are normalised, unknown languages refused.
    expect(textOf(await command(h, 'sam', 'language use de'))).toContain('Only admins can change');
    expect(textOf(await command(h, 'lee', 'language use sv'))).toContain('I do not speak sv yet');
    expect(textOf(await command(h, 'lee', 'language use pt_BR'))).toContain('(pt-BR)');
    expect((await h.stores.channelLanguages.get(CHANNEL))?.locale).toBe('pt-BR');
    const set = await command(h, 'lee', 'language use de');
    expect(textOf(set)).toContain('Ab jetzt liest dieser Kanal Deutsch (de).');
    expect((await h.stores.channelLanguages.get(CHANNEL))?.locale).toBe('de');

    // The channel's gap report is German; Sam's private answer English.
    const started = await command(h, 'sam', 'review R07.2');
    expect(textOf(started)).toContain('Started the 3 -> 4 review of R07.2');
    const report = h.delivery.find('-gaps-')[0].message;
    expect(report.locale).toBe('de');
    expect(report.text).toContain(
      'Gate-Review: Retina lesion detector (R07.2), Level 3 -> 4 (Entwicklung des Proof of Concept (PoC))',
    );
    expect(report.text).toContain('Bevor die Reviewer abstimmen können, braucht die Karte:');

    // Reminders: Ana's in Japanese, Sam's in English.
    h.clock.set('2026-11-24T09:30:00Z');
    await h.scheduler.runDue(h.engine, h.clock.now());
    const nudges = h.delivery.find('-nudge-owners-r1-');
    const to = (id: string) => nudges.find((n) => n.op === 'dm' && n.userId === id)!.message;
    expect(to('ana').text).toContain(
      'R07.2 Retina lesion detector の レベル 3 -> 4 ゲートがあなたを待っています。',
    );
    expect(to('ana').locale).toBe('ja');
    expect(to('sam').text).toContain('is waiting on you for its level 3 -> 4 gate');

    // The vote in the channel reads German.
    h.cards.edit('retina-lesion-detector.md', completeRetina);
    h.clock.set('2026-11-26T09:30:00Z');
    await h.scheduler.runDue(h.engine, h.clock.now());
    const vote = h.delivery.find('-vote')[0].message;
    expect(vote.locale).toBe('de');
    expect(vote.text).toContain('Gate-Abstimmung: R07.2 Retina lesion detector, Level 3 -> 4');
    expect(vote.text).toContain('Braucht 1 Zustimmung');
    const labels = vote.blocks.flatMap((b) => (b.type === 'actions' ? b.actions.map((a) => a.type) : []));
    expect(labels.length).toBeGreaterThan(0);

    // Priya's private confirmation is German, the updated vote German too.
    const voted = await click(h, 'priya', 'vote-approve');
    expect(textOf(voted)).toBe('Deine Stimme zu R07.2 ist erfasst: zugestimmt.');
    expect(voted.updated?.text).toContain('<@priya> zugestimmt');

    // Ana's status is Japanese and says which language the channel reads.
    const status = await command(h, 'ana', 'status R07.2');
    expect(textOf(status)).toContain('レベル 3');
    expect(textOf(status)).toContain('このチャンネルの言語はドイツ語（de）です（設定: lee）。');

    // Home: phases and words in Ana's language.
    const home = await h.engine.home(person('ana'));
    expect(home.text).toContain('あなたのプロジェクト');
    const fields = home.blocks.flatMap((b) => (b.type === 'fields' ? b.fields.map((f) => f.label) : []));
    expect(fields).toEqual(['研究', 'プロトタイピング', '製品化', '展開']);

    // `use default` goes back to DEFAULT_LOCALE.
    expect(textOf(await command(h, 'lee', 'language use default'))).toContain('English (en)');
    expect(await h.stores.channelLanguages.get(CHANNEL)).toBeUndefined();
  });

  it('answers a malformed language command with its usage', async () => {
    const h = makeHarness();
    expect(textOf(await command(h, 'lee', 'language use'))).toContain('Say which language');
    expect(textOf(await command(h, 'lee', 'language set de'))).toContain('/mltrl language [use <tag>');
    expect(textOf(await command(h, 'lee', 'language use de!'))).toContain('is not a language tag');
    expect(textOf(await command(h, 'lee', 'help'))).toContain(
      "/mltrl language [use <tag> | use default]: show this channel's language",
    );
  });
});

test("a row the card lacks is named in the reader's language; the card's own words stay", () => {
  const env = (locale: string) => ({ t: defaultTranslator(), locale, tz: 'UTC' });
  const missing = { key: 'intended-use' as const, label: 'Intended use' };
  expect(gapLabel(missing, env('de'))).toBe('Vorgesehene Verwendung');
  expect(gapLabel(missing, env('ja'))).toBe('想定用途');
  expect(gapLabel(missing, env('en'))).toBe('Intended use');
  expect(gapLabel({ key: 'intended-use', label: 'Verwendungszweck' }, env('ja'))).toBe('Verwendungszweck');
});
