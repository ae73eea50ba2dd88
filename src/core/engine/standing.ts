import type { Actor } from '../events';
import type { OutboundMessage } from '../messages';
import { renderStatus, voterStatus } from '../render';
import type { EngineContext } from './engine-context';
import type { ProjectContext } from './project-context';
import type { Review } from './store-ports';
import { tallyOf } from './vote-view';

/**
 * Where a project stands (level, open gate and phase, gaps or votes, snooze, last outcome), in the
 * actor's language: the answer to `status <project>`, and to `review` on an already open review (with
 * `notice` saying so), so that answer is one private message.
 */
export async function standing(
  ctx: EngineContext,
  actor: Actor,
  pc: ProjectContext,
  open: Review | undefined,
  notice?: string,
): Promise<OutboundMessage> {
  const { stores } = ctx.deps;
  const id = pc.card.projectId;
  const env = ctx.actorEnv(actor);
  const votes = open?.phase === 'voting' ? await stores.votes.votes(open.id) : [];
  const voterLines =
    open?.phase === 'voting' && pc.gate
      ? pc.voters.map((voter) => voterStatus(voter, { votes, tally: tallyOf(pc, open, votes) }, env))
      : [];
  const [lastClosed] = await stores.reviews.listClosed({ projectId: id, limit: 1 });
  return renderStatus(
    {
      card: pc.card,
      flow: pc.flow,
      flowSource: pc.flowSource,
      level: pc.level,
      recordedLevel: pc.recordedLevel,
      open,
      notice,
      report: open?.phase === 'voting' ? undefined : pc.report,
      system: pc.system,
      voterLines,
      lastClosed,
      snooze: await stores.snoozes.get(id, ctx.now()),
      nextGate: pc.gate ? { from: pc.gate.from, to: pc.gate.to } : undefined,
      waivers: pc.waivers,
    },
    env,
  );
}
