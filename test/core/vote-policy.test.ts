import type { VotePolicy } from '../../src/core/flow';
import {
  checkVote,
  decideVote,
  quorumNeeded,
  switchbackLevels,
  type CountedVote,
  type VoteCheck,
} from '../../src/core/vote-policy';

const base: VotePolicy = {
  minApprovals: 1,
  quorum: 0,
  vetoRoles: [],
  minOpenHours: 0,
  closeAfterBusinessDays: 5,
  earlyClose: true,
  extraVoterRoles: [],
};
const openedAt = new Date('2026-11-23T09:00:00Z');
const deadline = new Date('2026-11-30T17:00:00Z');
const during = new Date('2026-11-24T09:00:00Z');
const voters = (n: number, roles: string[] = []) =>
  Array.from({ length: n }, (_, i) => ({ key: `p${i}`, roles }));
const votes = (...choices: Array<CountedVote['choice']>): CountedVote[] =>
  choices.map((choice, i) => ({
    voterKey: `p${i}`,
    choice,
    revision: 'r1',
    switchbackTo: choice === 'switchback' ? 2 : undefined,
  }));

describe('decideVote', () => {
  const cases: Array<{
    name: string;
    policy?: Partial<VotePolicy>;
    eligible: number;
    votes: CountedVote[];
    now?: Date;
    expect: string;
  }> = [
    {
      name: 'one approval of one reviewer decides at once',
      eligible: 1,
      votes: votes('approve'),
      expect: 'advanced',
    },
    { name: 'no votes: still open', eligible: 2, votes: [], expect: 'open' },
    {
      name: '8 of 16 voted with quorum 2/3 is no quorum at the deadline',
      policy: { quorum: 2 / 3, minApprovals: 2 },
      eligible: 16,
      votes: votes(...Array(8).fill('approve')),
      now: deadline,
      expect: 'expired',
    },
    {
      name: '11 of 16 voted with quorum 2/3 reaches quorum',
      policy: { quorum: 2 / 3, minApprovals: 2 },
      eligible: 16,
      votes: votes(...Array(11).fill('approve')),
      now: deadline,
      expect: 'advanced',
    },
    {
      name: 'abstentions count toward quorum, not as approvals',
      policy: { quorum: 2 / 3, minApprovals: 2 },
      eligible: 3,
      votes: votes('approve', 'abstain', 'abstain'),
      now: deadline,
      expect: 'expired',
    },
    {
      name: 'abstentions make quorum for two approvals',
      policy: { quorum: 2 / 3, minApprovals: 2 },
      eligible: 6,
      votes: votes('approve', 'approve', 'abstain', 'abstain'),
      now: deadline,
      expect: 'advanced',
    },
    {
      name: 'a veto blocks even with enough approvals',
      policy: { vetoRoles: ['qa'] },
      eligible: 3,
      votes: votes('approve', 'approve', 'request-changes'),
      expect: 'changes-requested',
    },
    {
      name: 'request changes from a non-veto reviewer is outvoted',
      eligible: 3,
      votes: votes('approve', 'approve', 'request-changes'),
      expect: 'advanced',
    },
    {
      name: 'minOpenHours holds the decision back',
      policy: { minOpenHours: 48 },
      eligible: 1,
      votes: votes('approve'),
      expect: 'open',
    },
    {
      name: 'not decided early while pending voters could still change it',
      policy: { minApprovals: 2 },
      eligible: 3,
      votes: votes('approve'),
      expect: 'open',
    },
    {
      name: 'early close off waits for the deadline',
      policy: { earlyClose: false },
      eligible: 1,
      votes: votes('approve'),
      expect: 'open',
    },
    { name: 'deadline with no votes expires', eligible: 2, votes: [], now: deadline, expect: 'expired' },
    {
      name: 'switchback majority goes back',
      eligible: 2,
      votes: votes('switchback', 'switchback'),
      expect: 'switchback:2',
    },
    {
      name: 'stale votes do not count',
      eligible: 1,
      votes: [{ voterKey: 'p0', choice: 'approve', revision: 'old' }],
      now: deadline,
      expect: 'expired',
    },
  ];
  it.each(cases)('$name', (c) => {
    const eligible = voters(c.eligible, c.policy?.vetoRoles ? ['qa'] : []);
    const decision = decideVote({
      policy: { ...base, ...c.policy },
      eligible,
      votes: c.votes,
      revision: 'r1',
      openedAt,
      deadline,
      now: c.now ?? during,
    });
    const got = !decision.decided
      ? 'open'
      : decision.outcome === 'switchback'
        ? `switchback:${decision.level}`
        : decision.outcome;
    expect(got).toBe(c.expect);
  });

  it('tallies stale and pending voters', () => {
    const decision = decideVote({
      policy: base,
      eligible: voters(3),
      votes: [
        { voterKey: 'p0', choice: 'approve', revision: 'old' },
        { voterKey: 'p1', choice: 'abstain', revision: 'r1' },
        { voterKey: 'stranger', choice: 'approve', revision: 'r1' },
      ],
      revision: 'r1',
      openedAt,
      deadline,
      now: during,
    });
    expect(decision.tally).toMatchObject({
      voted: 1,
      abstain: 1,
      approve: 0,
      stale: ['p0'],
      pending: ['p0', 'p2'],
    });
  });

  it('quorum needs whole voters', () => {
    expect(quorumNeeded(2 / 3, 16)).toBe(11);
    expect(quorumNeeded(0.7, 10)).toBe(7);
    expect(quorumNeeded(0.667, 3)).toBe(2);
    expect(quorumNeeded(0.667, 16)).toBe(11);
    expect(quorumNeeded(0, 5)).toBe(0);
  });
});

