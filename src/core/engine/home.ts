import type { Actor } from '../events';
import { PHASES } from '../levels';
import { levelInfo } from '../flow';
import type { MessageBlock, OutboundMessage } from '../messages';
import { cappedList, formatDateTime, gapLabel, joinList, textOf, tr } from '../render';
import type { EngineContext } from './engine-context';
import { nudgeTargets } from './nudges';
import { contextFor, findActor } from './project-context';

/**
 * A person's home (Slack App Home, the playground's side panel, Teams personal tab): what waits on them,
 * oldest first; their projects; the portfolio by phase.
 */
export async function home(ctx: EngineContext, actor: Actor): Promise<OutboundMessage> {
  const env = ctx.actorEnv(actor);
  const { cards } = await ctx.deps.cards.loadAll();
  const open = (await ctx.deps.stores.reviews.listOpen()).sort((a, b) =>
    a.openedAt.localeCompare(b.openedAt),
  );
  const waiting: string[] = [];
  for (const review of open) {
    const card = cards.find((c) => c.projectId === review.projectId);
    if (!card) continue;
    const pc = await contextFor(ctx, card, actor.platform, review.gate, review.flowName, review.groups);
    const gate = `${review.gate.from} -> ${review.gate.to}`;
    const targets = await nudgeTargets(ctx, review, pc);
    if (!findActor(ctx, actor, targets)) continue;
    if (review.phase === 'voting') {
      waiting.push(
        tr(env, 'home.waitVote', {
          id: card.projectId,
          gate,
          since: formatDateTime(review.voteOpenedAt ?? review.openedAt, env),
        }),
      );
    } else {
      const items = joinList(
        (pc.report?.required ?? []).map((gap) => gapLabel(gap, env)),
        env.locale,
      );
      waiting.push(tr(env, 'home.waitGaps', { id: card.projectId, gate, items }));
    }
  }
  const mine: string[] = [];
  const byPhase = new Map<string, number>();
  const levels = await ctx.deps.stores.levels.all();
  for (const card of cards) {
    const flow = ctx.deps.flows.forCard(card);
    const level = levels[card.projectId] ?? card.level;
    const phase = levelInfo(flow, level)?.phase ?? 'research';
    byPhase.set(phase, (byPhase.get(phase) ?? 0) + 1);
    const pc = await contextFor(ctx, card, actor.platform);
    if (!findActor(ctx, actor, [...pc.owners, ...pc.reviewers])) continue;
    const review = open.find((r) => r.projectId === card.projectId);
    const next = review
      ? tr(env, 'statusView.mineOpen', {
          gate: `${review.gate.from} -> ${review.gate.to}`,
          phase: tr(env, `phase.${review.phase}`),
        })
      : tr(env, 'statusView.mineIdle');
    mine.push(tr(env, 'statusView.mineLine', { id: card.projectId, name: card.name, level, next }));
  }
  const blocks: MessageBlock[] = [{ type: 'header', text: tr(env, 'home.waiting') }];
  blocks.push(
    waiting.length
      ? cappedList(waiting, env, { hint: '/mltrl status' })
      : { type: 'text', text: tr(env, 'home.waitingNone') },
  );
  blocks.push({ type: 'header', text: tr(env, 'home.projects') });
  blocks.push(
    mine.length
      ? cappedList(mine, env, { hint: '/mltrl status' })
      : { type: 'text', text: tr(env, 'home.projectsNone') },
  );
  blocks.push({ type: 'header', text: tr(env, 'home.portfolio') });
  blocks.push({
    type: 'fields',
    fields: PHASES.map((phase) => ({
      label: env.t(`digest:phase.${phase}`, {}, env.locale),
      value: String(byPhase.get(phase) ?? 0),
    })),
  });
  blocks.push({ type: 'context', text: tr(env, 'home.openReviews', { count: open.length }) });
  return { kind: 'portfolio', text: textOf(blocks), blocks, locale: env.locale };
}
