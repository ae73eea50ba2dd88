/*
 * Template text that counts as missing is written once, in each flow file's `placeholders` (SPEC section 4;
 * the default in flows/mltrl.yaml); every card is read and checked with its own flow's patterns.
 */

/** Text that marks a row as started but not complete ("WIP: pre-dev checklist", "post-dev in progress"). */
export const DEFAULT_INCOMPLETE_SOURCES: readonly string[] = [
  String.raw`\b(?:WIP|work in progress|in progress|not (?:yet )?(?:started|complete|completed|done)|partial(?:ly)?)\b`,
];

/** Compiles flow placeholder sources: case-insensitive, global, line-anchored `^`/`$`. */
export function compilePlaceholder(source: string): RegExp {
  return new RegExp(source, 'gim');
}

export const DEFAULT_INCOMPLETE: readonly RegExp[] = DEFAULT_INCOMPLETE_SOURCES.map(compilePlaceholder);

/**
 * True when the text holds nothing but template text: every letter and digit lies inside some match of
 * some pattern. An empty text is not a placeholder (the caller reports it as `empty`).
 *
 * Fast path: a match covering the first letter must start at or before it, so a few anchored (sticky)
 * tests at the start of the text settle the usual case (real content from the first word) without
 * scanning the whole section once per pattern.
 */
export function isOnlyPlaceholder(text: string, patterns: readonly RegExp[]): boolean {
  return contentState(text, patterns) === 'placeholder';
}

/** What a row or section holds: nothing (no letter or digit), only template text, or content. */
export function contentState(text: string, patterns: readonly RegExp[]): 'empty' | 'placeholder' | 'content' {
  const first = firstContent(text, 0);
  if (first < 0) return 'empty';
  if (first <= FAST_PATH_LIMIT && !coveredAt(text, first, patterns)) return 'content';
  return everyContentCovered(text, patterns) ? 'placeholder' : 'content';
}

const FAST_PATH_LIMIT = 200;
const CONTENT = /[\p{L}\p{N}]/gu;

/** Letters or digits in any script: "n/a" and "none" are answers, "-" or "..." are not. */
export function hasContent(text: string): boolean {
  return firstContent(text, 0) >= 0;
}

/**
 * Where the first letter or digit is, from `from` on. ASCII is decided here (its letters and digits are
 * exactly A-Z, a-z and 0-9); from the first character beyond ASCII on, the expression decides. Texts
 * mostly start with a letter, and a match array per call for every section and row of every card was
 * most of this function's cost.
 */
function firstContent(text: string, from: number): number {
  for (let at = from; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code >= 0x80) {
      CONTENT.lastIndex = at;
      const match = CONTENT.exec(text);
      return match ? match.index : -1;
    }
    if ((code >= 0x30 && code <= 0x39) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a)) return at;
  }
  return -1;
}

function coveredAt(text: string, index: number, patterns: readonly RegExp[]): boolean {
  const anchored = variants(patterns).sticky;
  for (let start = 0; start <= index; start++) {
    for (const pattern of anchored) {
      pattern.lastIndex = start;
      const match = pattern.exec(text);
      if (match && start + match[0].length > index) return true;
    }
  }
  return false;
}

function everyContentCovered(text: string, patterns: readonly RegExp[]): boolean {
  const spans: Array<[number, number]> = [];
  for (const global of variants(patterns).global) {
    global.lastIndex = 0;
    for (let match = global.exec(text); match; match = global.exec(text)) {
      if (match[0].length === 0) global.lastIndex++;
      else spans.push([match.index, match.index + match[0].length]);
    }
  }
  spans.sort((a, b) => a[0] - b[0]);
  let position = 0;
  for (const [start, end] of spans) {
    if (start > position) {
      const content = firstContent(text, position);
      if (content >= 0 && content < start) return false;
    }
    position = Math.max(position, end);
  }
  return firstContent(text, position) < 0;
}

/** Each pattern list compiled once more with the `y` (anchored) and once with the `g` (scan) flag. */
const compiledVariants = new WeakMap<readonly RegExp[], { sticky: RegExp[]; global: RegExp[] }>();
function variants(patterns: readonly RegExp[]): { sticky: RegExp[]; global: RegExp[] } {
  let compiled = compiledVariants.get(patterns);
  if (!compiled) {
    const flags = (pattern: RegExp, mode: string) => pattern.flags.replace(/[gy]/g, '') + mode;
    compiled = {
      sticky: patterns.map((pattern) => new RegExp(pattern.source, flags(pattern, 'y'))),
      global: patterns.map((pattern) => new RegExp(pattern.source, flags(pattern, 'g'))),
    };
    compiledVariants.set(patterns, compiled);
  }
  return compiled;
}

export function matchesAny(text: string, patterns: readonly RegExp[]): boolean {
  return patterns.some((pattern) => {
    pattern.lastIndex = 0;
    const found = pattern.test(text);
    pattern.lastIndex = 0;
    return found;
  });
}
