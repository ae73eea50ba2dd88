import Redis from 'ioredis';
import type { EngineStores } from '../../src/core/engine/store-ports';
import type { Flow } from '../../src/core/flow';
import type { PeopleDirectory } from '../../src/core/people';
import { createMemoryStores } from '../../src/storage/memory/memory-stores';
import { createRedisStores } from '../../src/storage/redis';
import { testRedisUrl, uniquePrefix } from '../support/redis';
import { click, command, completeRetina, directory, makeHarness, type Harness } from './harness';

/**
 * Delegation and absence, through the engine: `delegate`, votes cast "x for y", reminders that go to
 * the delegate or skip the away, the lead told once when absences leave the quorum out of reach, and
 * every bad input refused in one line, unchanged state, audited. On the memory stores and on Redis.
 */
const redis = new Redis(testRedisUrl());
const prefixes: string[] = [];

afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  }
  await redis.quit();
});

const storeKinds: Array<[string, () => EngineStores]> = [
  ['memory', () => createMemoryStores()],
  [
    'redis',
    () => {
      const prefix = `{${uniquePrefix('delegation')}}`;
      prefixes.push(prefix);
      return createRedisStores(redis, prefix);
    },
  ],
];

const textOf = (reply: { ephemeral: Array<{ text: string }> }) =>
  reply.ephemeral.map((m) => m.text).join('\n');

/** Priya and Li review R07.2; every vote must be cast (quorum 1) when `quorumAll` is set. */
function harness(
  stores: () => EngineStores,
  options: { people?: PeopleDirectory; quorumAll?: boolean } = {},
): Harness {
  const flow = (f: Flow): Flow =>
    options.quorumAll
      ? { ...f, gates: f.gates.map((g) => (g.from === 3 ? { ...g, vote: { ...g.vote, quorum: 1 } } : g)) }
      : f;
  const h = makeHarness({ stores: stores(), people: options.people, flow });
  h.cards.edit('retina-lesion-detector.md', completeRetina);
  return h;
}

const refusedOf = async (h: Harness) =>
  (await h.stores.audit.listByProject('*')).filter((event) => event.type === 'refused');

