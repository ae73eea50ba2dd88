import type { PlatformName } from '../events';
import type { GroupExpansion, GroupProblem, GroupSnapshot, GroupTarget } from '../groups';
import type { PeopleDirectory } from '../people';
import type { EngineContext } from './engine-context';
import type { Review } from './store-ports';

/**
 * Expands reviewer groups to their members, once per group in this call. Nothing is recorded here: the
 * caller stores the snapshot with the review (later votes use the same membership) and, only once that
 * save won, audits it with `auditExpansions`, so a losing concurrent opener leaves no entry. A group that
 * cannot be expanded carries the reason, so the vote message can say it in one line; nothing throws.
 */
export async function expandGroups(
  ctx: EngineContext,
  targets: GroupTarget[],
  platform: PlatformName,
): Promise<GroupSnapshot> {
  const snapshot: GroupSnapshot = {};
  for (const target of targets) {
    if (snapshot[target.key]) continue;
    snapshot[target.key] = await expandOne(ctx, target, platform);
  }
  return snapshot;
}

/** One audit entry per expanded (or unexpandable) group, after the review that stores them was saved. */
export async function auditExpansions(
  ctx: EngineContext,
  review: Review,
  snapshot: GroupSnapshot,
): Promise<void> {
  for (const expansion of Object.values(snapshot)) {
    await ctx.audit({
      actor: 'bot',
      type: expansion.problem ? 'group-not-expanded' : 'group-expanded',
      projectId: review.projectId,
      reviewId: review.id,
      data: {
        group: expansion.label,
        source: expansion.source,
        members: [...expansion.people, ...expansion.users].join(', '),
        ...(expansion.problem ? { problem: expansion.problem } : {}),
        ...(expansion.detail ? { detail: expansion.detail } : {}),
      },
    });
  }
}

async function expandOne(
  ctx: EngineContext,
  target: GroupTarget,
  platform: PlatformName,
): Promise<GroupExpansion> {
  const base = {
    label: target.label,
    ...(target.name ? { name: target.name } : {}),
    at: ctx.now().toISOString(),
  };
  const directory = ctx.deps.people;
  const sameName = target.name ? directory.groups?.[target.name] : undefined;
  const fromDirectory = (people: string[]): GroupExpansion =>
    withMembers({ ...base, source: 'directory', people, users: [] });
  const failed = (problem: GroupProblem, detail?: string): GroupExpansion => ({
    ...base,
    source: target.source,
    people: [],
    users: [],
    problem,
    ...(detail ? { detail } : {}),
  });
  if (target.source === 'directory') return sameName ? fromDirectory(sameName) : failed('unknown-group');
  // A platform group on its own platform: the platform's member list, when it offers one; else (or when
  // the platform refuses) the people.yaml group of the same name stands in.
  const port = target.source === platform ? ctx.deps.platformPeople?.[platform] : undefined;
  if (port?.groupMembers) {
    try {
      const userIds = await port.groupMembers({ id: target.id, name: target.name });
      return withMembers({ ...base, source: target.source, ...split(userIds, platform, directory) });
    } catch (error) {
      if (sameName) return fromDirectory(sameName);
      const code = (error as { code?: unknown }).code ?? (error as Error).message;
      return failed('lookup-failed', String(code ?? 'error').slice(0, 80));
    }
  }
  return sameName ? fromDirectory(sameName) : failed('no-member-list');
}

function withMembers(expansion: GroupExpansion): GroupExpansion {
  return expansion.people.length + expansion.users.length > 0
    ? expansion
    : { ...expansion, problem: 'empty' };
}

/** Platform user ids -> directory people where the directory knows them, platform users otherwise. */
function split(
  userIds: string[],
  platform: PlatformName,
  directory: PeopleDirectory,
): { people: string[]; users: string[] } {
  const people: string[] = [];
  const users: string[] = [];
  for (const userId of new Set(userIds)) {
    const person = directory.people.find(
      (p) => (platform === 'slack' ? p.slackId : platform === 'teams' ? p.teamsId : p.id) === userId,
    );
    if (person) people.push(person.id);
    else users.push(userId);
  }
  return { people, users };
}

/** The group targets of an expansion that a later card names but the snapshot lacks. */
export function missingTargets(targets: GroupTarget[], snapshot: GroupSnapshot | undefined): GroupTarget[] {
  return targets.filter((target) => !snapshot?.[target.key]);
}
