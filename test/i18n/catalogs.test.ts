import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalogs, type Catalogs } from '../../src/i18n/translator';

/**
 * The catalogs in i18n/ against each other and against the code: every language has every English key,
 * the same {{placeholders}}, the plural forms its language needs, no empty strings; every key the code
 * names exists, and every English key is named somewhere in the code.
 */
const ROOT = join(__dirname, '..', '..');
const catalogs: Catalogs = loadCatalogs(join(ROOT, 'i18n'));
const languages = Object.keys(catalogs).filter((language) => language !== 'en');
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(tree: Record<string, unknown>, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (value && typeof value === 'object') {
      for (const [k, v] of flatten(value as Record<string, unknown>, `${prefix}${key}.`)) out.set(k, v);
    } else out.set(`${prefix}${key}`, value as string);
  }
  return out;
}

function flatCatalog(language: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [namespace, tree] of Object.entries(catalogs[language])) {
    for (const [key, value] of flatten(tree)) out.set(`${namespace}:${key}`, value);
  }
  return out;
}

/** Key without its plural suffix, with the suffixes seen per base key. */
function byBase(flat: Map<string, string>): Map<string, { forms: Set<string>; texts: string[] }> {
  const out = new Map<string, { forms: Set<string>; texts: string[] }>();
  for (const [key, text] of flat) {
    const match = key.match(PLURAL);
    const base = match ? key.slice(0, -match[0].length) : key;
    const entry = out.get(base) ?? { forms: new Set<string>(), texts: [] };
    entry.forms.add(match ? match[1] : '');
    entry.texts.push(text);
    out.set(base, entry);
  }
  return out;
}

function placeholders(texts: string[]): string[] {
  const names = new Set<string>();
  for (const text of texts) for (const m of text.matchAll(/\{\{\s*([\w.-]+)\s*\}\}/g)) names.add(m[1]);
  return [...names].sort();
}

function pluralForms(language: string): string[] {
  return [...new Intl.PluralRules(language).resolvedOptions().pluralCategories].sort();
}

const english = byBase(flatCatalog('en'));

test('the five translations sit beside English', () => {
  expect(Object.keys(catalogs).sort()).toEqual(['de', 'en', 'es', 'fr', 'ja', 'pt-BR']);
  for (const language of languages) {
    expect(Object.keys(catalogs[language]).sort()).toEqual(Object.keys(catalogs.en).sort());
  }
});

describe.each(['en', ...languages])('catalog %s', (language) => {
  const flat = flatCatalog(language);
  const bases = byBase(flat);

  test('has every English key and no other', () => {
    expect([...bases.keys()].sort()).toEqual([...english.keys()].sort());
  });

  test('has no empty strings', () => {
    expect([...flat].filter(([, text]) => text.trim() === '').map(([key]) => key)).toEqual([]);
  });

  test('uses the same placeholders as English', () => {
    const differ: string[] = [];
    for (const [base, entry] of bases) {
      const en = english.get(base);
      if (en && placeholders(entry.texts).join() !== placeholders(en.texts).join()) differ.push(base);
    }
    expect(differ).toEqual([]);
  });

  test("has exactly the plural forms the language's rules use", () => {
    const wrong: string[] = [];
    const forms = pluralForms(language).join();
    for (const [base, entry] of bases) {
      if (!english.get(base)?.forms.has('other')) continue;
      if ([...entry.forms].sort().join() !== forms) wrong.push(`${base}: ${[...entry.forms].sort().join()}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('catalogs and code', () => {
  const sources: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|js|html)$/.test(name)) sources.push(readFileSync(path, 'utf8'));
    }
  };
  walk(join(ROOT, 'src'));
  const code = sources.join('\n');
  const namespaces = Object.keys(catalogs.en);
  const nsPattern = namespaces.join('|');
  // 'engine:vote.title' or `engine:vote.${kind}` (a dynamic tail names every key below its prefix).
  const literal = new RegExp(`['"\`](${nsPattern}):([A-Za-z0-9_.-]*)(\\$\\{)?`, 'g');
  const named = new Set<string>();
  const prefixes = new Set<string>();
  for (const m of code.matchAll(literal)) {
    if (!m[3] && (m[2] === '' || m[2].endsWith('.'))) continue; // prose in comments: `engine:parse.`
    if (m[3]) prefixes.add(`${m[1]}:${m[2]}`);
    else named.add(`${m[1]}:${m[2]}`);
  }
  // Namespaces the code reaches with a whole dynamic key (`engine:${key}`) name their keys relative to
  // the namespace: 'refuse.noProject', 'openCard', or `usage.${name}` (a prefix again).
  const relativeKeys = new Set<string>();
  const relativePrefixes = new Set<string>();
  for (const m of code.matchAll(/['"`]([A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*)(['"`]|\.\$\{)/g)) {
    if (m[2] === '.${') relativePrefixes.add(`${m[1]}.`);
    else relativeKeys.add(m[1]);
  }
  const wholeNamespaces = new Set([...prefixes].filter((p) => p.endsWith(':')).map((p) => p.slice(0, -1)));
  const isKey = (candidate: string) => english.has(candidate) || english.has(candidate.replace(PLURAL, ''));

  test('every key the code names exists in English', () => {
    expect([...named].filter((key) => !isKey(key) && !isOtherId(key))).toEqual([]);
  });

  test('every dynamic key prefix the code uses exists in English', () => {
    const keys = [...english.keys()];
    const missing = [...prefixes].filter((p) => !p.endsWith(':') && !keys.some((key) => key.startsWith(p)));
    expect(missing).toEqual([]);
  });

  test('every English key is used by the code', () => {
    const unused = [...english.keys()].filter((key) => {
      if (named.has(key)) return false;
      if ([...prefixes].some((prefix) => !prefix.endsWith(':') && key.startsWith(prefix))) return false;
      const [namespace, path] = key.split(':');
      if (!wholeNamespaces.has(namespace)) return true;
      return !relativeKeys.has(path) && ![...relativePrefixes].some((prefix) => path.startsWith(prefix));
    });
    expect(unused).toEqual([]);
  });

  test('the scan sees the source tree', () => {
    expect(sources.length).toBeGreaterThan(50);
    expect(named.has('engine:vote.title') || relativeKeys.has('vote.title')).toBe(true);
    expect(wholeNamespaces.has('engine')).toBe(true);
  });
});

/** Conversation ids such as 'slack:T123' or 'playground:ml-reviews' look like keys but are not. */
function isOtherId(key: string): boolean {
  const [namespace, rest] = key.split(':');
  return ['slack', 'teams', 'playground'].includes(namespace) && !rest.includes('.');
}
