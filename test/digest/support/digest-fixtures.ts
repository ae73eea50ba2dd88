import type { Card, CardSet } from '../../../src/core/card';
import type { Flow } from '../../../src/core/flow';
import type { CardSource, FlowSource } from '../../../src/core/ports';
import { MLTRL_LEVELS } from './generate-snapshot';

/** A card with what the digest reads (no sections: gap checking is not what these tests are about). */
export function fixtureCard(
  projectId: string,
  name: string,
  level: number,
  owners: string[] = ['ana'],
): Card {
  return {
    file: `${projectId}.md`,
    projectId,
    name,
    level,
    title: `MLTRL Card - ${name} - level ${level}`,
    titleLine: 1,
    owners: owners.map((handle) => ({ text: `@${handle}`, kind: 'handle' as const, handle })),
    reviewers: [{ text: '@priya', kind: 'handle' as const, handle: 'priya' }],
    fields: {},
    extras: [],
    debrief: [],
    revision: 'a1b2c3d4e5f6',
    fieldRevisions: {},
  };
}

export const FIXTURE_CARDS: Card[] = [
  fixtureCard('R07.2', 'Retina lesion detector', 3, ['ana', 'sam']),
  fixtureCard('P13.2', 'Solar array optimisation', 7, ['lee']),
  fixtureCard('R02.1', 'Speech recogniser', 4, ['yarin']),
];

export function fixtureCardSource(cards: Card[] = FIXTURE_CARDS): CardSource {
  const set: CardSet = { cards, errors: [], skipped: [] };
  return {
    loadAll: async () => set,
    find: async (projectId) => cards.find((card) => card.projectId === projectId),
  };
}

export const FIXTURE_FLOW: Flow = {
  name: 'mltrl',
  file: 'flows/mltrl.yaml',
  levels: MLTRL_LEVELS,
  gates: [],
  placeholders: [],
  workingHours: { start: '09:00', end: '17:00' },
  holidays: [],
  digest: { schedule: 'weekly mon 09:00', gapAgeBusinessDays: 5, staleWeeks: 6, listCap: 5 },
};

export const fixtureFlowSource: FlowSource = {
  defaultFlow: () => FIXTURE_FLOW,
  get: (name) => (name === 'mltrl' ? FIXTURE_FLOW : undefined),
  forCard: () => FIXTURE_FLOW,
};
