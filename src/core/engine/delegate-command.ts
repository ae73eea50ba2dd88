import type { Command } from '../commands';
import {
  delegationProblem,
  endOfDay,
  isActive,
  lastMinute,
  scopeOf,
  ALL_PROJECTS,
  MAX_DELEGATION_DAYS,
  type Delegation,
} from '../delegation';
import type { Actor, CommandEvent, EngineReply } from '../events';
import type { Person } from '../people';
import { personForActor, personForRef, platformIdOf } from '../person-match';
import { formatWhen, renderLine, tr, type RenderEnv } from '../render';
import { safeId, type EngineContext } from './engine-context';
import { NO_PROJECT } from './flow-command';
import { noProject } from './review-start';
import type { PersonKeyRef } from './store-ports';
import { loadProject } from './project-context';

type DelegateCommand = Extract<Command, { name: 'delegate' }>;

/**
 * `delegate <who> until <day> [project]`, `delegate off [project]` and `delegate` (show). Anyone may
 * delegate their own reminders and vote; every refusal is one line, changes nothing and is audited.
 */
export async function delegateCommand(
  ctx: EngineContext,
  event: CommandEvent,
  cmd: DelegateCommand,
): Promise<EngineReply> {
  if (cmd.action === 'show') return showDelegations(ctx, event.actor);
  if (cmd.action === 'off') return endDelegations(ctx, event.actor, cmd.project);
  return setDelegation(ctx, event.actor, cmd);
}

async function setDelegation(
  ctx: EngineContext,
  actor: Actor,
  cmd: Extract<DelegateCommand, { action: 'set' }>,
): Promise<EngineReply> {
  const from = ctx.actorRef(actor);
  const refused = async (reason: string, params: Record<string, unknown> = {}, projectId?: string) => {
    await ctx.audit({
      actor: from.key,
      type: 'refused',
      projectId: projectId ?? NO_PROJECT,
      data: { command: 'delegate', reason, to: cmd.to.slice(0, 100), day: cmd.untilDay },
    });
    return ctx.refuse(actor, reason, params);
  };
  let projectId: string | undefined;
  if (cmd.project) {
    const lookup = await loadProject(ctx, cmd.project, actor.platform);
    if (!lookup.found) {
      await refused('no-project', {}, cmd.project);
      return noProject(ctx, actor, cmd.project, lookup.suggestion);
    }
    projectId = lookup.context.card.projectId;
  }
  const to = await delegateNamed(ctx, actor, cmd.to);
  if (!to) return refused('delegate-unknown', { who: cmd.to.slice(0, 100) }, projectId);
  const env = ctx.actorEnv(actor);
  const delegation: Delegation = {
    from: from.key,
    // The directory's name, not the editable display name, where the directory knows them.
    fromName: personForActor(actor, ctx.deps.people)?.name ?? from.name ?? actor.userId,
    to,
    ...(projectId ? { projectId } : {}),
    untilDay: cmd.untilDay,
    until: endOfDay(cmd.untilDay, env.tz).toISOString(),
    at: ctx.now().toISOString(),
  };
  const all = await ctx.deps.stores.delegations.all();
  const problem = delegationProblem(all, delegation, ctx.now());
  if (problem) {
    const holder = all.find((d) => d.to.key === from.key && isActive(d, ctx.now()));
    return refused(
      problem,
      { who: to.name, from: holder?.fromName ?? '', day: cmd.untilDay, max: MAX_DELEGATION_DAYS },
      projectId,
    );
  }
  await ctx.deps.stores.delegations.set(delegation);
  const until = lastMinute(delegation);
  await ctx.audit({
    actor: from.key,
    type: 'delegated',
    projectId: projectId ?? NO_PROJECT,
    data: { who: delegation.fromName, to: to.name ?? to.key, until, day: cmd.untilDay },
  });
  await tellDelegate(ctx, delegation);
  return ctx.reply(actor, 'notice', 'delegation.set', {
    to: mention(to),
    until: formatWhen(until, env),
    scope: scopeText(delegation, env),
  });
}

async function endDelegations(ctx: EngineContext, actor: Actor, project?: string): Promise<EngineReply> {
  const from = ctx.actorRef(actor);
  const all = await ctx.deps.stores.delegations.all();
  // `off R07.2` names the project as the delegation was set (its card's spelling).
  const scope = project
    ? (all.find((d) => d.from === from.key && d.projectId?.toLowerCase() === project.toLowerCase())
        ?.projectId ?? project)
    : undefined;
  const removed = await ctx.deps.stores.delegations.remove(from.key, scope);
  if (removed.length === 0) return ctx.reply(actor, 'notice', 'delegation.offNone');
  const env = ctx.actorEnv(actor);
  for (const delegation of removed) {
    await ctx.audit({
      actor: from.key,
      type: 'delegation-ended',
      projectId: delegation.projectId ?? NO_PROJECT,
      data: { who: delegation.fromName, to: delegation.to.name ?? delegation.to.key },
    });
  }
  const lines = removed.map((d) =>
    tr(env, 'delegation.off', { to: mention(d.to), scope: scopeText(d, env) }),
  );
  return { ephemeral: [renderLine('notice', lines.join('\n'), env.locale)] };
}

