import Redis from 'ioredis';
import type { Flow } from '../../src/core/flow';
import { encodeAction } from '../../src/core/render';
import { createRedisStores } from '../../src/storage/redis';
import { testRedisUrl, uniquePrefix } from '../support/redis';
import { click, command, completeRetina, makeHarness, type Harness } from './harness';

/** The engine on real Redis stores: a whole review, and 50 reviewers clicking at once. */
const redis = new Redis(testRedisUrl());
const prefixes: string[] = [];

function redisHarness(flow?: (flow: Flow) => Flow): Harness {
  const prefix = `{${uniquePrefix('engine')}}`;
  prefixes.push(prefix);
  return makeHarness({ stores: createRedisStores(redis, prefix), flow });
}

afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  }
  await redis.quit();
});

it('runs a full review from gaps to advance on Redis', async () => {
  const h = redisHarness();
  await command(h, 'sam', 'review R07.2');
  expect(h.delivery.find('-gaps-')).toHaveLength(1);
  h.clock.set('2026-11-24T09:30:00Z');
  await h.scheduler.runDue(h.engine, h.clock.now());
  expect(h.delivery.find('-nudge-owners-r1-')).toHaveLength(2);
  h.cards.edit('retina-lesion-detector.md', completeRetina);
  // The re-check opens the vote; the answer is one private status message (the vote itself goes to the channel).
  const again = await command(h, 'ana', 'review R07.2');
  expect(again.ephemeral.map((m) => m.kind)).toEqual(['status']);
  expect(again.ephemeral[0].text).toContain('already open (voting)');
  expect(h.delivery.find('-vote')).not.toHaveLength(0);
  await click(h, 'priya', 'vote-approve');
  await click(h, 'li', 'vote-abstain');
  expect(await h.stores.levels.get('R07.2')).toBe(4);
  const events = await h.stores.audit.listByProject('R07.2');
  expect(events.map((e) => e.type)).toEqual([
    'review-started',
    'gaps-reported',
    'nudged',
    'nudged',
    'vote-opened',
    'voted',
    'voted',
    'closed',
    'level-recorded',
  ]);
  expect(events.every((e) => e.at && e.actor)).toBe(true);
  expect(events.find((e) => e.type === 'voted')?.revision).toMatch(/^[0-9a-f]+$/);
});

it('counts 50 concurrent voters, each clicking twice, exactly', async () => {
  // Keep the vote open (no decision before 24 hours) so every click lands in the ballot box.
  const h = redisHarness((flow) => ({
    ...flow,
    gates: flow.gates.map((gate) =>
      gate.from === 3 ? { ...gate, vote: { ...gate.vote, minOpenHours: 24 } } : gate,
    ),
  }));
  const ids = Array.from({ length: 50 }, (_, i) => `U${String(i).padStart(2, '0')}`);
  h.cards.edit('retina-lesion-detector.md', (text) =>
    completeRetina(text).replace(
      'Priya Nair <priya@example.org>, Li Wei',
      ids.map((id) => `<@${id}>`).join(', '),
    ),
  );
  const conversationId = 'slack:T1:C1';
  await h.engine.handle({
    type: 'command',
    actor: { platform: 'playground', userId: 'lee' },
    conversationId,
    text: 'review R07.2',
  });
  const review = (await h.stores.reviews.openForProject('R07.2'))!;
  expect(review.phase).toBe('voting');
  const choice = (i: number) => (i % 5 === 0 ? 'request-changes' : i % 5 === 1 ? 'abstain' : 'approve');
  const clicks = ids.map((userId, i) => ({
    type: 'action' as const,
    actor: { platform: 'slack' as const, userId },
    conversationId,
    actionId: 'vote-approve',
    value: encodeAction({ kind: 'vote', reviewId: review.id, choice: choice(i) }),
    ...(choice(i) === 'request-changes' ? { reason: 'not yet' } : {}),
  }));
  const replies = await Promise.all([...clicks, ...clicks].map((event) => h.engine.handle(event)));
  expect(replies.every((reply) => reply.ephemeral[0].kind === 'notice')).toBe(true);
  const votes = await h.stores.votes.votes(review.id);
  expect(votes).toHaveLength(50);
  const count = (c: string) => votes.filter((v) => v.choice === c).length;
  expect([count('approve'), count('request-changes'), count('abstain')]).toEqual([30, 10, 10]);
  const voted = (await h.stores.audit.listByProject('R07.2')).filter((e) => e.type === 'voted');
  expect(voted).toHaveLength(50);

  // After 24 hours the tick decides: 30 approvals against 10, quorum reached.
  h.clock.set('2026-11-24T10:00:00Z');
  await h.scheduler.runDue(h.engine, h.clock.now());
  expect((await h.stores.reviews.get(review.id))?.outcome).toBe('advanced');
  expect(h.delivery.find('-outcome')[0].message.text).toContain('(30 approvals, 1 needed)');
});
