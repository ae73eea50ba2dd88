import { delegatorsOf, endedDelegationsTo, type Delegation } from '../delegation';
import type { Actor } from '../events';
import type { ResolvedPerson } from '../people-resolver';
import { eligibilityOf } from './electorate';
import type { EngineContext } from './engine-context';
import { findActor, type ProjectContext } from './project-context';

/**
 * Whom one click votes for: the clicker, when they are an eligible voter, and every eligible voter of
 * this gate whose delegation in force names them ("x for y"). The delegation module only says who
 * stands in for whom; who may vote at all stays the gate's electorate (src/core/engine/electorate.ts).
 */
export interface Ballot {
  isOwner: boolean;
  /** A card reviewer the gate's voter roles leave out (told why, unless they vote for someone). */
  outsideRoles: boolean;
  voters: Array<{ voter: ResolvedPerson; delegation?: Delegation }>;
  /** The voters the clicker stands in for. */
  delegated: Array<{ voter: ResolvedPerson; delegation: Delegation }>;
  /** Delegations to the clicker from this gate's voters that have ended (a late click hears why). */
  ended: Delegation[];
}

export function ballotOf(
  ctx: EngineContext,
  actor: Actor,
  pc: ProjectContext,
  delegations: Delegation[],
): Ballot {
  const eligibility = eligibilityOf(actor, pc, ctx.deps.people);
  const own = 'voter' in eligibility ? eligibility.voter : undefined;
  const me = ctx.actorRef(actor).key;
  const now = ctx.now();
  const projectId = pc.card.projectId;
  const voterByKey = new Map(pc.voters.map((voter) => [voter.key, voter]));
  const delegated = delegatorsOf(delegations, me, projectId, now).flatMap((delegation) => {
    const voter = voterByKey.get(delegation.from);
    return voter && voter.key !== own?.key ? [{ voter, delegation }] : [];
  });
  const ended = endedDelegationsTo(delegations, me, projectId, now).filter(
    (d) => voterByKey.has(d.from) && !delegated.some((held) => held.voter.key === d.from),
  );
  return {
    isOwner: !!findActor(ctx, actor, pc.owners),
    outsideRoles: 'refusal' in eligibility && eligibility.refusal === 'not-voter-role',
    voters: [...(own ? [{ voter: own }] : []), ...delegated],
    delegated,
    ended,
  };
}

/** A click that counts for nobody because the clicker's delegation ended: say so, not "not eligible". */
export function ballotRefusal(ballot: Ballot): 'delegation-ended' | undefined {
  return ballot.voters.length === 0 && ballot.ended.length > 0 && !ballot.isOwner
    ? 'delegation-ended'
    : undefined;
}
