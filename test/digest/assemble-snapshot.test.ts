import { join } from 'node:path';
import { createCardDirectory } from '../../src/cards';
import type { Review } from '../../src/core/engine/store-ports';
import type { PeopleDirectory } from '../../src/core/people';
import { assembleSnapshot } from '../../src/digest/assemble-snapshot';
import { BUNDLED_FLOWS_DIR, loadFlows } from '../../src/flows';
import { createMemoryStores } from '../../src/storage/memory/memory-stores';

/** The snapshot from the example cards, the default flow and engine stores (memory fakes). */
const CARDS = join(__dirname, '..', '..', 'cards');
const NOW = new Date('2026-11-30T08:00:00Z');
const SINCE = new Date('2026-11-23T08:00:00Z');

const people: PeopleDirectory = {
  people: [
    { id: 'ana', name: 'Ana Lima', email: 'ana@example.org', handles: [], slackId: 'U0ANA', roles: [] },
    { id: 'sam', name: 'Sam Okafor', handles: ['sam'], slackId: 'U0SAM', roles: [] },
    {
      id: 'priya',
      name: 'Priya Nair',
      email: 'priya@example.org',
      handles: [],
      slackId: 'U0PRIYA',
      roles: [],
    },
  ],
};

function review(
  partial: Partial<Review> & Pick<Review, 'id' | 'projectId' | 'gate' | 'phase' | 'openedAt'>,
): Review {
  return {
    flowName: 'mltrl',
    requestedBy: { key: 'ana', platform: 'slack', userId: 'U0ANA' },
    conversationId: 'slack:T1:C1',
    cardFile: 'x.md',
    cardRevision: 'a1b2c3d4e5f6',
    nudges: { target: 'owners', round: 0, escalated: false },
    ...partial,
  };
}

