import { parseCommand } from '../commands';
import type { Engine, EngineJob } from '../engine-api';
import type { CommandEvent, EngineReply, InboundEvent, PlatformName } from '../events';
import { renderHelp, renderUsage } from '../render';
import type { EngineDeps } from './deps';
import { warnIfQuorumOutOfReach } from './absence-check';
import { cardsChanged } from './card-changes';
import { deliveryFailed } from './delivery-failed';
import { runWriteBack } from './write-back';
import { EngineContext, platformFor } from './engine-context';
import { delegateCommand } from './delegate-command';
import { flowCommand } from './flow-command';
import { home } from './home';
import { languageCommand } from './language-command';
import { digestCommand, history, status } from './info-commands';
import { runNudge, waitingOn } from './nudges';
import { contextFor } from './project-context';
import { recheck } from './recheck';
import { cancelProject, snoozeProject, waiveSection, withdrawWaiver } from './review-commands';
import { startReview } from './review-start';
import { auditRefusedAction, handleAction } from './vote-action';

export type { EngineDeps } from './deps';
export type * from './store-ports';

/**
 * Builds the platform-neutral engine: commands and button actions in (`handle`), scheduled jobs in
 * (`runJob`), messages out through `deps.delivery`. Authorization is checked here, never in platforms.
 * `handle` never throws: anything unexpected becomes a one-line apology to the actor and is reported
 * to `deps.onError`. `runJob` throws, so the job runner retries.
 */
export function createEngine(deps: EngineDeps): Engine {
  const ctx = new EngineContext(deps);

  async function command(event: CommandEvent): Promise<EngineReply> {
    const parsed = parseCommand(event.text);
    if (!parsed.ok) return { ephemeral: [renderUsage(parsed.error, ctx.actorEnv(event.actor))] };
    const { command: cmd } = parsed;
    const { actor } = event;
    switch (cmd.name) {
      case 'review':
        return startReview(ctx, event, cmd.project);
      case 'status':
        return status(ctx, actor, cmd.project, event.conversationId);
      case 'flow':
        return flowCommand(ctx, event, cmd.use);
      case 'history':
        return history(ctx, actor, cmd.project);
      case 'cancel':
        return cancelProject(ctx, actor, cmd.project);
      case 'snooze':
        return snoozeProject(ctx, actor, cmd.project, cmd.durationMs);
      case 'waive':
        return cmd.off ? withdrawWaiver(ctx, actor, cmd) : waiveSection(ctx, actor, cmd);
      case 'portfolio':
      case 'digest':
        return digestCommand(ctx, event, cmd);
      case 'language':
        return languageCommand(ctx, event, cmd);
      case 'delegate':
        return delegateCommand(ctx, event, cmd);
      case 'help':
        return { ephemeral: [renderHelp(ctx.actorEnv(actor), deps.docsUrl)] };
    }
  }

  return {
    async auditRefusedAction(event, reason) {
      await auditRefusedAction(ctx, event, reason);
    },

    async handle(event: InboundEvent): Promise<EngineReply> {
      try {
        return event.type === 'command' ? await command(event) : await handleAction(ctx, event);
      } catch (error) {
        deps.onError?.(error, `engine.handle ${event.type}`);
        const unavailable = event.type === 'action' && deps.isStoreUnavailable?.(error);
        return ctx.refuse(event.actor, unavailable ? 'notRecorded' : 'internal');
      }
    },

    async runJob(job: EngineJob, dueAt?: Date): Promise<void> {
      if (job.kind === 'write-back') return runWriteBack(ctx, job);
      const review = await deps.stores.reviews.get(job.reviewId);
      if (!review || review.phase === 'closed') return;
      // Every run re-reads the card first: a completed card opens the vote, a settled vote closes.
      const { review: current, pc } = await recheck(ctx, review);
      if (current.phase === 'closed' || !pc) return;
      if (job.kind === 'vote-deadline' && current.phase === 'voting') {
        // Not closed by recheck although due: the clock of this worker is behind; try again at the deadline.
        const deadline = new Date(current.voteDeadline ?? ctx.now());
        if (deadline > ctx.now()) await deps.scheduler.schedule(job, deadline);
        return;
      }
      if (job.kind === 'nudge') await runNudge(ctx, current, pc, job, dueAt ?? ctx.now());
      // After the reminder's own saves: the lead hears once when absences leave the quorum out of reach.
      const latest = await deps.stores.reviews.get(review.id);
      if (latest?.phase === 'voting') await warnIfQuorumOutOfReach(ctx, latest, pc);
    },

    home: (actor) => home(ctx, actor),

    deliveryFailed: (failure) => deliveryFailed(ctx, failure),

    cardsChanged: (files) => cardsChanged(ctx, files),

    async waitingOn(reviewId: string, platform?: PlatformName): Promise<string[] | undefined> {
      const review = await deps.stores.reviews.get(reviewId);
      if (!review || review.phase === 'closed') return undefined;
      const card = await deps.cards.find(review.projectId);
      if (!card) return undefined;
      const own = platformFor(review.conversationId);
      const pc = await contextFor(ctx, card, own, review.gate, review.flowName, review.groups);
      if (!pc.gate) return undefined;
      const people = await waitingOn(ctx, review, pc);
      return people.map((person) => (!platform || platform === own ? person.display : person.name));
    },
  };
}
