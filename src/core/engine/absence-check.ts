import { delegationOf, isAwayThroughout, type Delegation } from '../delegation';
import type { ResolvedPerson } from '../people-resolver';
import { formatWhen, renderLine } from '../render';
import { keys, safeId, type EngineContext } from './engine-context';
import type { ProjectContext } from './project-context';
import { notifyWithLeads } from './review-leads';
import type { Review } from './store-ports';
import { tallyOf } from './vote-view';

/**
 * When the voters still to vote are away until after the vote closes (and have no delegate who is
 * not), the quorum may be out of reach: the review lead is told once per review, privately, so they can
 * act (a delegate, other reviewers) before the vote expires. Returns the review as stored afterwards.
 */
export async function warnIfQuorumOutOfReach(
  ctx: EngineContext,
  review: Review,
  pc: ProjectContext,
): Promise<Review> {
  if (review.phase !== 'voting' || review.absenceWarned || !review.voteDeadline || !pc.gate) return review;
  const { stores } = ctx.deps;
  const [votes, delegations] = await Promise.all([stores.votes.votes(review.id), stores.delegations.all()]);
  const tally = tallyOf(pc, review, votes);
  if (tally.quorumNeeded === 0) return review;
  const deadline = new Date(review.voteDeadline);
  const pending = pc.voters.filter((voter) => tally.pending.includes(voter.key));
  const away = pending.filter((voter) => absentUntilClose(ctx, voter, deadline, delegations, pc));
  const reachable = tally.voted + pending.filter((voter) => voter.userId && !away.includes(voter)).length;
  if (away.length === 0 || reachable >= tally.quorumNeeded) return review;
  const warned: Review = { ...review, absenceWarned: true };
  if (!(await stores.reviews.save(warned, 'voting'))) return review;
  const notify = await notifyWithLeads(ctx, review, pc.platform);
  const recipients = notify.leads?.length ? notify.leads : [review.requestedBy.userId];
  const names = away.map((voter) => voter.name).join(', ');
  const requests = [];
  for (const userId of recipients) {
    const env = await ctx.platformUserEnv({ platform: pc.platform, userId });
    const text = env.t(
      'engine:absence.quorumOutOfReach',
      {
        id: review.projectId,
        gate: `${review.gate.from} -> ${review.gate.to}`,
        away: names,
        deadline: formatWhen(deadline, env),
        reachable,
        needed: tally.quorumNeeded,
      },
      env.locale,
    );
    requests.push({
      op: 'dm' as const,
      key: `${keys.vote(review.id)}-quorum-out-of-reach-${safeId(userId)}`,
      platform: pc.platform,
      userId,
      message: renderLine('notice', text, env.locale),
    });
  }
  await ctx.deps.delivery.send(requests);
  await ctx.audit({
    actor: 'bot',
    type: 'quorum-unreachable',
    projectId: review.projectId,
    reviewId: review.id,
    data: { away: names, reachable, needed: tally.quorumNeeded },
  });
  return warned;
}

/** Away from now until the vote closes, with no delegate in force who is around. */
function absentUntilClose(
  ctx: EngineContext,
  voter: ResolvedPerson,
  deadline: Date,
  delegations: Delegation[],
  pc: ProjectContext,
): boolean {
  const now = ctx.now();
  const tz = ctx.deps.defaultTz;
  if (!isAwayThroughout(voter.person, now, deadline, tz)) return false;
  const delegation = delegationOf(delegations, voter.key, pc.card.projectId, now);
  if (!delegation) return true;
  const delegate = ctx.deps.people.people.find((p) => p.id === delegation.to.key);
  return isAwayThroughout(delegate, now, deadline, tz);
}
