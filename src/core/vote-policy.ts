import type { VotePolicy } from './flow';
import type { VoteChoice } from './engine/store-ports';

/**
 * The gate vote policy (SPEC section 4), pure. `decideVote` says whether a vote is decided and how;
 * `checkVote` says whether one person's vote may be counted. Only fresh votes (bound to the current card
 * revision) of eligible voters count; abstentions count toward quorum only.
 */

export interface EligibleVoter {
  key: string;
  roles: string[];
}

export interface CountedVote {
  voterKey: string;
  choice: VoteChoice;
  switchbackTo?: number;
  /** Card revision the voter saw. */
  revision: string;
}

export interface VoteTally {
  eligible: number;
  /** Fresh votes of eligible voters (abstentions included). */
  voted: number;
  approve: number;
  requestChanges: number;
  abstain: number;
  switchback: number;
  /** Voters whose vote is bound to an older card revision. */
  stale: string[];
  /** Eligible voters with no fresh vote. */
  pending: string[];
  quorumNeeded: number;
  vetoed: boolean;
  /** Required groups (flow `approvalFrom`) with no fresh approval from a member yet. */
  missingGroups: string[];
}

/** A group the gate requires at least one approval from, with its members' voter keys. */
export interface RequiredApproval {
  name: string;
  members: string[];
}

export type VoteOutcome =
  | { outcome: 'advanced' }
  | { outcome: 'changes-requested' }
  | { outcome: 'switchback'; level: number }
  | { outcome: 'expired' };

export type VoteDecision =
  { decided: false; tally: VoteTally } | ({ decided: true; tally: VoteTally } & VoteOutcome);

export interface VoteContext {
  policy: VotePolicy;
  eligible: EligibleVoter[];
  votes: CountedVote[];
  revision: string;
  /** Groups each of which must give an approval (a gate cannot pass without them). */
  required?: RequiredApproval[];
  openedAt: Date;
  deadline: Date;
  now: Date;
}

const HOUR = 3_600_000;

/**
 * Votes needed for quorum. Shares are read with a tolerance of a hundredth of a voter, so a rounded
 * share means what it says: 0.667 of 3 reviewers is 2 (not 3), 0.7 of 10 is 7 (not 8).
 */
export function quorumNeeded(quorum: number, eligible: number): number {
  return Math.max(0, Math.ceil(quorum * eligible - 0.01));
}

export function tallyVotes(
  ctx: Pick<VoteContext, 'policy' | 'eligible' | 'votes' | 'revision' | 'required'>,
): VoteTally {
  const byKey = new Map(ctx.eligible.map((voter) => [voter.key, voter]));
  const tally: VoteTally = {
    eligible: ctx.eligible.length,
    voted: 0,
    approve: 0,
    requestChanges: 0,
    abstain: 0,
    switchback: 0,
    stale: [],
    pending: [],
    quorumNeeded: quorumNeeded(ctx.policy.quorum, ctx.eligible.length),
    vetoed: false,
    missingGroups: [],
  };
  const fresh = new Set<string>();
  for (const vote of ctx.votes) {
    const voter = byKey.get(vote.voterKey);
    if (!voter) continue;
    if (vote.revision !== ctx.revision) {
      tally.stale.push(vote.voterKey);
      continue;
    }
    fresh.add(vote.voterKey);
    tally.voted += 1;
    if (vote.choice === 'approve') tally.approve += 1;
    else if (vote.choice === 'abstain') tally.abstain += 1;
    else if (vote.choice === 'switchback') tally.switchback += 1;
    else {
      tally.requestChanges += 1;
      if (voter.roles.some((role) => ctx.policy.vetoRoles.includes(role))) tally.vetoed = true;
    }
  }
  tally.pending = ctx.eligible.filter((voter) => !fresh.has(voter.key)).map((voter) => voter.key);
  const approvers = new Set(
    ctx.votes
      .filter(
        (vote) => vote.choice === 'approve' && fresh.has(vote.voterKey) && vote.revision === ctx.revision,
      )
      .map((vote) => vote.voterKey),
  );
  tally.missingGroups = (ctx.required ?? [])
    .filter((group) => !group.members.some((member) => approvers.has(member)))
    .map((group) => group.name);
  return tally;
}

