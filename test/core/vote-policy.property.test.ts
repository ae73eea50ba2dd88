import fc from 'fast-check';
import type { VotePolicy } from '../../src/core/flow';
import { decideVote, type CountedVote } from '../../src/core/vote-policy';

/**
 * Early close must never pre-empt a different result: whenever the policy closes a vote early, every
 * way the pending voters could still have voted leads to the same outcome at the deadline.
 */
const CHOICES = ['approve', 'request-changes', 'abstain', 'switchback', 'none'] as const;
const openedAt = new Date('2026-11-23T09:00:00Z');
const deadline = new Date('2026-11-30T17:00:00Z');
const now = new Date('2026-11-25T09:00:00Z');

const policyArb: fc.Arbitrary<VotePolicy> = fc.record({
  minApprovals: fc.integer({ min: 1, max: 3 }),
  quorum: fc.constantFrom(0, 0.5, 2 / 3, 1),
  vetoRoles: fc.constantFrom<string[]>([], ['qa']),
  minOpenHours: fc.constant<number>(0),
  closeAfterBusinessDays: fc.constant<number>(5),
  earlyClose: fc.constant<boolean>(true),
  extraVoterRoles: fc.constant<string[]>([]),
});

function votesOf(choices: Array<(typeof CHOICES)[number]>, level: number): CountedVote[] {
  return choices.flatMap((choice, i) =>
    choice === 'none'
      ? []
      : [
          {
            voterKey: `p${i}`,
            choice,
            revision: 'r',
            switchbackTo: choice === 'switchback' ? level : undefined,
          },
        ],
  );
}

function outcome(policy: VotePolicy, roles: string[][], votes: CountedVote[], at: Date): string {
  const eligible = roles.map((r, i) => ({ key: `p${i}`, roles: r }));
  const decision = decideVote({ policy, eligible, votes, revision: 'r', openedAt, deadline, now: at });
  if (!decision.decided) return 'open';
  return decision.outcome === 'switchback' ? `switchback:${decision.level}` : decision.outcome;
}

it('an early decision holds whatever the pending voters do', () => {
  fc.assert(
    fc.property(
      policyArb,
      fc.array(fc.tuple(fc.constantFrom(...CHOICES), fc.constantFrom<string[]>([], ['qa'])), {
        minLength: 1,
        maxLength: 5,
      }),
      fc.array(fc.constantFrom(...CHOICES), { minLength: 5, maxLength: 5 }),
      (policy, voters, completion) => {
        const roles = voters.map(([, r]) => r);
        const choices = voters.map(([c]) => c);
        const early = outcome(policy, roles, votesOf(choices, 2), now);
        if (early === 'open') return;
        const completed = choices.map((c, i) => (c === 'none' ? completion[i] : c));
        expect(outcome(policy, roles, votesOf(completed, 2), deadline)).toBe(early);
      },
    ),
    { numRuns: 500 },
  );
});
