import type { PlatformName } from '../events';
import { type GroupExpansion, type GroupSnapshot, type GroupTarget } from '../groups';
import type { PeopleDirectory } from '../people';
import type { EngineContext } from './engine-context';
import type { Review } from './store-ports';

/**
 * Expands reviewer groups to their members, once per group and review, and records each expansion:
 * stored with the review (later votes use the same membership) and audited. A group that cannot be
 * expanded is recorded with the reason, so the vote message can say it in one line; nothing throws.
 */
export async function expandGroups(
  ctx: EngineContext,
  review: Review,
  targets: GroupTarget[],
  platform: PlatformName,
): Promise<GroupSnapshot> {
  const snapshot: GroupSnapshot = {};
  for (const target of targets) {
    if (snapshot[target.key]) continue;
    const expansion = await expandOne(ctx, target, platform);
    snapshot[target.key] = expansion;
    await ctx.audit({
      actor: 'bot',
      type: expansion.problem ? 'group-not-expanded' : 'group-expanded',
      projectId: review.projectId,
      reviewId: review.id,
      data: {
        group: target.label,
        source: expansion.source,
        members: [...expansion.people, ...expansion.users].join(', '),
        ...(expansion.problem ? { problem: expansion.problem } : {}),
        ...(expansion.detail ? { detail: expansion.detail } : {}),
      },
    });
  }
  return snapshot;
}

async function expandOne(
  ctx: EngineContext,
  target: GroupTarget,
  platform: PlatformName,
): Promise<GroupExpansion> {
  const at = ctx.now().toISOString();
  const named = target.name ? { name: target.name } : {};
  const directory = ctx.deps.people;
  const fallback = target.name ? directory.groups?.[target.name] : undefined;
  const fromDirectory = (people: string[]): GroupExpansion =>
    withMembers({ label: target.label, ...named, source: 'directory', people, users: [], at });
  if (target.source === 'directory') {
    return fallback
      ? fromDirectory(fallback)
      : {
          label: target.label,
          ...named,
          source: 'directory',
          people: [],
          users: [],
          problem: 'unknown-group',
          at,
        };
  }
  // A platform group on its own platform: the platform's member list, when it offers one.
  const port = target.source === platform ? ctx.deps.platformPeople?.[platform] : undefined;
  if (port?.groupMembers) {
    try {
      const userIds = await port.groupMembers({ id: target.id, name: target.name });
      return withMembers({
        label: target.label,
        ...named,
        source: target.source,
        ...split(userIds, platform, directory),
        at,
      });
    } catch (error) {
      const detail = String((error as { code?: unknown }).code ?? (error as Error).message ?? 'error').slice(
        0,
        80,
      );
      // The people.yaml group of the same name stands in when the platform will not say.
      if (fallback) return fromDirectory(fallback);
      return {
        label: target.label,
        ...named,
        source: target.source,
        people: [],
        users: [],
        problem: 'lookup-failed',
        detail,
        at,
      };
    }
  }
  if (fallback) return fromDirectory(fallback);
  return {
    label: target.label,
    ...named,
    source: target.source,
    people: [],
    users: [],
    problem: 'no-member-list',
    at,
  };
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
