import type { EngineStores, Review, VoteRecord } from '../../src/core/engine/store-ports';

/** The behaviour every EngineStores implementation must show (memory fakes and Redis alike). */
export function review(overrides: Partial<Review> = {}): Review {
  return {
    id: 'rv1',
    projectId: 'R07.2',
    flowName: 'mltrl',
    gate: { from: 3, to: 4 },
    phase: 'gaps',
    requestedBy: { key: 'sam', platform: 'playground', userId: 'sam' },
    conversationId: 'playground:ml-reviews',
    openedAt: '2026-11-23T09:00:00.000Z',
    cardFile: 'retina.md',
    cardRevision: 'a1b2c3',
    nudges: { target: 'owners', round: 0, escalated: false },
    ...overrides,
  };
}

export function vote(
  voter: string,
  choice: VoteRecord['choice'],
  overrides: Partial<VoteRecord> = {},
): VoteRecord {
  return {
    voter: { key: voter, platform: 'playground', userId: voter },
    choice,
    revision: 'a1b2c3',
    at: '2026-11-24T10:00:00.000Z',
    ...overrides,
  };
}

export function describeStoreContract(name: string, makeStores: () => Promise<EngineStores>): void {
  describe(`${name} store contract`, () => {
    let stores: EngineStores;
    beforeEach(async () => {
      stores = await makeStores();
    });

    it('keeps one open review per project, even when created concurrently', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => stores.reviews.create(review({ id: `rv${i}` }))),
      );
      expect(results.filter((result) => result.created)).toHaveLength(1);
      const winner = results.find((result) => result.created)!.review.id;
      expect(results.every((result) => result.review.id === winner)).toBe(true);
      expect((await stores.reviews.openForProject('R07.2'))?.id).toBe(winner);
      expect(await stores.reviews.listOpen()).toHaveLength(1);
    });

    it('saves by compare-and-set on the phase and frees the project when closed', async () => {
      await stores.reviews.create(review());
      expect(await stores.reviews.save(review({ phase: 'voting' }), 'voting')).toBe(false);
      expect(await stores.reviews.save(review({ phase: 'voting' }), 'gaps')).toBe(true);
      const closed = review({ phase: 'closed', outcome: 'advanced', closedAt: '2026-11-25T10:00:00.000Z' });
      expect(await stores.reviews.save(closed, 'voting')).toBe(true);
      expect(await stores.reviews.save(closed, 'voting')).toBe(false);
      expect(await stores.reviews.openForProject('R07.2')).toBeUndefined();
      expect((await stores.reviews.listClosed({ projectId: 'R07.2' })).map((r) => r.id)).toEqual(['rv1']);
      expect((await stores.reviews.create(review({ id: 'rv2' }))).created).toBe(true);
      expect((await stores.reviews.get('rv1'))?.outcome).toBe('advanced');
    });

    it('counts the last vote of each voter, double clicks once, nothing after close', async () => {
      expect((await stores.votes.record('rv1', vote('priya', 'approve'))).status).toBe('recorded');
      expect((await stores.votes.record('rv1', vote('priya', 'approve'))).status).toBe('unchanged');
      const changed = await stores.votes.record('rv1', vote('priya', 'request-changes', { reason: 'tests' }));
      expect(changed.status).toBe('changed');
      expect(changed.seq).toBe(2);
      expect((await stores.votes.votes('rv1')).map((v) => v.choice)).toEqual(['request-changes']);
      // Each record answers with the ballot it left.
      expect(changed.ballot).toEqual({ votes: await stores.votes.votes('rv1'), closed: false });
      const li = await stores.votes.record('rv1', vote('li', 'abstain'));
      expect(li.ballot.votes.map((v) => `${v.voter.key} ${v.choice}`).sort()).toEqual([
        'li abstain',
        'priya request-changes',
      ]);
      const final = await stores.votes.close('rv1');
      expect(final).toHaveLength(2);
      const refused = await stores.votes.record('rv1', vote('li', 'approve'));
      expect(refused.status).toBe('closed');
      expect(refused.ballot.closed).toBe(true);
      const box = await stores.votes.ballot('rv1');
      expect(box.closed).toBe(true);
      expect(box.votes.map((v) => `${v.voter.key} ${v.choice}`).sort()).toEqual([
        'li abstain',
        'priya request-changes',
      ]);
      expect((await stores.votes.ballot('rv-none')).closed).toBe(false);
      expect((await stores.votes.votes('rv1')).find((v) => v.voter.key === 'li')?.choice).toBe('abstain');
    });

    it('gives votes back exactly as recorded', async () => {
      const switchback = vote('priya', 'switchback', {
        switchbackTo: 2,
        reason: 'back to "PoP", see line 3,\nplease',
        voter: { key: 'priya', platform: 'teams', userId: '29:1a-b', name: 'Priya Nair' },
      });
      await stores.votes.record('rv5', switchback);
      await stores.votes.record('rv5', vote('li', 'approve'));
      const votes = await stores.votes.votes('rv5');
      expect(votes.find((v) => v.voter.key === 'priya')).toEqual(switchback);
      expect(votes.find((v) => v.voter.key === 'li')).toEqual(vote('li', 'approve'));
      expect((await stores.votes.record('rv5', { ...switchback, at: 'later' })).status).toBe('unchanged');
      expect((await stores.votes.record('rv5', { ...switchback, switchbackTo: 1 })).status).toBe('changed');
    });

    it('records 50 concurrent voters with double clicks exactly', async () => {
      const clicks = Array.from({ length: 50 }, (_, i) => vote(`v${i}`, i % 3 === 0 ? 'abstain' : 'approve'));
      await Promise.all([...clicks, ...clicks].map((click) => stores.votes.record('rv9', click)));
      const votes = await stores.votes.votes('rv9');
      expect(votes).toHaveLength(50);
      expect(votes.filter((v) => v.choice === 'abstain')).toHaveLength(17);
    });

    it('keeps the audit trail in order, by project and since a time', async () => {
      const at = (minute: number) => `2026-11-24T10:${String(minute).padStart(2, '0')}:00.000Z`;
      await stores.audit.append({
        at: at(0),
        actor: 'sam',
        type: 'review-started',
        projectId: 'A',
        reviewId: 'x',
      });
      await stores.audit.append({
        at: at(1),
        actor: 'bot',
        type: 'nudged',
        projectId: 'B',
        data: { round: 1 },
      });
      await stores.audit.append({ at: at(2), actor: 'priya', type: 'voted', projectId: 'A', revision: 'r1' });
      expect((await stores.audit.listByProject('A')).map((e) => e.type)).toEqual(['review-started', 'voted']);
      expect((await stores.audit.listByProject('A', 1)).map((e) => e.type)).toEqual(['voted']);
      const since = await stores.audit.listSince(new Date(at(1)));
      expect(since.map((e) => e.projectId)).toEqual(['B', 'A']);
      expect(since[0].data).toEqual({ round: 1 });
      expect(since[1].id).toBeDefined();
    });

    it('records the entry level once, then changes', async () => {
      await stores.levels.recordEntry('A', 4, '2026-11-01T00:00:00Z');
      await stores.levels.recordEntry('A', 2, '2026-11-02T00:00:00Z');
      expect(await stores.levels.get('A')).toBe(4);
      await stores.levels.record('A', { level: 5, from: 4, at: '2026-11-03T00:00:00Z', kind: 'advanced' });
      expect(await stores.levels.get('A')).toBe(5);
      expect((await stores.levels.history('A')).map((c) => c.kind)).toEqual(['entry', 'advanced']);
      expect(await stores.levels.all()).toEqual({ A: 5 });
      await stores.levels.recordEntry('B', 2, '2026-11-04T00:00:00Z');
      expect(await stores.levels.some(['B', 'none', 'A'])).toEqual({ A: 5, B: 2 });
      expect(await stores.levels.some([])).toEqual({});
    });

    it('expires snoozes and waivers against the engine clock', async () => {
      const now = new Date('2026-11-24T10:00:00Z');
      await stores.snoozes.set({ projectId: 'A', until: '2026-11-27T10:00:00Z', by: 'ana' });
      expect((await stores.snoozes.get('A', now))?.by).toBe('ana');
      expect(await stores.snoozes.get('A', new Date('2026-11-28T00:00:00Z'))).toBeUndefined();
      const gate = { from: 3, to: 4 };
      await stores.waivers.add('A', gate, {
        key: 'code-repo',
        until: '2026-12-01T00:00:00Z',
        by: 'priya',
        reason: 'x',
      });
      expect(await stores.waivers.list('A', gate, now)).toHaveLength(1);
      expect(await stores.waivers.list('A', { from: 4, to: 5 }, now)).toHaveLength(0);
      expect(await stores.waivers.list('A', gate, new Date('2026-12-02T00:00:00Z'))).toHaveLength(0);
    });

    it('keeps a language per channel until it is cleared', async () => {
      const de = { locale: 'de', by: 'admin', at: '2026-11-24T10:00:00Z' };
      expect(await stores.channelLanguages.get('slack:T1:C1')).toBeUndefined();
      await stores.channelLanguages.set('slack:T1:C1', de);
      await stores.channelLanguages.set('slack:T1:C2', { ...de, locale: 'ja' });
      expect(await stores.channelLanguages.get('slack:T1:C1')).toEqual(de);
      expect((await stores.channelLanguages.get('slack:T1:C2'))?.locale).toBe('ja');
      await stores.channelLanguages.set('slack:T1:C1', undefined);
      expect(await stores.channelLanguages.get('slack:T1:C1')).toBeUndefined();
      expect((await stores.channelLanguages.get('slack:T1:C2'))?.locale).toBe('ja');
    });
  });
}
