import type { Card, PersonRef } from '../../core/card';
import type { Person } from '../../core/people';

/** What a person is in the playground's picker: owner/reviewer of which projects, admin, or outsider. */
export interface PersonRoles {
  owns: string[];
  reviews: string[];
  admin: boolean;
}

function lower(value: string | undefined): string | undefined {
  return value?.trim().toLowerCase();
}

/** Whether a card's owner/reviewer cell entry means this person (id, handle, e-mail, name or platform id). */
export function refersTo(ref: PersonRef, person: Person): boolean {
  const ids = new Set([person.id, ...person.handles].map((value) => value.toLowerCase()));
  if (ref.handle && ids.has(ref.handle.toLowerCase())) return true;
  if (ref.platformId && (ref.platformId === person.id || ref.platformId === person.slackId)) return true;
  if (ref.email && lower(ref.email) === lower(person.email)) return true;
  const name = lower(ref.name ?? (ref.kind === 'name' ? ref.text : undefined));
  return name !== undefined && (name === lower(person.name) || ids.has(name));
}

/** `admins` are the ADMINS entries: ids, handles or e-mails. */
export function rolesOf(person: Person, cards: Card[], admins: string[]): PersonRoles {
  const adminKeys = new Set(admins.map((entry) => entry.replace(/^@/, '').toLowerCase()));
  const personKeys = [person.id, ...person.handles, person.email ?? ''].map((value) => value.toLowerCase());
  return {
    owns: cards
      .filter((card) => card.owners.some((ref) => refersTo(ref, person)))
      .map((card) => card.projectId),
    reviews: cards
      .filter((card) => card.reviewers.some((ref) => refersTo(ref, person)))
      .map((card) => card.projectId),
    admin: person.roles.includes('admin') || personKeys.some((key) => key !== '' && adminKeys.has(key)),
  };
}
