/**
 * Template text that counts as missing. The patterns themselves live in the flow file (SPEC section 4);
 * these defaults are what `flows/mltrl.yaml` ships, used when a caller has no flow at hand (the card
 * parser deciding whether an owner cell names anybody).
 */
export const DEFAULT_PLACEHOLDER_SOURCES: readonly string[] = [
  // Italic parenthesised template prompts: (*link to prior level cards*), (_describe..._)
  String.raw`\(\s*([*_]).*?\1\s*\)`,
  // TODO / TBD and whatever follows them on the line ("TODO: add the link")
  String.raw`^[\s*_>-]*(?:TODO|TBD)\b.*$`,
  // A lone WIP (a "WIP: pre-dev checklist" is an answer, started but not complete)
  String.raw`^[\s*_>-]*WIP[\s*_.!]*$`,
  String.raw`\[More Information Needed\]`,
  // HTML comments left from a template
  String.raw`<!--[\s\S]*?-->`,
];

/** Text that marks a row as started but not complete ("WIP: pre-dev checklist", "post-dev in progress"). */
export const DEFAULT_INCOMPLETE_SOURCES: readonly string[] = [
  String.raw`\b(?:WIP|work in progress|in progress|not (?:yet )?(?:started|complete|completed|done)|partial(?:ly)?)\b`,
];

/** Compiles flow placeholder sources: case-insensitive, global, line-anchored `^`/`$`. */
export function compilePlaceholder(source: string): RegExp {
  return new RegExp(source, 'gim');
}

export const DEFAULT_PLACEHOLDERS: readonly RegExp[] = DEFAULT_PLACEHOLDER_SOURCES.map(compilePlaceholder);
export const DEFAULT_INCOMPLETE: readonly RegExp[] = DEFAULT_INCOMPLETE_SOURCES.map(compilePlaceholder);

/**
 * True when the text holds nothing but template text: after removing every placeholder match, no letter
 * or digit is left. An empty text is not a placeholder (the caller reports it as `empty`).
 */
export function isOnlyPlaceholder(text: string, patterns: readonly RegExp[]): boolean {
  if (!hasContent(text)) return false;
  let rest = text;
  for (const pattern of patterns) {
    pattern.lastIndex = 0;
    rest = rest.replace(pattern, ' ');
  }
  return !hasContent(rest);
}

/** Letters or digits in any script: "n/a" and "none" are answers, "-" or "..." are not. */
export function hasContent(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

export function matchesAny(text: string, patterns: readonly RegExp[]): boolean {
  return patterns.some((pattern) => {
    pattern.lastIndex = 0;
    const found = pattern.test(text);
    pattern.lastIndex = 0;
    return found;
  });
}
