import type { Card, CardKey } from '../../src/core/card';
import { isCardError, parseCard } from '../../src/cards';

/** Rows and sections of a card that meets every gate of the default flow; tests blank out what they need. */
export const COMPLETE: Record<Exclude<CardKey, 'tech-name' | 'current-level' | 'stage-debrief'>, string> = {
  owners: 'Ana Lima, @sam',
  reviewers: 'Priya Nair <priya@example.org>, Yarin Gal',
  'main-page': 'https://wiki.example.org/p',
  'requirements-docs': 'https://wiki.example.org/p/vv',
  'code-repo': 'https://git.example.org/p',
  'ethics-checks': 'Complete: post-dev checklist signed off',
  'coupled-components': 'none',
  'prior-cards': 'https://wiki.example.org/p/cards',
  tldr: 'Detects things.',
  requirements: '1. It shall detect things.',
  'model-info': 'A small CNN.',
  'intended-use': 'Triage. Unacceptable: diagnosis.',
  'testing-status': 'Unit, integration and slice tests pass.',
  'data-considerations': 'n/a',
  caveats: 'Blurred images.',
};

const ROWS: Array<[keyof typeof COMPLETE, string]> = [
  ['owners', 'Owner(s)'],
  ['reviewers', 'Reviewer(s)'],
  ['main-page', 'Main project page'],
  ['requirements-docs', "Req's, V&V docs"],
  ['code-repo', 'Code repo & docs'],
  ['ethics-checks', 'Ethics checks?'],
  ['coupled-components', 'Coupled components'],
  ['prior-cards', 'Links to prior level cards'],
];
const SECTIONS: Array<[keyof typeof COMPLETE, string]> = [
  ['requirements', 'Top-level requirements'],
  ['model-info', 'Model / algorithm info'],
  ['intended-use', 'Intended use'],
  ['testing-status', 'Testing status'],
  ['data-considerations', 'Data considerations'],
  ['caveats', 'Caveats, known edge cases, recommendations'],
];

export const DEBRIEF = [
  '1. What was accomplished, and by who?',
  '   We built it.',
  '2. What was punted and/or de-scoped?',
  '   Nothing.',
  '3. What was learned?',
  '   A lot.',
  '4. What tech debt what gained? Mitigated?',
  '   none',
].join('\n');

/** A card text; `values[key] === null` leaves the row or section out. */
export function cardText(
  level: number,
  values: Partial<Record<keyof typeof COMPLETE, string | null>> = {},
  debrief: string | null = DEBRIEF,
): string {
  const value = (key: keyof typeof COMPLETE) => (key in values ? values[key] : COMPLETE[key]);
  const lines = [`# MLTRL Card - Probe - level ${level}`, '', '| Summary info | Content |', '|---|---|'];
  lines.push('| Tech name (project ID) | Probe (P1) |', `| Current Level | ${level} |`);
  for (const [key, label] of ROWS) if (value(key) !== null) lines.push(`| ${label} | ${value(key)} |`);
  lines.push('');
  if (value('tldr') !== null) lines.push(`**TL;DR** - ${value('tldr')}`, '');
  for (const [key, label] of SECTIONS)
    if (value(key) !== null) lines.push(`### ${label}`, '', value(key)!, '');
  if (debrief !== null) lines.push('### MLTRL stage debrief', '', debrief, '');
  return lines.join('\n');
}

export function card(
  level: number,
  values: Partial<Record<keyof typeof COMPLETE, string | null>> = {},
  debrief: string | null = DEBRIEF,
): Card {
  const result = parseCard(cardText(level, values, debrief), 'probe.md');
  if (isCardError(result)) throw new Error(result.message);
  return result;
}
