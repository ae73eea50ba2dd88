import { loadConfig } from '../../src/config/config';
import { matchLocale, normalizeLocale } from '../../src/core/locale';
import { createTranslator, defaultTranslator } from '../../src/i18n/translator';
import { peopleFileSchema } from '../../src/people/people-schema';

test('translates by namespaced key with interpolation and plurals, falling back to English', () => {
  const t = createTranslator({
    en: { common: { hello: 'Hello {{name}}', days_one: '{{count}} day', days_other: '{{count}} days' } },
    de: { common: { hello: 'Hallo {{name}}' } },
  });
  expect(t('common:hello', { name: 'Ana' })).toBe('Hello Ana');
  expect(t('common:hello', { name: 'Ana' }, 'de-DE')).toBe('Hallo Ana');
  expect(t('common:days', { count: 1 })).toBe('1 day');
  expect(t('common:days', { count: 3 }, 'de')).toBe('3 days');
});

test('the repository catalogs load', () => {
  const t = defaultTranslator();
  expect(t('slack:andMore', { count: 4 })).toBe('...and 4 more: /mltrl portfolio');
});

test('locale tags: BCP 47, pt_BR normalised, base language, then the default, each fallback told once', () => {
  const told: string[] = [];
  const t = createTranslator(
    {
      en: { common: { hi: 'Hi' } },
      de: { common: { hi: 'Hallo' } },
      'pt-BR': { common: { hi: 'Oi' } },
    },
    'en',
    (wanted, used) => told.push(`${wanted}->${used}`),
  );
  expect(t('common:hi', {}, 'pt_BR')).toBe('Oi');
  expect(t('common:hi', {}, 'pt-br')).toBe('Oi');
  expect(t('common:hi', {}, 'pt')).toBe('Oi');
  expect(t('common:hi', {}, 'de-AT')).toBe('Hallo');
  expect(t('common:hi', {}, 'de-AT')).toBe('Hallo');
  expect(t('common:hi', {}, 'sv')).toBe('Hi');
  expect(t('common:hi', {}, 'not a tag')).toBe('Hi');
  expect(told).toEqual(['pt->pt-BR', 'de-AT->de', 'sv->en', 'not a tag->en']);
});

test('normalizeLocale and matchLocale', () => {
  expect(normalizeLocale('pt_BR')).toBe('pt-BR');
  expect(normalizeLocale('de_DE.UTF-8')).toBe('de-DE');
  expect(normalizeLocale('JA-jp')).toBe('ja-JP');
  expect(normalizeLocale('en; drop table')).toBeUndefined();
  expect(normalizeLocale('')).toBeUndefined();
  const available = ['en', 'de', 'ja', 'pt-BR'];
  expect(matchLocale('ja-JP', available)).toBe('ja');
  expect(matchLocale('pt-PT', available)).toBe('pt-BR');
  expect(matchLocale('fr', available)).toBeUndefined();
});

test('DEFAULT_LOCALE and people files accept pt_BR as pt-BR', () => {
  expect(loadConfig({ DEFAULT_LOCALE: 'pt_BR' }).DEFAULT_LOCALE).toBe('pt-BR');
  expect(() => loadConfig({ DEFAULT_LOCALE: 'not a locale' })).toThrow(/DEFAULT_LOCALE/);
  const parsed = peopleFileSchema.parse({ people: [{ id: 'rui', name: 'Rui', locale: 'pt_BR' }] });
  expect(parsed.people[0].locale).toBe('pt-BR');
});

test('remembered texts: each key and parameters keeps its own text; values that print alike only by JSON are not remembered', () => {
  const t = createTranslator({
    en: { common: { hello: 'Hello {{name}}', days_one: '{{count}} day', days_other: '{{count}} days' } },
    de: { common: { hello: 'Hallo {{name}}' } },
  });
  for (let round = 0; round < 2; round++) {
    expect(t('common:hello', { name: 'Ana' })).toBe('Hello Ana');
    expect(t('common:hello', { name: 'Li' })).toBe('Hello Li');
    expect(t('common:hello', { name: 'Ana' }, 'de')).toBe('Hallo Ana');
    expect(t('common:days', { count: 1 })).toBe('1 day');
    expect(t('common:days', { count: 2 })).toBe('2 days');
    expect(t('common:hello', { name: 'a"},{"b' })).toBe('Hello a"},{"b');
  }
  // Both serialise as {} in JSON, but print differently.
  const named = (text: string) => ({ toString: () => text });
  expect(t('common:hello', { name: named('Sam') })).toBe('Hello Sam');
  expect(t('common:hello', { name: named('Priya') })).toBe('Hello Priya');
});
