import type { CardKey } from '../core/card';

/**
 * Row and section labels as people write them, matched tolerantly: case, punctuation, apostrophes,
 * "&" versus "and" and "(s)" plurals do not matter ("Req's, V&V docs" = "reqs v and v docs").
 */
export function normalizeLabel(label: string): string {
  return label
    .toLowerCase()
    .replace(/\(s\)/g, 's')
    .replace(/['’‘`´]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export type LabelMatch =
  | { kind: 'key'; key: CardKey; role?: 'rnd' | 'product' }
  | { kind: 'flow' }
  | { kind: 'none' };

const NONE: LabelMatch = { kind: 'none' };

/** Summary-table rows. Order matters: the first pattern that matches wins. */
const ROW_PATTERNS: Array<[RegExp, LabelMatch]> = [
  [/^(tech(nology)? name|project name|project id|tech id|name project id)/, { kind: 'key', key: 'tech-name' }],
  [/^((current|mltrl|current mltrl) )?(readiness )?level$|^current level/, { kind: 'key', key: 'current-level' }],
  [/^(r and d|rnd|r d|research) owners?$/, { kind: 'key', key: 'owners', role: 'rnd' }],
  [/^product owners?$/, { kind: 'key', key: 'owners', role: 'product' }],
  [/^(project )?owners?$/, { kind: 'key', key: 'owners' }],
  [/^(r and d|rnd|r d|research) reviewers?$/, { kind: 'key', key: 'reviewers', role: 'rnd' }],
  [/^product reviewers?$/, { kind: 'key', key: 'reviewers', role: 'product' }],
  [/^(gate )?reviewers?$/, { kind: 'key', key: 'reviewers' }],
  [/^(main )?(project )?(page|home ?page|wiki)$/, { kind: 'key', key: 'main-page' }],
  [/^req(uirement)?s?\b.*\b(v and v|vv|docs?)\b|^v and v/, { kind: 'key', key: 'requirements-docs' }],
  [/^(code|repo|repository|source)\b/, { kind: 'key', key: 'code-repo' }],
  [/^ethics/, { kind: 'key', key: 'ethics-checks' }],
  [/^coupled|^components$|^dependencies$/, { kind: 'key', key: 'coupled-components' }],
  [/\b(prior|previous|earlier)\b.*\bcards?\b/, { kind: 'key', key: 'prior-cards' }],
  [/^tl ?dr$/, { kind: 'key', key: 'tldr' }],
  [/^(mltrl |review )?flow$/, { kind: 'flow' }],
];

/** Detail sections (headings of any level). */
const SECTION_PATTERNS: Array<[RegExp, CardKey]> = [
  [/^tl ?dr$/, 'tldr'],
  [/^(top level |research |product )?req(uirement)?s?$|^top level req/, 'requirements'],
  [/^(model|algorithm)/, 'model-info'],
  [/^intended use/, 'intended-use'],
  [/^(testing|tests?)( status)?\b/, 'testing-status'],
  [/^data\b/, 'data-considerations'],
  [/^(caveats|known edge|edge cases|limitations|recommendations)/, 'caveats'],
  [/debrief/, 'stage-debrief'],
  [/^ethics/, 'ethics-checks'],
  [/^coupled components/, 'coupled-components'],
  [/^code repo/, 'code-repo'],
];

const rowCache = new Map<string, LabelMatch>();

export function matchRowLabel(label: string): LabelMatch {
  const cached = rowCache.get(label);
  if (cached) return cached;
  const normalized = normalizeLabel(label);
  const match = ROW_PATTERNS.find(([pattern]) => pattern.test(normalized))?.[1] ?? NONE;
  if (rowCache.size < 10_000) rowCache.set(label, match);
  return match;
}

const sectionCache = new Map<string, CardKey | null>();

export function matchSectionLabel(label: string): CardKey | undefined {
  const cached = sectionCache.get(label);
  if (cached !== undefined) return cached ?? undefined;
  const normalized = normalizeLabel(label);
  const key = SECTION_PATTERNS.find(([pattern]) => pattern.test(normalized))?.[1];
  if (sectionCache.size < 10_000) sectionCache.set(label, key ?? null);
  return key;
}
