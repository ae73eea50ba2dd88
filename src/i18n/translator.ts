import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type i18n } from 'i18next';
import { matchLocale } from '../core/locale';
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

export function createTranslator(catalogs: Catalogs, defaultLocale = 'en'): Translate {
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
  return (key, params, locale) => {
    const wanted = locale ?? defaultLocale;
    let t = fixed.get(wanted);
    if (!t) {
      t = instance.getFixedT(matchLocale(wanted, languages) ?? fallback);
      fixed.set(wanted, t);
    }
    return t(key, params as Record<string, unknown>) as string;
  };
}

/** The translator over the repository's own catalogs. */
export function defaultTranslator(defaultLocale = 'en'): Translate {
  return createTranslator(loadCatalogs(join(__dirname, '..', '..', 'i18n')), defaultLocale);
}
