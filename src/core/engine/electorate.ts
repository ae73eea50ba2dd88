import type { Card, PersonRef } from '../card';
import type { Actor, PlatformName } from '../events';
import type { Gate } from '../flow';
import {
  directoryGroup,
  groupOfRef,
  groupSlug,
  requiredGroupMembers,
  type GroupProblem,
  type GroupSnapshot,
  type GroupTarget,
} from '../groups';
import { peopleWithRoles, resolvePeople, type ResolvedPerson, type ResolverDeps } from '../people-resolver';
import { actorKey } from '../person-match';
import type { PeopleDirectory } from '../people';

/**
 * Who votes at a gate: THE eligibility rule, in one place. The card's reviewers (people, and the members
 * of groups expanded when the vote opened), kept to the gate's voter roles; the flow's extra voter roles;
 * the members of groups the gate requires an approval from; never an owner of the card.
 */

/** The role a plain "Reviewer(s)" row gives (the split rows give `rnd` and `product`). */
export const PLAIN_REVIEWER_ROLE = 'reviewer';

/** A group the gate requires an approval from, with its members as voter keys. */
export interface RequiredGroup {
  name: string;
  /** Voter keys of its members (empty when it could not be expanded). */
  members: string[];
  /** Not expanded yet (before the vote), or why it could not be. */
  problem?: GroupProblem | 'not-expanded';
}

export interface Electorate {
  /** Card reviewers: people written on the card and members of its expanded groups. */
  reviewers: ResolvedPerson[];
  /** Everyone who may vote at this gate. */
  voters: ResolvedPerson[];
  /** Card reviewers the gate's voter roles leave out (they are told why when they click). */
  outsideRoles: ResolvedPerson[];
  /** Groups to expand when the vote opens: the card's and the gate's required ones. */
  groupTargets: GroupTarget[];
  required: RequiredGroup[];
}

export interface ElectorateInput {
  card: Card;
  gate?: Gate;
  /** May still be resolving: it is needed only at the end, so the reviewers resolve meanwhile. */
  owners: ResolvedPerson[] | Promise<ResolvedPerson[]>;
  platform: PlatformName;
  /** The review's stored expansions (none before the vote opens). */
  snapshot?: GroupSnapshot;
  resolver: ResolverDeps;
}

export async function electorateOf(input: ElectorateInput): Promise<Electorate> {
  const { card, gate, platform, resolver } = input;
  const snapshot = input.snapshot ?? {};
  const cardGroups: GroupTarget[] = [];
  const personRefs: PersonRef[] = [];
  for (const ref of card.reviewers) {
    const group = groupOfRef(ref, resolver.people);
    if (group) cardGroups.push(group);
    else personRefs.push(ref);
  }
  const written = (await resolvePeople(personRefs, platform, resolver)).map((person) =>
    withRole(person, person.ref.role ?? PLAIN_REVIEWER_ROLE),
  );
  const members = await Promise.all(
    cardGroups.map(async (group) => {
      const expansion = snapshot[group.key];
      if (!expansion || expansion.problem) return [];
      const people = await membersAsPeople(expansion, platform, resolver);
      return people.map((person) => withRole(person, group.role ?? PLAIN_REVIEWER_ROLE));
    }),
  );
  const reviewers = mergeByKey([...written, ...members.flat()]);

  const requiredNames = gate?.vote.approvalFrom ?? [];
  const covered = new Set(cardGroups.map((group) => group.name).filter(Boolean));
  const groupTargets = [
    ...cardGroups,
    ...requiredNames.filter((name) => !covered.has(groupSlug(name))).map((name) => directoryGroup(name)),
  ];
  const required: RequiredGroup[] = [];
  const requiredVoters: ResolvedPerson[] = [];
  for (const name of requiredNames) {
    const found = requiredGroupMembers(name, snapshot);
    if (!found) {
      required.push({ name, members: [], problem: 'not-expanded' });
      continue;
    }
    const people = found.expanded
      ? await membersAsPeople({ people: found.people, users: found.users }, platform, resolver)
      : [];
    requiredVoters.push(...people);
    const problem = Object.values(snapshot).find((e) => e.name === groupSlug(name) && e.problem)?.problem;
    required.push({
      name,
      members: people.map((person) => person.key),
      ...(!found.expanded && problem ? { problem } : {}),
    });
  }

  const ownerKeys = new Set((await input.owners).map((owner) => owner.key));
  const roles = gate?.vote.voterRoles;
  const inRoles = (person: ResolvedPerson) => !roles || person.roles.some((role) => roles.includes(role));
  const extra = gate ? peopleWithRoles(gate.vote.extraVoterRoles, platform, resolver) : [];
  const voters = mergeByKey([...reviewers.filter(inRoles), ...extra, ...requiredVoters]).filter(
    (person) => !ownerKeys.has(person.key),
  );
  const voterKeys = new Set(voters.map((voter) => voter.key));
  const outsideRoles = reviewers.filter((person) => !ownerKeys.has(person.key) && !voterKeys.has(person.key));
  return { reviewers, voters, outsideRoles, groupTargets, required };
}