describe('checkVote', () => {
  const gate = { from: 5, to: 6, switchbackTo: [] as number[] };
  const ok: VoteCheck = {
    closed: false,
    isOwner: false,
    isEligible: true,
    choice: 'approve',
    gate,
    completedLevels: [4],
  };
  const cases: Array<[string, Partial<VoteCheck>, string | undefined]> = [
    ['an eligible reviewer votes', {}, undefined],
    ["the owner's vote is refused", { isOwner: true }, 'own-gate'],
    ['a vote after close is refused', { closed: true }, 'closed'],
    ['a stranger is refused', { isEligible: false }, 'not-eligible'],
    ['switchback to a completed level', { choice: 'switchback', switchbackTo: 4, reason: 'r' }, undefined],
    ['request changes with a reason', { choice: 'request-changes', reason: 'no tests' }, undefined],
    ['request changes without a reason is refused', { choice: 'request-changes' }, 'reason-required'],
    ['a blank reason is no reason', { choice: 'request-changes', reason: '  ' }, 'reason-required'],
    ['switchback without a reason is refused', { choice: 'switchback', switchbackTo: 4 }, 'reason-required'],
    [
      'switchback to a never-completed level is refused',
      { choice: 'switchback', switchbackTo: 2, reason: 'r' },
      'switchback-not-completed',
    ],
    ['switchback needs a level', { choice: 'switchback', reason: 'r' }, 'switchback-missing-level'],
    [
      'switchback outside the flow list is refused',
      {
        choice: 'switchback',
        switchbackTo: 4,
        reason: 'r',
        gate: { ...gate, switchbackTo: [3] },
        completedLevels: [3, 4],
      },
      'switchback-not-allowed',
    ],
  ];
  it.each(cases)('%s', (_name, change, expected) => {
    expect(checkVote({ ...ok, ...change })).toBe(expected);
  });

  it('offers only completed levels below the gate, nearest first', () => {
    expect(switchbackLevels({ from: 9, switchbackTo: [7, 4] }, [4, 5, 6, 7, 8])).toEqual([7, 4]);
    expect(switchbackLevels({ from: 5, switchbackTo: [] }, [4])).toEqual([4]);
    expect(switchbackLevels({ from: 4, switchbackTo: [] }, [])).toEqual([]);
  });
});

describe('required group approvals (flow approvalFrom)', () => {
  const ctx = (choices: Array<CountedVote['choice']>, now: Date, members = ['p2']) => ({
    policy: base,
    eligible: voters(3),
    votes: votes(...choices),
    revision: 'r1',
    required: [{ name: 'ethics-board', members }],
    openedAt,
    deadline,
    now,
  });

  it('approvals from others do not pass the gate while a member may still approve', () => {
    const decision = decideVote(ctx(['approve', 'approve'], during));
    expect(decision).toMatchObject({ decided: false });
    expect(decision.tally.missingGroups).toEqual(['ethics-board']);
  });

  it("a member's approval passes it", () => {
    expect(decideVote(ctx(['approve', 'approve', 'approve'], during))).toMatchObject({
      decided: true,
      outcome: 'advanced',
    });
  });

  it('without it the vote expires at the deadline; a group with no members can never approve', () => {
    expect(decideVote(ctx(['approve', 'approve', 'abstain'], deadline))).toMatchObject({
      outcome: 'expired',
    });
    expect(decideVote(ctx(['approve', 'approve'], deadline, []))).toMatchObject({ outcome: 'expired' });
  });

  it('a request for changes still decides early: no approval can advance it', () => {
    const decision = decideVote({
      ...ctx(['request-changes', 'request-changes'], during),
      eligible: voters(3),
    });
    expect(decision).toMatchObject({ decided: true, outcome: 'changes-requested' });
  });
});

describe('checkVote: buttons and voter roles', () => {
  const input: VoteCheck = {
    closed: false,
    isOwner: false,
    isEligible: true,
    choice: 'approve',
    gate: { from: 3, to: 4, switchbackTo: [] },
    completedLevels: [0, 1, 2],
  };

  it('refuses a button of another conversation or revision, and a reviewer outside the roles', () => {
    expect(checkVote({ ...input, clickedElsewhere: true })).toBe('button-elsewhere');
    expect(checkVote({ ...input, buttonRevision: 'aaaaaa', revision: 'bbbbbb' })).toBe('button-revision');
    expect(checkVote({ ...input, buttonRevision: 'bbbbbb', revision: 'bbbbbb' })).toBeUndefined();
    expect(checkVote({ ...input, isEligible: false, outsideRoles: true })).toBe('not-voter-role');
    expect(checkVote({ ...input, isEligible: false })).toBe('not-eligible');
  });
});
