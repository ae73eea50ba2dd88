import type { PersonRef } from './card';
import type { Actor, PlatformName } from './events';
import type { Person, PeopleDirectory } from './people';

/**
 * Who is who: card people (names, @handles, e-mails, raw platform ids), directory people and the actor
 * of an event. Matching is case-insensitive. Nothing here ever trusts a display name: an actor is known
 * by their platform user id (or their platform-verified e-mail through the directory), and a card name
 * counts only when it names exactly one directory person.
 */
const same = (a?: string, b?: string): boolean =>
  !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

/** The platform user id of a directory person on a platform (playground: the person id). */
export function platformIdOf(person: Person, platform: PlatformName): string | undefined {
  if (platform === 'slack') return person.slackId;
  if (platform === 'teams') return person.teamsId;
  return person.id;
}

/**
 * The directory person a card reference names, if any: by platform id, e-mail, handle or directory id;
 * a plain name only when exactly one directory person carries it (two "Li Wei" name nobody).
 */
export function personForRef(ref: PersonRef, directory: PeopleDirectory): Person | undefined {
  const strong = directory.people.find(
    (person) =>
      (ref.platformId && (ref.platformId === person.slackId || ref.platformId === person.teamsId)) ||
      same(ref.email, person.email) ||
      (ref.handle &&
        (same(ref.handle, person.id) || person.handles.some((handle) => same(handle, ref.handle)))) ||
      (ref.kind === 'name' && same(ref.text, person.id)),
  );
  if (strong || ref.kind !== 'name') return strong;
  const named = directory.people.filter((person) => same(ref.name ?? ref.text, person.name));
  return named.length === 1 ? named[0] : undefined;
}

/** Why a card reference could not be tied to one directory person by name. */
export function nameIsAmbiguous(ref: PersonRef, directory: PeopleDirectory): boolean {
  if (ref.kind !== 'name') return false;
  return directory.people.filter((person) => same(ref.name ?? ref.text, person.name)).length > 1;
}

/**
 * The directory person behind an actor, if any: by the platform user id (or another id the platform
 * vouches for, such as a Teams AAD object id), or by the e-mail the platform reports for them.
 */
export function personForActor(actor: Actor, directory: PeopleDirectory): Person | undefined {
  const ids = [actor.userId, ...(actor.altIds ?? [])];
  return directory.people.find(
    (person) =>
      (actor.platform === 'playground' && actor.userId === person.id) ||
      (actor.platform === 'slack' && !!person.slackId && ids.includes(person.slackId)) ||
      (actor.platform === 'teams' && !!person.teamsId && ids.includes(person.teamsId)) ||
      (actor.platform !== 'playground' && same(actor.email, person.email)),
  );
}

/** Stable key of an actor: the directory id, else `platform:userId`. */
export function actorKey(actor: Actor, directory: PeopleDirectory): string {
  return personForActor(actor, directory)?.id ?? `${actor.platform}:${actor.userId}`;
}

/**
 * Admins are the people-directory members with the role `admin`, plus the ADMINS entries (directory ids,
 * handles, e-mails or platform ids), so a bot without a people file can still name its admins.
 */
export function isAdmin(actor: Actor, admins: string[], directory: PeopleDirectory): boolean {
  const person = personForActor(actor, directory);
  if (person?.roles.includes('admin')) return true;
  return admins.some(
    (entry) =>
      same(entry, actor.userId) ||
      (actor.platform !== 'playground' && same(entry, actor.email)) ||
      (!!person &&
        (same(entry, person.id) ||
          same(entry, person.email) ||
          same(entry, person.slackId) ||
          same(entry, person.teamsId) ||
          person.handles.some((handle) => same(handle, entry.replace(/^@/, ''))) ||
          same(entry.replace(/^@/, ''), person.id))),
  );
}
