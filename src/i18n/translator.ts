import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type i18n } from 'i18next';
import { matchLocale, normalizeLocale } from '../core/locale';
import type { Translate } from '../core/ports';

/**
 * Catalogs live in the top-level i18n/ folder, one folder per language and one JSON file per area
 * (namespace): i18n/en/cards.json, i18n/en/engine.json, ... Keys are written `namespace:path.to.key`.
 * Plurals use i18next's suffixes (`_one`, `_other`) with a `count` parameter.
 */
export interface Catalogs {
  [language: string]: { [namespace: string]: Record<string, unknown> };
}

export function loadCatalogs(dir: string): Catalogs {
  const catalogs: Catalogs = {};
  for (const language of readdirSync(dir)) {
    const languageDir = join(dir, language);
    if (!statSync(languageDir).isDirectory()) continue;
    catalogs[language] = {};
    for (const file of readdirSync(languageDir)) {
      if (!file.endsWith('.json')) continue;
      const path = join(languageDir, file);
      try {
        catalogs[language][file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(path, 'utf8'));
      } catch (error) {
        throw new Error(`i18n catalog ${path} is not valid JSON: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
  }
  if (!catalogs.en) throw new Error(`i18n catalogs in ${dir} have no English (en) folder`);
  return catalogs;
}

/**
 * Told once per locale tag that has no catalog of its own: which catalog it reads instead ("de-AT" ->
 * "de", "sv" -> the default), so an operator sees why someone gets another language.
 */
export type FallbackListener = (wanted: string, used: string) => void;

export function createTranslator(
  catalogs: Catalogs,
  defaultLocale = 'en',
  onFallback?: FallbackListener,
): Translate {
  const languages = Object.keys(catalogs);
  const fallback = matchLocale(defaultLocale, languages) ?? 'en';
  const instance: i18n = i18next.createInstance();
  void instance.init({
    resources: catalogs,
    lng: fallback,
    fallbackLng: fallback === 'en' ? 'en' : [fallback, 'en'],
    ns: Object.keys(catalogs.en),
    defaultNS: 'common',
    initAsync: false,
    // Catalog folders are BCP 47 tags ("pt-BR"); keep i18next from lower-casing or shortening them.
    load: 'currentOnly',
    // Messages are plain text; each renderer escapes for its platform.
    interpolation: { escapeValue: false },
    returnNull: false,
    // i18next otherwise prints a notice to stdout, which would corrupt `--json` output.
    showSupportNotice: false,
  });
  const fixed = new Map<string, ReturnType<i18n['getFixedT']>>();
  // The catalogs are read once, so a message is fixed by its key and parameters. i18next's look-up and
  // interpolation cost 20-35 µs a message with parameters, a noticeable share of answering a vote click
  // (bench/README.md): the texts are remembered per language, keyed by the key and the parameters.
  const texts = new Map<string, Map<string, string>>();
  return (key, params, locale) => {
    const wanted = locale ?? defaultLocale;
    const id = memoKey(key, params);
    const cached = id === undefined ? undefined : texts.get(wanted)?.get(id);
    if (cached !== undefined) return cached;
    let t = fixed.get(wanted);
    if (!t) {
      const used = matchLocale(wanted, languages) ?? fallback;
      if (used !== normalizeLocale(wanted) && fixed.size < 1000) onFallback?.(wanted, used);
      t = instance.getFixedT(used);
      // Bounded: locale tags come from platform profiles, a closed but not a tiny set.
      if (fixed.size < 1000) fixed.set(wanted, t);
    }
    const text = t(key, params as Record<string, unknown>) as string;
    if (id !== undefined && fixed.has(wanted)) {
      let known = texts.get(wanted);
      if (!known) texts.set(wanted, (known = new Map()));
      // Bounded: parameters carry names, IDs and dates, so the texts of a long-running process keep coming.
      if (known.size >= 10_000) known.clear();
      known.set(id, text);
    }
    return text;
  };
}

/**
 * The memo key of a message: its key, and its parameters when every value is a string, a finite number, a
 * boolean, null or absent (JSON writes those unambiguously). Anything else (a Date, an error) is not
 * remembered: two such values can print differently although they serialise alike.
 */
function memoKey(key: string, params: Record<string, unknown> | undefined): string | undefined {
  if (params === undefined) return key;
  for (const name in params) {
    const value = params[name];
    const type = typeof value;
    if (type === 'string' || type === 'boolean' || value === undefined || value === null) continue;
    if (type === 'number' && Number.isFinite(value)) continue;
    return undefined;
  }
  return `${key}\u0000${JSON.stringify(params)}`;
}

const CATALOG_DIR = join(__dirname, '..', '..', 'i18n');

/** The translator over the repository's own catalogs. */
export function defaultTranslator(defaultLocale = 'en', onFallback?: FallbackListener): Translate {
  return createTranslator(loadCatalogs(CATALOG_DIR), defaultLocale, onFallback);
}

/** The languages the repository's catalogs cover (BCP 47 tags: "de", "pt-BR"), English first. */
export function catalogLanguages(): string[] {
  const languages = Object.keys(loadCatalogs(CATALOG_DIR)).sort();
  return ['en', ...languages.filter((language) => language !== 'en')];
}
