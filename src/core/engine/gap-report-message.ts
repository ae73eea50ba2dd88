import { nudgeDueAt } from '../nudge-plan';
import type { OutboundMessage } from '../messages';
import { renderGapReport } from '../render';
import type { EngineContext } from './engine-context';
import { cardUrl, nudgeTargets, phaseStart } from './nudges';
import type { ProjectContext } from './project-context';
import type { Review } from './store-ports';

/**
 * The one gap report of a review, for its first post and for every in-place update after a card edit:
 * the same lines (system level, waivers, owners and their next reminder), the channel's language, and the
 * first owner's zone for "next reminder" (the owners are the ones it is for).
 */
export async function gapReportMessage(
  ctx: EngineContext,
  review: Review,
  pc: ProjectContext,
  nextReminder?: Date,
): Promise<OutboundMessage> {
  const firstOwner = pc.owners.find((owner) => owner.userId);
  const channel = await ctx.channelEnv(review.conversationId);
  const env = firstOwner ? { ...channel, tz: firstOwner.tz } : channel;
  return renderGapReport(
    {
      review,
      card: pc.card,
      flow: pc.flow,
      report: pc.report!,
      owners: pc.owners,
      unresolved: pc.unresolved,
      waivers: pc.waivers,
      system: pc.system,
      nextReminder: nextReminder ?? (await nextOwnerReminder(ctx, review, pc)),
      cardUrl: cardUrl(ctx, pc),
    },
    { ...env, shared: true },
  );
}

/**
 * The earliest reminder still to come for the owners being chased: the round after the last one sent,
 * due at each owner's own working time (the same plan the reminder jobs follow), or nothing.
 */
async function nextOwnerReminder(
  ctx: EngineContext,
  review: Review,
  pc: ProjectContext,
): Promise<Date | undefined> {
  const schedule = pc.gate?.nudges;
  if (!schedule || review.nudges.target !== 'owners') return undefined;
  const now = ctx.now();
  let earliest: Date | undefined;
  for (const person of await nudgeTargets(ctx, review, pc)) {
    const cal = ctx.calendar(pc.flow, person);
    for (let round = review.nudges.round + 1; ; round += 1) {
      const at = nudgeDueAt(phaseStart(review), schedule, round, cal);
      if (!at) break;
      if (at <= now) continue;
      if (!earliest || at < earliest) earliest = at;
      break;
    }
  }
  return earliest;
}