async function showDelegations(ctx: EngineContext, actor: Actor): Promise<EngineReply> {
  const me = ctx.actorRef(actor).key;
  const now = ctx.now();
  const env = ctx.actorEnv(actor);
  const active = (await ctx.deps.stores.delegations.all()).filter((d) => isActive(d, now));
  const lines = [
    ...active
      .filter((d) => d.from === me)
      .map((d) =>
        tr(env, 'delegation.mine', {
          to: mention(d.to),
          scope: scopeText(d, env),
          until: formatWhen(lastMinute(d), env),
        }),
      ),
    ...active
      .filter((d) => d.to.key === me)
      .map((d) =>
        tr(env, 'delegation.theirs', {
          from: d.fromName,
          scope: scopeText(d, env),
          until: formatWhen(lastMinute(d), env),
        }),
      ),
  ];
  if (lines.length === 0) return ctx.reply(actor, 'notice', 'delegation.none');
  return { ephemeral: [renderLine('notice', lines.join('\n'), env.locale)] };
}

/**
 * The person a `delegate` command names: a platform mention (`<@U123>`), else a people-directory
 * @handle, id or e-mail. Never a display name. A platform user outside the directory counts only when
 * the platform knows them.
 */
async function delegateNamed(
  ctx: EngineContext,
  actor: Actor,
  word: string,
): Promise<PersonKeyRef | undefined> {
  const directory = ctx.deps.people;
  const mentioned = word.match(/^<@([A-Za-z0-9:_.-]+)(?:\|[^>]*)?>$/)?.[1];
  if (mentioned) {
    const person = personForActor({ platform: actor.platform, userId: mentioned }, directory);
    if (person) return refOf(person, actor);
    if (actor.platform === 'playground') return undefined;
    const profile = await ctx.deps.platformPeople?.[actor.platform]
      ?.profile(mentioned)
      .catch(() => undefined);
    if (!profile) return undefined;
    // A directory person whose platform id is not in people.yaml is still known by the e-mail the
    // platform's profile gives, as a click of theirs is: the delegation must carry the same key.
    const known = personForActor(
      { platform: actor.platform, userId: mentioned, ...(profile.email ? { email: profile.email } : {}) },
      directory,
    );
    // The platform id the mention carried: the delegate's buttons are shown to that id.
    if (known) return { ...refOf(known, actor), userId: mentioned };
    return {
      key: `${actor.platform}:${mentioned}`,
      platform: actor.platform,
      userId: mentioned,
      ...(profile.name ? { name: profile.name } : {}),
    };
  }
  const email =
    word.match(/^<mailto:([^|>]+)(?:\|[^>]*)?>$/)?.[1] ?? (/^[^@\s]+@[^@\s]+$/.test(word) ? word : undefined);
  const handle = word.replace(/^@/, '');
  const person = email
    ? personForRef({ text: email, kind: 'email', email }, directory)
    : personForRef({ text: handle, kind: 'handle', handle }, directory);
  return person ? refOf(person, actor) : undefined;
}

function refOf(person: Person, actor: Actor): PersonKeyRef {
  return {
    key: person.id,
    platform: actor.platform,
    userId: platformIdOf(person, actor.platform) ?? person.id,
    name: person.name,
  };
}

/** The delegate hears of it privately, on the platform the delegation was made on. */
async function tellDelegate(ctx: EngineContext, delegation: Delegation): Promise<void> {
  const { to } = delegation;
  if (to.platform !== 'playground' && to.userId === to.key) return;
  const env = await ctx.platformUserEnv({ platform: to.platform, userId: to.userId });
  const text = tr(env, 'delegation.told', {
    from: delegation.fromName,
    scope: scopeText(delegation, env),
    until: formatWhen(lastMinute(delegation), env),
  });
  await ctx.deps.delivery.send([
    {
      op: 'dm',
      key: `delegation-${safeId(delegation.from)}-${safeId(scopeOf(delegation))}-${safeId(delegation.at)}`,
      platform: to.platform,
      userId: to.userId,
      message: renderLine('notice', text, env.locale),
    },
  ]);
}

export function scopeText(delegation: Pick<Delegation, 'projectId'>, env: RenderEnv): string {
  return scopeOf(delegation) === ALL_PROJECTS
    ? tr(env, 'delegation.scopeAll')
    : tr(env, 'delegation.scopeProject', { id: delegation.projectId });
}

/** A mention where the platform can show one; the name for the playground or someone without an id there. */
const mention = (ref: PersonKeyRef): string =>
  ref.platform === 'playground' || ref.userId === ref.key ? (ref.name ?? ref.key) : `<@${ref.userId}>`;
