import { levelBars, portfolioChartSvg, portfolioOverview } from '../digest';
import type { Actor } from '../events';
import { PHASES } from '../levels';
import type { MessageBlock, OutboundMessage } from '../messages';
import { cappedList, formatDateTime, gapLabel, joinList, textOf, tr, type RenderEnv } from '../render';
import type { EngineContext } from './engine-context';
import { nudgeTargets, waitingOn } from './nudges';
import { contextFor, findActor, type ProjectContext } from './project-context';
import type { Review } from './store-ports';

/**
 * A person's home (Slack App Home, the playground's Home): what waits on them, oldest first; their
 * projects, each with the next step and who takes it; the portfolio chart by level; and a signed link
 * to the portfolio page when the bot has an address.
 */
export async function home(ctx: EngineContext, actor: Actor): Promise<OutboundMessage> {
  const env = ctx.actorEnv(actor);
  const { cards } = await ctx.deps.cards.loadAll();
  const open = (await ctx.deps.stores.reviews.listOpen()).sort((a, b) =>
    a.openedAt.localeCompare(b.openedAt),
  );
  const openByProject = new Map(open.map((review) => [review.projectId, review]));
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
  const levels = await ctx.deps.stores.levels.all();
  for (const card of cards) {
    const review = openByProject.get(card.projectId);
    const pc = review
      ? await contextFor(ctx, card, actor.platform, review.gate, review.flowName)
      : await contextFor(ctx, card, actor.platform);
    if (!findActor(ctx, actor, [...pc.owners, ...pc.reviewers])) continue;
    const level = levels[card.projectId] ?? card.level;
    const gate = review
      ? tr(env, 'statusView.mineOpen', {
          gate: `${review.gate.from} -> ${review.gate.to}`,
          phase: tr(env, `phase.${review.phase}`),
        })
      : tr(env, 'statusView.mineIdle');
    const next = await nextStep(ctx, actor, env, pc, review);
    mine.push(tr(env, 'home.projectLine', { id: card.projectId, name: card.name, level, gate, next }));
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
  blocks.push(...chartBlocks(ctx, env, cards, levels, actor));
  blocks.push({ type: 'context', text: tr(env, 'home.openReviews', { count: open.length }) });
  const link = ctx.deps.portfolioLinks?.linkFor(actor);
  if (link) {
    blocks.push({
      type: 'actions',
      actions: [
        {
          type: 'button',
          actionId: 'open-portfolio',
          label: env.t('digest:portfolio.open', {}, env.locale),
          value: 'link',
          url: link,
        },
      ],
    });
  }
  return { kind: 'portfolio', text: textOf(blocks), blocks, locale: env.locale };
}

/**
 * What the viewer's project needs next, and from whom: "fill Testing status" (an owner, gaps open),
 * "vote on R07.2" (a voter not yet counted), "waiting on Li Wei" (someone else's turn), or how to start
 * the next gate when none is open.
 */
async function nextStep(
  ctx: EngineContext,
  actor: Actor,
  env: RenderEnv,
  pc: ProjectContext,
  review: Review | undefined,
): Promise<string> {
  const id = pc.card.projectId;
  if (!review) {
    return pc.gate
      ? tr(env, 'home.next.start', { id, gate: `${pc.gate.from} -> ${pc.gate.to}` })
      : tr(env, 'home.next.none');
  }
  const people = await waitingOn(ctx, review, pc);
  if (findActor(ctx, actor, people)) {
    if (review.phase === 'voting') return tr(env, 'home.next.vote', { id });
    const items = joinList(
      (pc.report?.required ?? []).map((gap) => gapLabel(gap, env)),
      env.locale,
    );
    return tr(env, 'home.next.fill', { items });
  }
  if (people.length === 0) return tr(env, 'home.next.nobody');
  // Names, not mentions: the Home view notifies nobody.
  return tr(env, 'home.next.waitingOn', {
    people: joinList(
      people.map((person) => person.name),
      env.locale,
    ),
  });
}

/** The digest's chart: projects per level (recorded level, else the card's), as text bars and a picture. */
function chartBlocks(
  ctx: EngineContext,
  env: RenderEnv,
  cards: ReadonlyArray<{ projectId: string; level: number; name: string }>,
  levels: Record<string, number>,
  actor: Actor,
): MessageBlock[] {
  const flow = ctx.deps.flows.defaultFlow();
  const overview = portfolioOverview(
    cards.map((card) => ({
      projectId: card.projectId,
      name: card.name,
      statedLevel: card.level,
      recordedLevel: levels[card.projectId],
      owners: [],
    })),
    flow.levels,
    env.locale,
  );
  const phase = (name: (typeof PHASES)[number], count: number) =>
    env.t(
      'digest:overview.phaseCount',
      { phase: env.t(`digest:phase.${name}`, {}, env.locale), count },
      env.locale,
    );
  const blocks: MessageBlock[] = [
    {
      type: 'fields',
      fields: PHASES.map((name) => ({
        label: env.t(`digest:phase.${name}`, {}, env.locale),
        value: String(overview.byPhase.find((row) => row.phase === name)?.count ?? 0),
      })),
    },
  ];
  if (overview.total === 0) return blocks;
  blocks.push({ type: 'text', text: levelBars(overview).join('\n') });
  // With a public address, the picture is the viewer's signed /portfolio/chart.png: Slack's App Home can
  // show only pictures it fetches (nothing is uploaded for a view). The text bars above stay either way.
  const chartUrl = ctx.deps.publicUrl ? ctx.deps.portfolioLinks?.chartLinkFor?.(actor) : undefined;
  const png = chartUrl
    ? undefined
    : ctx.deps.renderChart?.(
        portfolioChartSvg(overview, {
          title: env.t('digest:chart.title', {}, env.locale),
          phases: Object.fromEntries(
            overview.byPhase.map((row) => [row.phase, phase(row.phase, row.count)]),
          ) as Record<(typeof PHASES)[number], string>,
        }),
      );
  if (!chartUrl && !png) return blocks;
  const alt = env.t(
    'digest:chart.alt',
    {
      total: overview.total,
      levels: overview.byLevel.map((row) => `L${row.level} ${row.count}`).join(', '),
      phases: overview.byPhase.map((row) => phase(row.phase, row.count)).join(', '),
    },
    env.locale,
  );
  blocks.push(chartUrl ? { type: 'image', alt, url: chartUrl } : { type: 'image', alt, pngBase64: png });
  return blocks;
}
