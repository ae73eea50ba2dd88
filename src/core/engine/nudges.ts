import { addBusinessDays, isWorkingTime, nextWorkingMoment } from '../business-time';
import type { EngineJob } from '../engine-api';
import { escalationDueAt, nudgeDueAt, roundsOf } from '../nudge-plan';
import type { ResolvedPerson } from '../people-resolver';
import type { OutboundMessage } from '../messages';
import { formatWhen, renderEscalation, renderNudge, tr } from '../render';
import { lastMinute } from '../delegation';
import { reminderRoute } from './reminder-route';
import { jobIds, keys, type EngineContext } from './engine-context';
import type { ProjectContext } from './project-context';
import { notifyWithLeads, reviewLeads } from './review-leads';
import type { Review } from './store-ports';
import { tallyOf } from './vote-view';

/**
 * Reminders: one job per person per round (deterministic ids, so scheduling twice moves, never
 * duplicates), sent inside that person's working hours, paused by a snooze; after the last round one
 * escalation to the review lead in the review's channel, then silence. Delivery keys are per person per
 * round, so a job that runs twice still sends one message.
 */
type Target = Review['nudges']['target'];

/** When the phase being chased began: reminder rounds count business days from here. */
export function phaseStart(review: Review): Date {
  return new Date(
    review.nudges.target === 'voters' ? (review.voteOpenedAt ?? review.openedAt) : review.openedAt,
  );
}

/**
 * Who the review waits on right now: the owners while required gaps remain, the voters without a fresh
 * vote. Includes people not found on the platform (they cannot be reminded, but the lead hears of them).
 */
export async function waitingOn(
  ctx: EngineContext,
  review: Review,
  pc: ProjectContext,
): Promise<ResolvedPerson[]> {
  if (review.nudges.target === 'owners') return pc.report?.required.length ? pc.owners : [];
  const votes = await ctx.deps.stores.votes.votes(review.id);
  const pending = new Set(tallyOf(pc, review, votes).pending);
  return pc.voters.filter((voter) => pending.has(voter.key));
}

/** The people who can be reminded: those the review waits on with a platform user id. */
export async function nudgeTargets(
  ctx: EngineContext,
  review: Review,
  pc: ProjectContext,
): Promise<ResolvedPerson[]> {
  return (await waitingOn(ctx, review, pc)).filter((person) => person.userId);
}

function nudgeJob(review: Review, target: Target, round: number, person: string): EngineJob {
  return {
    id: jobIds.nudge(review.id, target, round, person),
    kind: 'nudge',
    reviewId: review.id,
    data: { target, round, person },
  };
}

/** Round 1 for everyone being chased, each at their own local time. Returns the earliest due time. */
export async function scheduleFirstNudges(
  ctx: EngineContext,
  review: Review,
  pc: ProjectContext,
): Promise<Date | undefined> {
  const schedule = pc.gate?.nudges;
  if (!schedule) return undefined;
  let earliest: Date | undefined;
  const targets = await nudgeTargets(ctx, review, pc);
  for (const person of targets) {
    const at = nudgeDueAt(phaseStart(review), schedule, 1, ctx.calendar(pc.flow, person));
    if (!at) continue;
    await ctx.deps.scheduler.schedule(nudgeJob(review, review.nudges.target, 1, person.key), at);
    if (!earliest || at < earliest) earliest = at;
  }
  // Nobody can be reminded (no one found on the platform): the lead still hears of it once.
  if (targets.length === 0 && (await waitingOn(ctx, review, pc)).length > 0)
    await scheduleEscalation(ctx, review, pc);
  return earliest;
}

/**
 * A nudge job for one person and round (or the escalation, `data.step === 'escalate'`), run as of
 * `dueAt`, the time it was scheduled for: a reminder due inside working hours is delivered even when the
 * worker runs it later (the playground clock jumped, the workers were down overnight). After such a gap
 * the person gets one reminder, the latest round due by now, and the next round it names is in the future.
 */
