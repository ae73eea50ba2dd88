import { voteSummaryMessage } from './vote-summary';
import { businessDeadline } from '../business-time';
import type { CardKey } from '../card';
import { jobIds, keys, type EngineContext } from './engine-context';
import { warnIfQuorumOutOfReach } from './absence-check';
import { scheduleFirstNudges } from './nudges';
import { notifyWithLeads } from './review-leads';
import type { ProjectContext } from './project-context';
import type { Review } from './store-ports';
import { voteMessage } from './vote-view';
import { auditExpansions, expandGroups, missingTargets } from './group-expansion';
import { electorateOf } from './electorate';
import type { GroupSnapshot } from '../groups';

/** Revisions of the gate's required fields: a change to one of them makes earlier votes stale. */
export function requiredRevisions(pc: ProjectContext): Partial<Record<CardKey, string>> {
  const revisions: Partial<Record<CardKey, string>> = {};
  for (const requirement of pc.gate?.required ?? []) {
    revisions[requirement.key] = pc.card.fieldRevisions[requirement.key] ?? '';
  }
  return revisions;
}

/**
 * Gaps phase -> voting phase, once (compare-and-set on the phase): post the vote message and the card
 * summary in its thread, schedule the deadline (and a re-check when minOpenHours ends), remind voters.
 */
export async function openVote(
  ctx: EngineContext,
  review: Review,
  gapsContext: ProjectContext,
): Promise<Review | undefined> {
  const now = ctx.now();
  const gate = gapsContext.gate!;
  // Groups are expanded now: the membership is stored with the review and audited once the save wins.
  const groups = await expandGroups(ctx, gapsContext.groupTargets, gapsContext.platform);
  const pc = await withGroups(ctx, gapsContext, groups);
  const voting: Review = {
    ...review,
    phase: 'voting',
    voteOpenedAt: now.toISOString(),
    voteDeadline: businessDeadline(
      now,
      gate.vote.closeAfterBusinessDays,
      ctx.deadlineCalendar(pc.flow, review),
    ).toISOString(),
    voteRevision: pc.card.revision,
    voteFieldRevisions: requiredRevisions(pc),
    cardRevision: pc.card.revision,
    nudges: { target: 'voters', round: 0, escalated: false },
    ...(Object.keys(groups).length ? { groups } : {}),
  };
  if (!(await ctx.deps.stores.reviews.save(voting, 'gaps'))) return undefined;
  await auditExpansions(ctx, voting, groups);
  await ctx.audit({
    actor: 'bot',
    type: 'vote-opened',
    projectId: review.projectId,
    reviewId: review.id,
    revision: pc.card.revision,
  });
  const message = await voteMessage(ctx, pc, voting, []);
  // The vote and its thread: if either cannot be delivered, the requester and the review leads hear of it.
  const notify = await notifyWithLeads(ctx, review, pc.platform);
  await ctx.deps.delivery.send([
    {
      op: 'post',
      key: keys.vote(review.id),
      conversationId: review.conversationId,
      message,
      notify,
    },
    {
      op: 'post',
      key: keys.voteSummary(review.id),
      conversationId: review.conversationId,
      threadOf: keys.vote(review.id),
      message: await voteSummaryMessage(ctx, voting, pc),
      notify,
    },
  ]);
  const { scheduler } = ctx.deps;
  await scheduler.schedule(
    { id: jobIds.deadline(review.id), kind: 'vote-deadline', reviewId: review.id },
    new Date(voting.voteDeadline!),
  );
  if (gate.vote.minOpenHours > 0) {
    const at = new Date(now.getTime() + gate.vote.minOpenHours * 3_600_000);
    await scheduler.schedule({ id: jobIds.tick(review.id), kind: 'review-tick', reviewId: review.id }, at);
  }
  await scheduleFirstNudges(ctx, voting, pc);
  return warnIfQuorumOutOfReach(ctx, voting, pc);
}

/** The project context with the voters these group expansions give. */
export async function withGroups(
  ctx: EngineContext,
  pc: ProjectContext,
  groups: GroupSnapshot,
): Promise<ProjectContext> {
  if (Object.keys(groups).length === 0 && pc.groupTargets.length === 0) return pc;
  const electorate = await electorateOf({
    card: pc.card,
    gate: pc.gate,
    owners: pc.owners,
    platform: pc.platform,
    snapshot: groups,
    resolver: {
      people: ctx.deps.people,
      platformPeople: ctx.deps.platformPeople,
      defaultTz: ctx.deps.defaultTz,
      defaultLocale: ctx.deps.defaultLocale,
    },
  });
  const unresolved = [...pc.owners, ...electorate.reviewers].filter((p) => !p.userId).map((p) => p.name);
  return { ...pc, ...electorate, groups, unresolved };
}

/**
 * A group named on the card after the vote opened is expanded when first seen, and stored beside the
 * others (those already stored keep their membership).
 */
export async function expandNewGroups(
  ctx: EngineContext,
  review: Review,
  pc: ProjectContext,
): Promise<{ review: Review; pc: ProjectContext }> {
  const missing = missingTargets(pc.groupTargets, review.groups);
  if (missing.length === 0) return { review, pc };
  const added = await expandGroups(ctx, missing, pc.platform);
  const updated: Review = { ...review, groups: { ...review.groups, ...added } };
  if (!(await ctx.deps.stores.reviews.save(updated, 'voting'))) return { review, pc };
  await auditExpansions(ctx, updated, added);
  return { review: updated, pc: await withGroups(ctx, pc, updated.groups!) };
}