describe('assembleSnapshot', () => {
  it('reads cards alone when there are no stores (the CLI preview)', async () => {
    const flows = loadFlows(BUNDLED_FLOWS_DIR);
    const snapshot = await assembleSnapshot(
      { cards: createCardDirectory(CARDS), flows },
      { now: NOW, tz: 'Europe/Berlin' },
    );
    expect(snapshot.historyAvailable).toBe(false);
    expect(snapshot.changes).toEqual([]);
    expect(snapshot.projects.map((project) => project.projectId).sort()).toEqual([
      'A01.0',
      'D11.4',
      'F05.3',
      'R03.1',
      'R07.2',
      'S02.1',
      'T07.8',
    ]);
    expect(
      snapshot.projects.every(
        (project) => project.openReview === undefined && project.recordedLevel === undefined,
      ),
    ).toBe(true);
    expect(snapshot.levels).toHaveLength(10);
  });

  it('adds open gates with whom they wait on, gap ages, recorded levels and what changed', async () => {
    const stores = createMemoryStores();
    const flows = loadFlows(BUNDLED_FLOWS_DIR);
    // R07.2 (card says 3) waits on its owners for card gaps since 10 November.
    await stores.reviews.create(
      review({
        id: 'r1',
        projectId: 'R07.2',
        gate: { from: 3, to: 4 },
        phase: 'gaps',
        openedAt: '2026-11-10T09:00:00Z',
      }),
    );
    // T07.8 is in its vote; Priya voted, Yarin and Li have not.
    await stores.reviews.create(
      review({
        id: 'r2',
        projectId: 'T07.8',
        gate: { from: 7, to: 8 },
        phase: 'voting',
        openedAt: '2026-11-20T09:00:00Z',
        voteOpenedAt: '2026-11-24T09:00:00Z',
      }),
    );
    await stores.votes.record('r2', {
      voter: { key: 'priya', platform: 'slack', userId: 'U0PRIYA', name: 'Priya Nair' },
      choice: 'approve',
      revision: 'a1b2c3d4e5f6',
      at: '2026-11-25T09:00:00Z',
    });
    // S02.1 advanced 1 -> 2 last week, but its card still says 1.
    const advanced = review({
      id: 'r3',
      projectId: 'S02.1',
      gate: { from: 1, to: 2 },
      phase: 'gaps',
      openedAt: '2026-11-16T09:00:00Z',
    });
    await stores.reviews.create(advanced);
    await stores.reviews.save(
      {
        ...advanced,
        phase: 'closed',
        outcome: 'advanced',
        outcomeLevel: 2,
        closedAt: '2026-11-26T15:00:00Z',
      },
      'gaps',
    );
    await stores.levels.recordEntry('S02.1', 1, '2026-01-05T09:00:00Z');
    await stores.levels.record('S02.1', {
      level: 2,
      from: 1,
      at: '2026-11-26T15:00:00Z',
      reviewId: 'r3',
      kind: 'advanced',
    });
    await stores.audit.append({
      at: '2026-11-16T09:00:00Z',
      actor: 'ana',
      type: 'review-started',
      projectId: 'S02.1',
      reviewId: 'r3',
    });
    await stores.audit.append({
      at: '2026-11-26T15:00:00Z',
      actor: 'bot',
      type: 'closed',
      projectId: 'S02.1',
      reviewId: 'r3',
    });
    await stores.audit.append({
      at: '2026-11-24T09:00:00Z',
      actor: 'bot',
      type: 'vote-opened',
      projectId: 'T07.8',
      reviewId: 'r2',
    });

    await stores.gapSightings.observe('R07.2', ['code-repo'], '2026-11-10T09:00:00Z');
    await stores.gapSightings.observe('R07.2', ['code-repo', 'testing-status'], '2026-11-12T10:00:00Z');
    const snapshot = await assembleSnapshot(
      { cards: createCardDirectory(CARDS), flows, stores, people },
      { now: NOW, tz: 'Europe/Berlin', platform: 'slack', changesSince: SINCE },
    );
    const byId = new Map(snapshot.projects.map((project) => [project.projectId, project]));
    const retina = byId.get('R07.2')!;
    expect(retina.owners).toEqual(['<@U0ANA>', '<@U0SAM>']);
    expect(retina.openReview).toMatchObject({
      phase: 'gaps',
      waitingOn: ['<@U0ANA>', '<@U0SAM>'],
      waitingSince: '2026-11-10T09:00:00Z',
    });
    // Each gap counts from when it was first seen (here: by the review, at its opening), not from the review.
    expect(retina.gaps).toEqual(
      expect.arrayContaining([
        { key: 'code-repo', label: 'Code repo & docs', since: '2026-11-10T09:00:00Z' },
        { key: 'testing-status', label: 'Testing status', since: '2026-11-12T10:00:00Z' },
      ]),
    );
    // A card with no open review has its gaps dated too: first seen by this digest.
    const unreviewed = snapshot.projects.filter((project) => !project.openReview && project.gaps?.length);
    expect(unreviewed.length).toBeGreaterThan(0);
    for (const project of unreviewed)
      expect(project.gaps!.every((gap) => gap.since === NOW.toISOString())).toBe(true);
    expect(await stores.gapSightings.get(unreviewed[0].projectId)).not.toEqual({});
    expect(byId.get('T07.8')!.openReview).toMatchObject({
      phase: 'voting',
      waitingOn: ['Yarin Gal', 'Li Wei'],
      waitingSince: '2026-11-24T09:00:00Z',
    });
    expect(byId.get('S02.1')).toMatchObject({
      statedLevel: 1,
      recordedLevel: 2,
      lastActivityAt: '2026-11-26T15:00:00Z',
    });
    // Only what happened after SINCE: the advance, not the review opened on the 16th.
    expect(snapshot.changes).toEqual([
      {
        kind: 'advanced',
        projectId: 'S02.1',
        name: 'On-device keyword spotter',
        at: '2026-11-26T15:00:00Z',
        from: 1,
        to: 2,
      },
    ]);
  });
});