export async function runNudge(
  ctx: EngineContext,
  review: Review,
  pc: ProjectContext,
  job: EngineJob,
  dueAt: Date,
): Promise<void> {
  const target = String(job.data?.target ?? '') as Target;
  if (target !== review.nudges.target || !pc.gate) return;
  const now = ctx.now();
  const snooze = await ctx.deps.stores.snoozes.get(review.projectId, now);
  if (snooze) {
    // Paused: the same job moves to when the snooze ends (inside that person's working hours).
    const who = [...pc.owners, ...pc.voters].find((p) => p.key === job.data?.person);
    const at = nextWorkingMoment(new Date(snooze.until), ctx.calendar(pc.flow, who));
    await ctx.deps.scheduler.schedule(job, at);
    return;
  }
  if (job.data?.step === 'escalate') return escalate(ctx, review, pc);
  const [people, delegations] = await Promise.all([
    nudgeTargets(ctx, review, pc),
    ctx.deps.stores.delegations.all(),
  ]);
  const person = people.find((p) => p.key === job.data?.person);
  if (!person || !person.userId || Number(job.data?.round ?? 0) < 1) return;
  // Away people are skipped; delegated reminders go to the delegate, in the delegate's working hours.
  const route = await reminderRoute(ctx, pc, person, delegations);
  const cal = ctx.calendar(pc.flow, route?.to ?? person);
  if (!isWorkingTime(dueAt, cal)) {
    // Judged at the due time, not at the run time: a late run must not push the reminder on forever.
    await ctx.deps.scheduler.schedule(job, nextWorkingMoment(dueAt, cal));
    return;
  }
  const schedule = pc.gate.nudges;
  const rounds = roundsOf(schedule);
  const start = phaseStart(review);
  let round = Number(job.data?.round);
  // No catch-up burst: skip to the latest round already due, so "next" is always still to come.
  for (;;) {
    const later = round < rounds ? nudgeDueAt(start, schedule, round + 1, cal) : undefined;
    if (!later || later > now) break;
    round += 1;
  }
  const next = round < rounds ? nudgeDueAt(start, schedule, round + 1, cal) : undefined;
  if (route) {
    const env = ctx.personEnv(route.to);
    const nudge = renderNudge(
      {
        review,
        card: pc.card,
        flow: pc.flow,
        gaps: target === 'owners' ? pc.report?.required : undefined,
        round,
        rounds,
        next,
        escalates: schedule.escalate,
        cardUrl: cardUrl(ctx, pc),
        leads: schedule.escalate ? (await reviewLeads(ctx, review, pc.platform)).leads : undefined,
      },
      env,
    );
    const behalf = route.onBehalfOf;
    const message = behalf
      ? withContextLine(
          nudge,
          tr(env, 'delegation.reminderFor', {
            voter: behalf.person.name,
            until: formatWhen(lastMinute(behalf.delegation), env),
          }),
        )
      : nudge;
    const recipientKey = behalf ? `${route.to.key}-for-${person.key}` : person.key;
    // Stamped with when this round fell due (the playground shows it), not with the late run's time.
    const roundDue = round === Number(job.data?.round) ? dueAt : nudgeDueAt(start, schedule, round, cal);
    await ctx.deps.delivery.send([
      {
        op: 'dm',
        key: keys.nudge(review.id, target, round, recipientKey),
        platform: pc.platform,
        userId: route.to.userId,
        message: roundDue ? { ...message, dueAt: roundDue.toISOString() } : message,
      },
    ]);
    await ctx.audit({
      actor: 'bot',
      type: 'nudged',
      projectId: review.projectId,
      reviewId: review.id,
      revision: pc.card.revision,
      data: { round, to: route.to.name, target, ...(behalf ? { for: person.name } : {}) },
    });
  }
  if (round > review.nudges.round)
    await ctx.deps.stores.reviews.save({ ...review, nudges: { ...review.nudges, round } }, review.phase);
  if (next) {
    await ctx.deps.scheduler.schedule(nudgeJob(review, target, round + 1, person.key), next);
  } else {
    // The lead hears one business day after the last reminder actually went out, never in the same minute.
    await scheduleEscalation(ctx, review, pc, addBusinessDays(now, 1, ctx.calendar(pc.flow)));
  }
}

/** The one escalation, due one business day after the last reminder (deterministic id: never twice). */
async function scheduleEscalation(
  ctx: EngineContext,
  review: Review,
  pc: ProjectContext,
  notBefore?: Date,
): Promise<void> {
  const target = review.nudges.target;
  const planned = escalationDueAt(phaseStart(review), pc.gate!.nudges, ctx.calendar(pc.flow));
  const at = planned && notBefore && notBefore > planned ? notBefore : planned;
  const job = { id: jobIds.escalation(review.id, target), kind: 'nudge' as const, reviewId: review.id };
  if (at) await ctx.deps.scheduler.schedule({ ...job, data: { target, step: 'escalate' } }, at);
}

async function escalate(ctx: EngineContext, review: Review, pc: ProjectContext): Promise<void> {
  if (review.nudges.escalated) return;
  const target = review.nudges.target;
  const waiting = await waitingOn(ctx, review, pc);
  if (waiting.length === 0) return;
  const message = renderEscalation(
    {
      review,
      card: pc.card,
      flow: pc.flow,
      rounds: roundsOf(pc.gate!.nudges),
      gaps: target === 'owners' ? pc.report?.required : undefined,
      owners: pc.owners.map((owner) => owner.display),
      pendingVoters: waiting.map((voter) => voter.display),
      ...(await reviewLeads(ctx, review, pc.platform)),
    },
    await ctx.channelEnv(review.conversationId),
  );
  const saved = await ctx.deps.stores.reviews.save(
    { ...review, nudges: { ...review.nudges, escalated: true } },
    review.phase,
  );
  if (!saved) return;
  await ctx.deps.delivery.send([
    {
      op: 'post',
      key: keys.escalation(review.id, target),
      conversationId: review.conversationId,
      threadOf: target === 'voters' ? keys.vote(review.id) : undefined,
      message,
      notify: await notifyWithLeads(ctx, review, pc.platform),
    },
  ]);
  await ctx.audit({
    actor: 'bot',
    type: 'escalated',
    projectId: review.projectId,
    reviewId: review.id,
    revision: pc.card.revision,
    data: { round: roundsOf(pc.gate!.nudges), target },
  });
}

/** The card at the revision read (git source with CARDS_WEB_URL), else the card's main page. */
export function cardUrl(ctx: EngineContext, pc: ProjectContext): string | undefined {
  const link = ctx.deps.cards.linkOf?.(pc.card);
  if (link) return link;
  const page = pc.card.fields['main-page']?.text;
  // The link button opens the card's main project page when it is a plain URL.
  return page && /^https?:\/\/\S+$/.test(page) ? page : undefined;
}

/** A message with one more context line at its end (who a delegated reminder is for). */
function withContextLine(message: OutboundMessage, line: string): OutboundMessage {
  return {
    ...message,
    text: `${message.text}\n${line}`,
    blocks: [...message.blocks, { type: 'context', text: line }],
  };
}
