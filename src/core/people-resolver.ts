import type { PersonRef } from './card';
import type { PlatformName } from './events';
import type { PeopleDirectory, Person } from './people';
import { nameIsAmbiguous, personForRef, platformIdOf } from './person-match';
import type { PlatformPeople } from './ports';

/**
 * THE identity function: how a card reference becomes a platform user. Votes, reminders, the digest's
 * "waiting on" and Home all go through it, so they never disagree. In order: a raw platform id on the
 * card; the people directory (Slack id, Teams id, e-mail, handle, or a name that names exactly one
 * directory person); the platform's own verified e-mail look-up. Never a display name. Time zone and
 * language: directory, then platform profile, then defaults. Someone who cannot be resolved stays in the
 * list with `userId` undefined: they cannot vote, and messages name them with how to fix it.
 */
export interface ResolvedPerson {
  /** Stable key: directory id, else `platform:userId`, else `ref:<text>`. */
  key: string;
  ref: PersonRef;
  person?: Person;
  /** Platform user id on the review's platform, when known. */
  userId?: string;
  /** How to write them in text: a mention token when resolved, else the card's words. */
  display: string;
  name: string;
  tz: string;
  locale: string;
  workingHours?: { start: string; end: string };
  roles: string[];
  /** How they were found, or why not (`unresolved`: no directory entry or e-mail match; `ambiguous`). */
  via: 'platform-id' | 'directory' | 'email-lookup' | 'unresolved' | 'ambiguous';
}

export interface ResolverDeps {
  people: PeopleDirectory;
  platformPeople?: Partial<Record<PlatformName, PlatformPeople>>;
  defaultTz: string;
  defaultLocale: string;
}

export async function resolvePerson(
  ref: PersonRef,
  platform: PlatformName,
  deps: ResolverDeps,
): Promise<ResolvedPerson> {
  const person = personForRef(ref, deps.people);
  let userId = person ? platformIdOf(person, platform) : undefined;
  if (!userId && ref.platformId && platform !== 'playground') userId = ref.platformId;
  let profile: Awaited<ReturnType<PlatformPeople['lookupByEmail']>>;
  const lookup = deps.platformPeople?.[platform];
  const email = person?.email ?? ref.email;
  try {
    if (!userId && email && lookup) profile = await lookup.lookupByEmail(email);
    else if (userId && lookup && (!person?.tz || !person.locale)) profile = await lookup.profile(userId);
  } catch {
    // A failing platform look-up leaves the person unresolved; they are still listed by name.
    profile = undefined;
  }
  const via: ResolvedPerson['via'] = person
    ? userId || !profile?.userId
      ? 'directory'
      : 'email-lookup'
    : ref.platformId && userId
      ? 'platform-id'
      : profile?.userId
        ? 'email-lookup'
        : nameIsAmbiguous(ref, deps.people)
          ? 'ambiguous'
          : 'unresolved';
  userId = userId ?? profile?.userId;
  const name = person?.name ?? ref.name ?? profile?.name ?? ref.handle ?? ref.email ?? ref.text;
  return {
    key: person?.id ?? (userId ? `${platform}:${userId}` : `ref:${ref.text.toLowerCase()}`),
    ref,
    person,
    userId,
    display: userId ? `<@${userId}>` : name,
    name,
    tz: person?.tz ?? profile?.tz ?? deps.defaultTz,
    locale: person?.locale ?? profile?.locale ?? deps.defaultLocale,
    workingHours: person?.workingHours,
    roles: [...(person?.roles ?? []), ...(ref.role ? [ref.role] : [])],
    via: userId ? via : via === 'ambiguous' ? 'ambiguous' : 'unresolved',
  };
}

/** Resolves a list, keeping order and dropping duplicates of the same person. */
export async function resolvePeople(
  refs: PersonRef[],
  platform: PlatformName,
  deps: ResolverDeps,
): Promise<ResolvedPerson[]> {
  const resolved = await Promise.all(refs.map((ref) => resolvePerson(ref, platform, deps)));
  const seen = new Set<string>();
  return resolved.filter((person) => !seen.has(person.key) && seen.add(person.key));
}

/** Directory people with one of `roles` (flows' extra voter roles), as resolved people. */
export function peopleWithRoles(
  roles: string[],
  platform: PlatformName,
  deps: ResolverDeps,
): ResolvedPerson[] {
  if (roles.length === 0) return [];
  return deps.people.people
    .filter((person) => person.roles.some((role) => roles.includes(role)))
    .map((person) => {
      const userId = platformIdOf(person, platform);
      return {
        key: person.id,
        ref: { text: person.name, kind: 'name' as const, name: person.name },
        person,
        userId,
        display: userId ? `<@${userId}>` : person.name,
        name: person.name,
        tz: person.tz ?? deps.defaultTz,
        locale: person.locale ?? deps.defaultLocale,
        workingHours: person.workingHours,
        roles: person.roles,
        via: 'directory' as const,
      };
    });
}