describe.each(storeKinds)('delegation (%s stores)', (_kind, stores) => {
  it('lets a delegate vote in the reviewer’s stead, shown as "x for y" in the vote, reply and history', async () => {
    const h = harness(stores);
    const set = await command(h, 'li', 'delegate @lee until 2026-12-31');
    expect(set.ephemeral).toHaveLength(1);
    expect(textOf(set)).toContain('Lee Park gets your reminders and may vote for you on every project');
    expect(textOf(set)).toContain('Thu 31 Dec, 23:59 your time');
    expect(textOf(await command(h, 'lee', 'delegate'))).toContain('Li Wei delegated to you on every project');
    expect(h.delivery.find('delegation-li-')[0]?.message.text).toContain('Li Wei named you their delegate');

    await command(h, 'sam', 'review R07.2');
    const vote = await click(h, 'lee', 'vote-approve');
    expect(textOf(vote)).toBe('Recorded for Li Wei on R07.2, as their delegate: approved.');
    expect(vote.updated?.text).toContain('Lee Park for <@li> approved');
    expect(vote.updated?.text).toContain('<@priya> pending');
    const [recorded] = await h.stores.votes.votes((await h.stores.reviews.openForProject('R07.2'))!.id);
    expect(recorded.voter.key).toBe('li');
    expect(recorded.by?.key).toBe('lee');

    const history = textOf(await command(h, 'sam', 'history R07.2'));
    expect(history).toContain('Lee Park for Li Wei voted: approve');
    const audit = await h.stores.audit.listByProject('R07.2');
    expect(audit.find((event) => event.type === 'voted')).toMatchObject({
      actor: 'li',
      data: { who: 'Li Wei', by: 'Lee Park', choice: 'approve' },
    });
    // Li's own later vote replaces the one cast for them, as any later vote of theirs would.
    const own = await click(h, 'li', 'vote-abstain');
    expect(own.updated?.text).toContain('<@li> abstained');
    expect(own.updated?.text).not.toContain('Lee Park for');
  });

  it('refuses a delegate who owns the gate, and one whose delegation ended, with the reason, audited', async () => {
    const h = harness(stores);
    await command(h, 'li', 'delegate @sam until 2026-12-31');
    await command(h, 'priya', 'delegate @lee until 2026-11-24');
    await command(h, 'ana', 'review R07.2');
    const review = (await h.stores.reviews.openForProject('R07.2'))!;

    const owner = await click(h, 'sam', 'vote-approve');
    expect(textOf(owner)).toBe(
      'You own R07.2, so you cannot vote on its gate, not even for Li Wei; your vote was not counted.',
    );
    h.clock.set('2026-11-25T10:00:00Z');
    const late = await click(h, 'lee', 'vote-approve');
    expect(late.ephemeral).toHaveLength(1);
    expect(textOf(late)).toMatch(
      /^Your delegation from Priya Nair ended Tue 24 Nov, 23:59 your time; your vote/,
    );
    expect(await h.stores.votes.votes(review.id)).toEqual([]);
    const refused = (await h.stores.audit.listByProject('R07.2')).filter((event) => event.type === 'refused');
    expect(refused.map((event) => [event.actor, event.data?.reason])).toEqual([
      ['sam', 'delegate-own-gate'],
      ['lee', 'delegation-ended'],
    ]);
  });

  it('refuses self, unknown people, past days, chains and loops in one line, changing nothing', async () => {
    const h = harness(stores);
    await command(h, 'li', 'delegate @lee until 2026-12-31');
    const before = await h.stores.delegations.all();
    const cases: Array<[string, string, string, string]> = [
      ['priya', 'delegate @priya until 2026-12-31', 'delegate-self', 'You cannot delegate to yourself'],
      ['priya', 'delegate @nobody until 2026-12-31', 'delegate-unknown', 'I do not know "@nobody"'],
      // A name is not a person: "Nair" is neither a handle, an id nor an e-mail in the directory.
      ['li', 'delegate Nair until 2026-12-31', 'delegate-unknown', 'I do not know "Nair"'],
      ['priya', 'delegate @lee until 2026-11-20', 'delegate-past', '2026-11-20 is already over'],
      ['priya', 'delegate @li until 2026-12-31', 'delegate-chain', 'Li Wei has delegated in turn'],
      ['lee', 'delegate @li until 2026-12-31', 'delegate-chain', 'Li Wei has delegated in turn'],
      ['lee', 'delegate @priya until 2026-12-31', 'delegate-held', 'Li Wei has delegated to you'],
      ['priya', 'delegate @lee until 2028-12-31', 'delegate-too-far', 'at most 366 days'],
    ];
    for (const [who, text, reason, says] of cases) {
      const reply = await command(h, who, text);
      expect(reply.ephemeral).toHaveLength(1);
      expect(reply.ephemeral[0].text.split('\n')).toHaveLength(1);
      expect(textOf(reply)).toContain(says);
      expect(textOf(reply)).toMatch(/nothing was changed/i);
      const last = (await refusedOf(h)).at(-1);
      expect(last?.data).toMatchObject({ command: 'delegate', reason });
    }
    expect(await h.stores.delegations.all()).toEqual(before);
    expect(await refusedOf(h)).toHaveLength(cases.length);
    // Malformed commands get the usage, and change nothing either.
    expect(textOf(await command(h, 'priya', 'delegate @lee until 2027-02-30'))).toContain(
      '"2027-02-30" is not a date',
    );
    expect(textOf(await command(h, 'priya', 'delegate @lee'))).toContain('Say whom and until when');
    expect(textOf(await command(h, 'priya', 'delegate @lee until 2026-12-31 NOPE'))).toContain(
      'No project NOPE',
    );
    expect(await h.stores.delegations.all()).toEqual(before);
  });

  it('scopes a delegation to one project, and `delegate off` ends it (audited)', async () => {
    const h = harness(stores);
    expect(textOf(await command(h, 'li', 'delegate @lee until 2026-12-31 r07.2'))).toContain('on R07.2');
    expect(textOf(await command(h, 'li', 'delegate off'))).toBe(
      'Your delegation to Lee Park on R07.2 has ended.',
    );
    expect(textOf(await command(h, 'li', 'delegate off'))).toBe('You have no delegation to end.');
    expect(await h.stores.delegations.all()).toEqual([]);
    const trail = (await h.stores.audit.listByProject('R07.2')).map((event) => event.type);
    expect(trail).toEqual(['delegated', 'delegation-ended']);
    await command(h, 'sam', 'review R07.2');
    expect(textOf(await click(h, 'lee', 'vote-approve'))).toContain('Only the reviewers named');
  });
});

