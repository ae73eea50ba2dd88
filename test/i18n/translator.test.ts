import { createTranslator, defaultTranslator } from '../../src/i18n/translator';

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
