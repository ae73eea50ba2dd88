import { delegationOf, type Delegation } from '../delegation';
import { delegateOn } from './reminder-route';
import type { OutboundMessage } from '../messages';
import { renderVoteMessage } from '../render';
import { switchbackLevels, tallyVotes, type VoteTally } from '../vote-policy';
import { levelEvidence, type LevelEvidence, type ProjectContext } from './project-context';
import type { EngineContext } from './engine-context';
import type { Review, VoteRecord } from './store-ports';
import type { RenderEnv } from '../render/format';
import { rememberedVoteMessage } from './vote-message-memo';

/** Votes as the policy counts them: by voter key, bound to a revision. */
export function counted(votes: VoteRecord[]) {
  return votes.map((vote) => ({
    voterKey: vote.voter.key,
    choice: vote.choice,
    switchbackTo: vote.switchbackTo,
    revision: vote.revision,
  }));
}

export function eligibleOf(pc: ProjectContext) {
  return pc.voters.map((voter) => ({ key: voter.key, roles: voter.roles }));
}

/** Groups the gate needs an approval from, as the policy reads them. */
export function requiredOf(pc: ProjectContext) {
  return pc.required.map((group) => ({ name: group.name, members: group.members }));
}

export function tallyOf(pc: ProjectContext, review: Review, votes: VoteRecord[]): VoteTally {
  return tallyVotes({
    policy: pc.gate!.vote,
    eligible: eligibleOf(pc),
    votes: counted(votes),
    revision: review.voteRevision ?? '',
    required: requiredOf(pc),
  });
}

/** The vote parent message for the current votes (live tally, or final with the outcome words). */
export async function voteMessage(
  ctx: EngineContext,
  pc: ProjectContext,
  review: Review,
  votes: VoteRecord[],
  closedOutcome?: string,
  /** What the caller has read already on this click (one read of each per click). */
  known: { evidence?: LevelEvidence; env?: RenderEnv; delegations?: Delegation[] } = {},
): Promise<OutboundMessage> {
  // The evidence, the channel's language and the delegations in one round trip.
  const [evidence, env, delegations] = await Promise.all([
    known.evidence ?? levelEvidence(ctx, pc.card.projectId),
    known.env ?? ctx.channelEnv(review.conversationId),
    known.delegations ?? ctx.deps.stores.delegations.all(),
  ]);
  const offered = switchbackLevels(pc.gate!, evidence.completed);
  const perCard = evidence.perCardBelow;
  const history = evidence.perHistory;
  // Every offered level stated on the card in an earlier commit: the history is the evidence to name.
  const perHistory =
    history && offered.length > 0 && offered.every((level) => history.levels.includes(level))
      ? history
      : undefined;
  const delegates = await delegatesOf(ctx, pc, delegations);
  const inputs = [review, votes, closedOutcome ?? null, evidence, delegates];
  return rememberedVoteMessage(pc, env, inputs, () =>
    renderVoteMessage(
      {
        review,
        card: pc.card,
        flow: pc.flow,
        gate: pc.gate!,
        voters: pc.voters,
        unresolvedVoters: pc.voters.filter((v) => !v.userId).map((v) => v.name),
        votes,
        tally: tallyOf(pc, review, votes),
        switchbackLevels: offered,
        switchbackPerCard:
          perCard !== undefined && offered.some((level) => level < perCard) ? perCard : undefined,
        ...(perHistory ? { switchbackPerHistory: perHistory } : {}),
        closedOutcome,
        waivers: pc.waivers,
        outsideRoles: pc.outsideRoles,
        groups: pc.groups,
        delegates,
      },
      env,
    ),
  );
}

/**
 * Platform ids of the people standing in for a voter right now, found as reminders find them: on platforms
 * that show buttons per person (Teams), a delegate must see the voter's buttons to vote for them.
 * Delegations are rare, so the look-ups happen only when one is in force.
 */
async function delegatesOf(
  ctx: EngineContext,
  pc: ProjectContext,
  delegations: Delegation[],
): Promise<string[]> {
  const now = ctx.now();
  const inForce = pc.voters
    .map((voter) => delegationOf(delegations, voter.key, pc.card.projectId, now))
    .filter((delegation): delegation is Delegation => !!delegation);
  if (inForce.length === 0) return [];
  const found = await Promise.all(inForce.map((delegation) => delegateOn(ctx, pc, delegation)));
  return [...new Set(found.map((person) => person?.userId).filter((id): id is string => !!id))];
}