describe('reminders and absence', () => {
  const away = (id: string, from: string, until: string): PeopleDirectory => ({
    people: directory.people.map((p) => (p.id === id ? { ...p, away: { from, until } } : p)),
  });

  it('sends a delegated reminder to the delegate, skips the away, and keeps the next round', async () => {
    const h = harness(createMemoryStores, { people: away('priya', '2026-11-23', '2026-11-27') });
    await command(h, 'li', 'delegate @lee until 2026-12-31');
    await command(h, 'sam', 'review R07.2');
    // Li's first reminder is due on Wednesday morning in Shanghai; it reaches Lee in Lee's working hours.
    h.clock.set('2026-11-25T10:00:00Z');
    await h.scheduler.runDue(h.engine, h.clock.now());
    const sent = h.delivery.find('-nudge-voters-r1-');
    expect(sent.map((dm) => (dm.op === 'dm' ? dm.userId : ''))).toEqual(['lee']);
    expect(sent[0].message.text).toContain(
      // The delegation ends at midnight in Li's zone (Shanghai): 16:59 for Lee in Berlin.
      "You get this as Li Wei's delegate (until Thu 31 Dec, 16:59 your time).",
    );
    const nudged = (await h.stores.audit.listByProject('R07.2')).filter((event) => event.type === 'nudged');
    expect(nudged.map((event) => event.data)).toEqual([
      { round: 1, to: 'Lee Park', target: 'voters', for: 'Li Wei' },
    ]);
    expect(textOf(await command(h, 'sam', 'history R07.2'))).toContain(
      'reminder 1 sent to Lee Park for Li Wei',
    );
    // Priya is away this week: no reminder now, but the next round is still planned for her.
    expect([...h.scheduler.jobs.keys()].some((id) => id.includes('-voters-r2-priya'))).toBe(true);
  });

  it('tells the review lead once when absences leave the quorum out of reach', async () => {
    const people = away('priya', '2026-11-20', '2026-12-20');
    const h = harness(createMemoryStores, { people, quorumAll: true });
    await command(h, 'sam', 'review R07.2');
    const told = h.delivery.find('quorum-out-of-reach');
    expect(told).toHaveLength(1);
    expect(told[0].op === 'dm' && told[0].userId).toBe('sam');
    expect(told[0].message.text).toMatch(
      /^R07\.2 3 -> 4: Priya Nair are away until after the vote closes \(Mon 30 Nov, 17:00 your time\), so at most 1 of the 2 votes/,
    );
    for (const day of ['2026-11-24', '2026-11-26', '2026-11-27']) {
      h.clock.set(`${day}T10:00:00Z`);
      await h.scheduler.runDue(h.engine, h.clock.now());
    }
    expect(h.delivery.find('quorum-out-of-reach')).toHaveLength(1);
    const audit = await h.stores.audit.listByProject('R07.2');
    expect(audit.filter((event) => event.type === 'quorum-unreachable')).toHaveLength(1);
  });

  it('does not warn when the away reviewer has a delegate who is around', async () => {
    const people = away('priya', '2026-11-20', '2026-12-20');
    const h = harness(createMemoryStores, { people, quorumAll: true });
    await command(h, 'priya', 'delegate @lee until 2026-12-31');
    await command(h, 'sam', 'review R07.2');
    h.clock.set('2026-11-24T10:00:00Z');
    await h.scheduler.runDue(h.engine, h.clock.now());
    expect(h.delivery.find('quorum-out-of-reach')).toHaveLength(0);
  });
});
