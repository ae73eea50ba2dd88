import type { CardKey } from './card';

/**
 * The label each key has on the public MLTRL card template, used when a gap names a row or section the
 * card does not have (so the owner knows what to add).
 */
export const DEFAULT_CARD_LABELS: Record<CardKey, string> = {
  'tech-name': 'Tech name (project ID)',
  'current-level': 'Current Level',
  owners: 'Owner(s)',
  reviewers: 'Reviewer(s)',
  'main-page': 'Main project page',
  'requirements-docs': "Req's, V&V docs",
  'code-repo': 'Code repo & docs',
  'ethics-checks': 'Ethics checks?',
  'coupled-components': 'Coupled components',
  'prior-cards': 'Links to prior level cards',
  tldr: 'TL;DR',
  requirements: 'Top-level requirements',
  'model-info': 'Model / algorithm info',
  'intended-use': 'Intended use',
  'testing-status': 'Testing status',
  'data-considerations': 'Data considerations',
  caveats: 'Caveats, known edge cases, recommendations',
  'stage-debrief': 'MLTRL stage debrief',
};

export function defaultCardLabel(key: CardKey): string {
  return DEFAULT_CARD_LABELS[key];
}
