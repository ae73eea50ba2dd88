import type { PersonRef } from './card';
import type { PeopleDirectory } from './people';

/**
 * Reviewer groups: a Slack user group, a Teams tag or a people-directory group named in a reviewer cell,
 * or a group a flow requires an approval from. A group is expanded to its members once, when the vote
 * opens; the expansion is stored with the review, so every later vote is judged against the same
 * membership, whatever happens to the group meanwhile.
 */

/** Where a group's members come from. */
export type GroupSource = 'slack' | 'teams' | 'directory';

/** A group to expand: written on the card, or required by the gate. */
export interface GroupTarget {
  /** Stable key of the group within a review: `slack:S0123`, `teams:ml-board`, `directory:ethics-board`. */
  key: string;
  source: GroupSource;
  /** Slack user group id. */
  id?: string;
  /** The name a people.yaml group of the same meaning carries ("ml-board"), lower case. */
  name?: string;
  /** How people read it in messages ("@ml-board", "ML Board", "ethics-board"). */
  label: string;
  /** The card row it came from (R&D / product reviewer), when written on the card. */
  role?: PersonRef['role'];
}

/** Why a group could not be expanded (the suffix of its message key in the engine catalog). */
export type GroupProblem = 'lookup-failed' | 'no-member-list' | 'unknown-group' | 'empty';

/** A group's members as fixed when the vote opened (stored with the review). */
export interface GroupExpansion {
  label: string;
  /** The name required approvals are matched against (lower case), when the group has one. */
  name?: string;
  /** Where the members were read: the platform, or people.yaml (also as the fallback). */
  source: GroupSource;
  /** Directory person ids of the members. */
  people: string[];
  /** Platform user ids of members the directory does not know. */
  users: string[];
  problem?: GroupProblem;
  /** The platform's own words for a failed look-up ("missing_scope"). */
  detail?: string;
  at: string;
}

/** Expansions of one review, by `GroupTarget.key`. */
export type GroupSnapshot = Record<string, GroupExpansion>;

/** "ML Board" -> "ml-board": a Teams tag name as a people.yaml group name. */
export function groupSlug(name: string): string {
  return name.trim().toLowerCase().replace(/^@/, '').replace(/\s+/g, '-');
}

/**
 * The group a card reference names, if any: a Slack user group, a Teams tag, or a handle or name that is
 * a people-directory group (people.yaml keeps group names apart from people's ids and handles).
 */
export function groupOfRef(ref: PersonRef, directory: PeopleDirectory): GroupTarget | undefined {
  const role = ref.role ? { role: ref.role } : {};
  if (ref.kind === 'group' && ref.group?.platform === 'slack') {
    const name = ref.group.name ? groupSlug(ref.group.name) : undefined;
    return {
      key: `slack:${ref.group.id}`,
      source: 'slack',
      id: ref.group.id,
      ...(name ? { name } : {}),
      label: name ? `@${name}` : ref.text,
      ...role,
    };
  }
  if (ref.kind === 'group' && ref.group?.name) {
    const name = groupSlug(ref.group.name);
    return { key: `teams:${name}`, source: 'teams', name, label: ref.group.name, ...role };
  }
  const written = ref.kind === 'handle' ? ref.handle : ref.kind === 'name' ? ref.text : undefined;
  if (!written || !directory.groups) return undefined;
  const name = groupSlug(written);
  if (!directory.groups[name]) return undefined;
  return directoryGroup(name, role.role);
}

/** A people-directory group by name (a flow's `approvalFrom`). */
export function directoryGroup(name: string, role?: PersonRef['role']): GroupTarget {
  const lower = groupSlug(name);
  return {
    key: `directory:${lower}`,
    source: 'directory',
    name: lower,
    label: lower,
    ...(role ? { role } : {}),
  };
}

/**
 * The members of a required group at this review: those of every expansion answering to its name (a
 * Slack user group `@ethics-board` on the card, or the people.yaml group), as directory ids and
 * platform user ids. Undefined when no expansion answers to it yet.
 */
export function requiredGroupMembers(
  name: string,
  snapshot: GroupSnapshot,
): { people: string[]; users: string[]; expanded: boolean } | undefined {
  const lower = groupSlug(name);
  const matching = Object.values(snapshot).filter((expansion) => expansion.name === lower);
  if (matching.length === 0) return undefined;
  const usable = matching.filter((expansion) => !expansion.problem);
  return {
    people: [...new Set(usable.flatMap((expansion) => expansion.people))],
    users: [...new Set(usable.flatMap((expansion) => expansion.users))],
    expanded: usable.length > 0,
  };
}

/**
 * Gates that need an approval from a group the people directory does not define (start-up warns: such a
 * gate cannot pass unless a card names a Slack user group or Teams tag of that name).
 */
export function missingRequiredGroups(
  flows: Array<{
    name: string;
    gates: Array<{ from: number; to: number; vote: { approvalFrom?: string[] } }>;
  }>,
  directory: PeopleDirectory,
): Array<{ flow: string; gate: string; group: string }> {
  return flows.flatMap((flow) =>
    flow.gates.flatMap((gate) =>
      (gate.vote.approvalFrom ?? [])
        .filter((group) => !directory.groups?.[groupSlug(group)])
        .map((group) => ({ flow: flow.name, gate: `${gate.from} -> ${gate.to}`, group })),
    ),
  );
}
