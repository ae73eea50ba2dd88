/** Text into HTML: every value the page shows goes through here (card names are untrusted input). */
export function escapeHtml(text: string | number): string {
  return String(text).replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * Only our own files: no inline script or style, nothing from another origin, never framed. The page is
 * reached through a signed link in its URL, so it is never cached and the URL never leaves as a referrer.
 */
export const PAGE_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Robots-Tag': 'noindex, nofollow',
};

/** The page frame: language, title, our stylesheet and script. */
export function pageFrame(input: { lang: string; title: string; body: string; script?: boolean }): string {
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(input.lang)}">`,
    '<head>',
    '<meta charset="utf-8" />',
    '<meta name="viewport" content="width=device-width, initial-scale=1" />',
    '<meta name="referrer" content="no-referrer" />',
    `<title>${escapeHtml(input.title)}</title>`,
    '<link rel="stylesheet" href="/portfolio/assets/portfolio.css" />',
    input.script ? '<script src="/portfolio/assets/sort-table.js" defer></script>' : '',
    '</head>',
    `<body>${input.body}</body>`,
    '</html>',
  ].join('\n');
}
