import type { PeopleDirectory, Person } from '../../core/people';
import type { PlatformPeople, PlatformProfile } from '../../core/ports';

/** In the playground a user id is a people-directory id, so profiles come straight from the directory. */
export function createPlaygroundPeople(directory: PeopleDirectory): PlatformPeople {
  const profileOf = (person: Person): PlatformProfile => ({
    userId: person.id,
    name: person.name,
    ...(person.email ? { email: person.email } : {}),
    ...(person.tz ? { tz: person.tz } : {}),
    ...(person.locale ? { locale: person.locale } : {}),
  });
  return {
    platform: 'playground',
    async lookupByEmail(email) {
      const wanted = email.trim().toLowerCase();
      const person = directory.people.find((candidate) => candidate.email?.toLowerCase() === wanted);
      return person ? profileOf(person) : undefined;
    },
    async profile(userId) {
      const person = directory.people.find((candidate) => candidate.id === userId);
      return person ? profileOf(person) : undefined;
    },
  };
}
