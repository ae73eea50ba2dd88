/**
 * Locale tags are BCP 47 ("de", "pt-BR", "zh-Hant-TW"). People files, Slack and Teams sometimes hand us
 * POSIX-style tags ("pt_BR", "de_DE.UTF-8"); this turns them into the canonical BCP 47 form, or returns
 * undefined when the value is not a language tag at all.
 */
export function normalizeLocale(value: string | undefined | null): string | undefined {
  if (!value) return undefined;
  const tag = value.trim().replace(/\..*$/, '').replace(/@.*$/, '').replace(/_/g, '-');
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag)) return undefined;
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

/** The base language of a locale tag: "pt-BR" -> "pt". */
export function baseLanguage(locale: string): string {
  return locale.split('-')[0].toLowerCase();
}

/**
 * Picks the catalog language for a wanted locale among the available ones: the exact tag, then its base
 * language ("de-AT" -> "de"), then another region of that language ("pt" -> "pt-BR"); undefined when
 * none fits, so the caller falls back to its default.
 */
export function matchLocale(wanted: string | undefined, available: readonly string[]): string | undefined {
  const tag = normalizeLocale(wanted);
  if (!tag) return undefined;
  const exact = available.find((candidate) => candidate.toLowerCase() === tag.toLowerCase());
  if (exact) return exact;
  const base = baseLanguage(tag);
  return (
    available.find((candidate) => candidate.toLowerCase() === base) ??
    available.find((candidate) => baseLanguage(candidate) === base)
  );
}