interface Counts {
  approve: number;
  requestChanges: number;
  abstain: number;
  switchback: number;
  vetoed: boolean;
  /** Every required group has given an approval. */
  groupsApproved: boolean;
}

/** The outcome if the vote closed with these counts. */
function outcomeOf(
  counts: Counts,
  policy: VotePolicy,
  eligible: number,
  switchbackLevel: number | undefined,
) {
  const voted = counts.approve + counts.requestChanges + counts.abstain + counts.switchback;
  if (counts.vetoed) return 'changes-requested';
  if (voted < quorumNeeded(policy.quorum, eligible) || voted === 0) return 'expired';
  const against = counts.requestChanges + counts.switchback;
  if (counts.approve >= policy.minApprovals && counts.approve > against && counts.groupsApproved)
    return 'advanced';
  if (
    counts.switchback > 0 &&
    counts.switchback >= counts.requestChanges &&
    counts.switchback >= counts.approve
  ) {
    return `switchback:${switchbackLevel ?? '?'}`;
  }
  if (against > 0) return 'changes-requested';
  return 'expired';
}

/** The most proposed switchback level (the higher, gentler one on a tie). */
function switchbackTarget(votes: CountedVote[], fresh: (vote: CountedVote) => boolean): number | undefined {
  const counts = new Map<number, number>();
  for (const vote of votes) {
    if (vote.choice === 'switchback' && vote.switchbackTo !== undefined && fresh(vote)) {
      counts.set(vote.switchbackTo, (counts.get(vote.switchbackTo) ?? 0) + 1);
    }
  }
  let best: number | undefined;
  for (const [level, count] of counts) {
    const bestCount = best === undefined ? -1 : counts.get(best)!;
    if (count > bestCount || (count === bestCount && level > best!)) best = level;
  }
  return best;
}

/** True when no way the pending voters could vote changes the outcome. */
function cannotChange(ctx: VoteContext, tally: VoteTally, current: string): boolean {
  const pending = tally.pending.length;
  if (pending === 0) return true;
  const vetoPossible = ctx.eligible.some(
    (voter) =>
      tally.pending.includes(voter.key) && voter.roles.some((role) => ctx.policy.vetoRoles.includes(role)),
  );
  const currentLevel = switchbackTarget(ctx.votes, (v) => v.revision === ctx.revision);
  // Can the pending voters still give each missing group its approval? Who approves is not enumerated,
  // so an uncertain case is tried both ways: never closed early on a guess.
  const missing = (ctx.required ?? []).filter((group) => tally.missingGroups.includes(group.name));
  const reachable = missing.every((group) => group.members.some((member) => tally.pending.includes(member)));
  const scenarios: Array<[number, number, number, number]> = [];
  if (pending <= 24) {
    for (let a = 0; a <= pending; a++)
      for (let r = 0; a + r <= pending; r++)
        for (let s = 0; a + r + s <= pending; s++)
          for (let ab = 0; a + r + s + ab <= pending; ab++) scenarios.push([a, r, s, ab]);
  } else {
    scenarios.push(
      [0, 0, 0, 0],
      [pending, 0, 0, 0],
      [0, pending, 0, 0],
      [0, 0, pending, 0],
      [0, 0, 0, pending],
    );
  }
  for (const [a, r, s, ab] of scenarios) {
    const groupCases = missing.length === 0 ? [true] : a > 0 && reachable ? [false, true] : [false];
    for (const veto of r > 0 && vetoPossible ? [false, true] : [false]) {
      for (const groupsApproved of groupCases) {
        const counts: Counts = {
          approve: tally.approve + a,
          requestChanges: tally.requestChanges + r,
          abstain: tally.abstain + ab,
          switchback: tally.switchback + s,
          vetoed: tally.vetoed || veto,
          groupsApproved,
        };
        // A pending switchback vote could name another level: that outcome is not settled.
        const level = s > 0 ? undefined : currentLevel;
        if (outcomeOf(counts, ctx.policy, tally.eligible, level) !== current) return false;
      }
    }
  }
  return true;
}

