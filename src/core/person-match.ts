import type { PersonRef } from './card';
import type { Actor, PlatformName } from './events';
import type { Person, PeopleDirectory } from './people';

/**
 * Who is who: card people (names, @handles, e-mails, raw platform ids), directory people and the actor
 * of an event. Matching is case-insensitive; a playground actor's user id is the directory person id.
 */
const same = (a?: string, b?: string): boolean =>
  !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

/** The platform user id of a directory person on a platform (playground: the person id). */
export function platformIdOf(person: Person, platform: PlatformName): string | undefined {
  if (platform === 'slack') return person.slackId;
  if (platform === 'teams') return person.teamsId;
  return person.id;
}

/** The directory person a card reference names, if any. */
export function personForRef(ref: PersonRef, directory: PeopleDirectory): Person | undefined {
  return directory.people.find(
    (person) =>
      (ref.platformId && (ref.platformId === person.slackId || ref.platformId === person.teamsId)) ||
      same(ref.email, person.email) ||
      (ref.handle &&
        (same(ref.handle, person.id) || person.handles.some((handle) => same(handle, ref.handle)))) ||
      (ref.kind === 'name' && (same(ref.name ?? ref.text, person.name) || same(ref.text, person.id))) ||
      (ref.name !== undefined && same(ref.name, person.name)),
  );
}

/** The directory person behind an actor, if any. */
export function personForActor(actor: Actor, directory: PeopleDirectory): Person | undefined {
  return directory.people.find(
    (person) =>
      (actor.platform === 'playground' && actor.userId === person.id) ||
      (actor.platform === 'slack' && actor.userId === person.slackId) ||
      (actor.platform === 'teams' && actor.userId === person.teamsId) ||
      same(actor.email, person.email),
  );
}

/** Stable key of an actor: the directory id, else `platform:userId`. */
export function actorKey(actor: Actor, directory: PeopleDirectory): string {
  return personForActor(actor, directory)?.id ?? `${actor.platform}:${actor.userId}`;
}

/** Does this actor match this card reference (directly, or through the same directory person)? */
export function actorMatchesRef(actor: Actor, ref: PersonRef, directory: PeopleDirectory): boolean {
  if (ref.platformId && ref.platformId === actor.userId) return true;
  if (same(ref.email, actor.email)) return true;
  const person = personForActor(actor, directory);
  const refPerson = personForRef(ref, directory);
  if (person && refPerson) return person.id === refPerson.id;
  if (refPerson && platformIdOf(refPerson, actor.platform) === actor.userId) return true;
  return !person && !refPerson && ref.kind === 'name' && same(ref.name ?? ref.text, actor.name);
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
      same(entry, actor.email) ||
      (!!person &&
        (same(entry, person.id) ||
          same(entry, person.email) ||
          same(entry, person.slackId) ||
          same(entry, person.teamsId) ||
          person.handles.some((handle) => same(handle, entry.replace(/^@/, ''))) ||
          same(entry.replace(/^@/, ''), person.id))),
  );
}