/** Expanded members as resolved people: directory ids through the directory, others by platform id. */
async function membersAsPeople(
  members: { people: string[]; users: string[] },
  platform: PlatformName,
  resolver: ResolverDeps,
): Promise<ResolvedPerson[]> {
  const refs: PersonRef[] = [
    ...members.people.map((id) => ({ text: id, kind: 'handle' as const, handle: id })),
    ...members.users.map((userId) => ({
      text: `<@${userId}>`,
      kind: 'platform-id' as const,
      platformId: userId,
    })),
  ];
  return resolvePeople(refs, platform, resolver);
}

function withRole(person: ResolvedPerson, role: string): ResolvedPerson {
  return person.roles.includes(role) ? person : { ...person, roles: [...person.roles, role] };
}

/**
 * One entry per person; someone named twice (in a row and through a group, where a platform group gives
 * only their platform user id) is one voter with every role.
 */
function mergeByKey(people: ResolvedPerson[]): ResolvedPerson[] {
  const merged: ResolvedPerson[] = [];
  for (const person of people) {
    const at = merged.findIndex(
      (before) => before.key === person.key || (!!person.userId && before.userId === person.userId),
    );
    if (at < 0) merged.push(person);
    else merged[at] = { ...merged[at], roles: [...new Set([...merged[at].roles, ...person.roles])] };
  }
  return merged;
}

/**
 * Is the actor one of these resolved people? Only by identity: the same directory person, or the
 * platform user id the card person resolved to. Never by display name, so an unresolved "Li Wei" on a
 * card cannot be claimed by whoever names themselves Li Wei.
 */
export function findActorIn(
  actor: Actor,
  people: ResolvedPerson[],
  directory: PeopleDirectory,
): ResolvedPerson | undefined {
  const key = actorKey(actor, directory);
  const ids = [actor.userId, ...(actor.altIds ?? [])];
  return people.find(
    (p) =>
      (p.via !== 'unresolved' && p.via !== 'ambiguous' && p.key === key) ||
      (p.userId !== undefined && ids.includes(p.userId)),
  );
}

/** Whether the actor may vote at this gate, and if not, why (refusal keys of `checkVote`). */
export function eligibilityOf(
  actor: Actor,
  electorate: Pick<Electorate, 'voters' | 'outsideRoles'>,
  directory: PeopleDirectory,
): { voter: ResolvedPerson } | { refusal: 'not-eligible' | 'not-voter-role'; person?: ResolvedPerson } {
  const voter = findActorIn(actor, electorate.voters, directory);
  if (voter) return { voter };
  const outside = findActorIn(actor, electorate.outsideRoles, directory);
  return outside ? { refusal: 'not-voter-role', person: outside } : { refusal: 'not-eligible' };
}