function toDecision(result: string, tally: VoteTally): VoteDecision {
  if (result.startsWith('switchback:')) {
    return { decided: true, tally, outcome: 'switchback', level: Number(result.slice('switchback:'.length)) };
  }
  return { decided: true, tally, outcome: result as 'advanced' | 'changes-requested' | 'expired' };
}

/**
 * Decides the vote: at the deadline always; before it only when early close is on, the vote has been
 * open `minOpenHours`, and the outcome can no longer change whatever the pending voters do.
 */
export function decideVote(ctx: VoteContext): VoteDecision {
  const tally = tallyVotes(ctx);
  const level = switchbackTarget(
    ctx.votes,
    (vote) => vote.revision === ctx.revision && !tally.stale.includes(vote.voterKey),
  );
  const current = outcomeOf(
    { ...tally, groupsApproved: tally.missingGroups.length === 0 },
    ctx.policy,
    tally.eligible,
    level,
  );
  if (ctx.now.getTime() >= ctx.deadline.getTime()) return toDecision(current, tally);
  if (!ctx.policy.earlyClose) return { decided: false, tally };
  if (ctx.now.getTime() < ctx.openedAt.getTime() + ctx.policy.minOpenHours * HOUR)
    return { decided: false, tally };
  if (current === 'expired' || !cannotChange(ctx, tally, current)) return { decided: false, tally };
  return toDecision(current, tally);
}

export type VoteRefusal =
  | 'closed'
  | 'button-elsewhere'
  | 'button-revision'
  | 'not-eligible'
  | 'not-voter-role'
  | 'reason-required'
  | 'own-gate'
  | 'switchback-missing-level'
  | 'switchback-not-completed'
  | 'switchback-not-allowed';

export interface VoteCheck {
  closed: boolean;
  /** The button was clicked outside the review's conversation (a value naming another review). */
  clickedElsewhere?: boolean;
  /** The card revision the button carried, and the one votes bind to now. */
  buttonRevision?: string;
  revision?: string;
  isOwner: boolean;
  isEligible: boolean;
  /** A card reviewer whom the gate's voter roles leave out (only when not eligible otherwise). */
  outsideRoles?: boolean;
  choice: VoteChoice;
  switchbackTo?: number;
  /** The voter's reason: request changes and switchback need one, whatever the surface. */
  reason?: string;
  gate: { from: number; to: number; switchbackTo: number[] };
  /** Levels the project has completed (passed the gate out of). */
  completedLevels: number[];
}

/** Whether one person's vote may be counted, and if not, why (an i18n key suffix). */
export function checkVote(input: VoteCheck): VoteRefusal | undefined {
  if (input.closed) return 'closed';
  if (input.clickedElsewhere) return 'button-elsewhere';
  if (input.buttonRevision !== undefined && input.buttonRevision !== input.revision) return 'button-revision';
  if (input.isOwner) return 'own-gate';
  if (!input.isEligible) return input.outsideRoles ? 'not-voter-role' : 'not-eligible';
  // A switchback the gate does not allow is refused as such, before its reason is asked for.
  if (input.choice === 'switchback') {
    const target = input.switchbackTo;
    if (target === undefined || !Number.isInteger(target)) return 'switchback-missing-level';
    if (!switchbackLevels(input.gate, input.completedLevels).includes(target)) {
      return input.completedLevels.includes(target) ? 'switchback-not-allowed' : 'switchback-not-completed';
    }
  }
  const needsReason = input.choice === 'request-changes' || input.choice === 'switchback';
  if (needsReason && !input.reason?.trim()) return 'reason-required';
  return undefined;
}

/** Levels a switchback from this gate may go to: allowed by the flow and completed by the project. */
export function switchbackLevels(
  gate: { from: number; switchbackTo: number[] },
  completedLevels: number[],
): number[] {
  const allowed = gate.switchbackTo.length > 0 ? gate.switchbackTo : [...Array(gate.from).keys()];
  return allowed
    .filter((level) => level < gate.from && completedLevels.includes(level))
    .sort((a, b) => b - a);
}
