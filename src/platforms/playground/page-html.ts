import { readFileSync } from 'node:fs';
import type { Translate } from '../../core/ports';
import { normalizeLocale } from '../../core/locale';

/**
 * The page, with its `<html lang>` and `<title>` in the reader's language (`?lang=`, else the default
 * locale), so the browser tab and screen readers read right before the script has loaded the catalog.
 */
export function createPageHtml(file: string, t: Translate, defaultLocale: string) {
  const template = readFileSync(file, 'utf8');
  const pages = new Map<string, string>();
  return (wanted: unknown): string => {
    const locale = (typeof wanted === 'string' && normalizeLocale(wanted.slice(0, 35))) || defaultLocale;
    let page = pages.get(locale);
    if (page === undefined) {
      page = template
        .replace(/<html lang="[^"]*">/, `<html lang="${escapeHtml(locale)}">`)
        .replace(
          /<title>[^<]*<\/title>/,
          `<title>${escapeHtml(t('playground:page.title', {}, locale))}</title>`,
        );
      if (pages.size < 50) pages.set(locale, page);
    }
    return page;
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
