import type { PersonRef } from '../../src/core/card';
import type { Actor } from '../../src/core/events';
import type { PeopleDirectory } from '../../src/core/people';
import { resolvePeople, resolvePerson } from '../../src/core/people-resolver';
import { actorKey, isAdmin, personForActor, personForRef } from '../../src/core/person-match';
import type { PlatformPeople } from '../../src/core/ports';

const directory: PeopleDirectory = {
  people: [
    {
      id: 'ana',
      name: 'Ana Lima',
      email: 'ana@example.org',
      handles: ['ana.lima'],
      slackId: 'UANA',
      tz: 'Europe/Lisbon',
      roles: [],
    },
    { id: 'sam', name: 'Sam Okoro', handles: ['sam'], teamsId: '29:sam', roles: ['admin'] },
  ],
};
const ref = (text: string, extra: Partial<PersonRef> = {}): PersonRef => ({
  text,
  kind: 'name',
  name: text,
  ...extra,
});
const slack = (userId: string, extra: Partial<Actor> = {}): Actor => ({
  platform: 'slack',
  userId,
  ...extra,
});

describe('person matching', () => {
  it('finds directory people by platform id, e-mail, handle, id, or a name that names one person', () => {
    expect(personForRef(ref('Ana Lima'), directory)?.id).toBe('ana');
    expect(personForRef({ text: '@sam', kind: 'handle', handle: 'sam' }, directory)?.id).toBe('sam');
    expect(personForRef({ text: 'x', kind: 'email', email: 'ANA@example.org' }, directory)?.id).toBe('ana');
    expect(personForRef({ text: '<@UANA>', kind: 'platform-id', platformId: 'UANA' }, directory)?.id).toBe(
      'ana',
    );
    expect(personForRef(ref('sam'), directory)?.id).toBe('sam');
    expect(personForRef(ref('Lee Park'), directory)).toBeUndefined();
  });

  it('never resolves a name two directory people share, nor a name written beside a foreign e-mail', () => {
    const twins: PeopleDirectory = {
      people: [
        { id: 'li1', name: 'Li Wei', handles: [], slackId: 'ULI1', roles: [] },
        { id: 'li2', name: 'Li Wei', handles: [], slackId: 'ULI2', roles: [] },
      ],
    };
    expect(personForRef(ref('Li Wei'), twins)).toBeUndefined();
    const foreign: PersonRef = {
      text: 'Ana Lima <ana@elsewhere.org>',
      kind: 'email',
      email: 'ana@elsewhere.org',
      name: 'Ana Lima',
    };
    expect(personForRef(foreign, directory)).toBeUndefined();
  });

  it('knows actors by platform id or platform e-mail, never by display name', () => {
    expect(personForActor(slack('UANA'), directory)?.id).toBe('ana');
    expect(personForActor(slack('UX', { email: 'ana@example.org' }), directory)?.id).toBe('ana');
    expect(personForActor(slack('UX', { name: 'Ana Lima' }), directory)).toBeUndefined();
    expect(personForActor({ platform: 'teams', userId: '29:other', altIds: ['29:sam'] }, directory)?.id).toBe(
      'sam',
    );
  });

  it('keys actors by directory id, else platform and user id', () => {
    expect(actorKey(slack('UANA'), directory)).toBe('ana');
    expect(actorKey(slack('UX'), directory)).toBe('slack:UX');
  });

  it('knows admins by id, handle, e-mail or platform id', () => {
    expect(isAdmin(slack('UANA'), ['@ana.lima'], directory)).toBe(true);
    expect(isAdmin(slack('UANA'), ['ana@example.org'], directory)).toBe(true);
    expect(isAdmin(slack('UANA'), ['UANA'], directory)).toBe(true);
    expect(isAdmin(slack('UANA'), ['sam'], directory)).toBe(false);
  });

  it('knows admins by their directory role, with or without ADMINS', () => {
    expect(isAdmin({ platform: 'teams', userId: '29:sam' }, [], directory)).toBe(true);
    expect(isAdmin({ platform: 'playground', userId: 'sam' }, ['ana'], directory)).toBe(true);
    expect(isAdmin({ platform: 'playground', userId: 'ana' }, [], directory)).toBe(false);
  });
});

describe('people resolution', () => {
  const lookups: string[] = [];
  const platformPeople: PlatformPeople = {
    platform: 'slack',
    async lookupByEmail(email) {
      lookups.push(email);
      return email === 'priya@example.org'
        ? { userId: 'UPRIYA', tz: 'Asia/Kolkata', name: 'Priya Nair' }
        : undefined;
    },
    async profile() {
      return undefined;
    },
  };
  const deps = {
    people: directory,
    platformPeople: { slack: platformPeople },
    defaultTz: 'UTC',
    defaultLocale: 'en',
  };

  it('uses the directory first', async () => {
    const ana = await resolvePerson(ref('Ana Lima'), 'slack', deps);
    expect(ana).toMatchObject({ key: 'ana', userId: 'UANA', display: '<@UANA>', tz: 'Europe/Lisbon' });
  });

  it('falls back to the platform e-mail look-up, with the profile zone', async () => {
    const priya = await resolvePerson(
      {
        text: 'Priya Nair <priya@example.org>',
        kind: 'email',
        email: 'priya@example.org',
        name: 'Priya Nair',
      },
      'slack',
      deps,
    );
    expect(priya).toMatchObject({ key: 'slack:UPRIYA', userId: 'UPRIYA', tz: 'Asia/Kolkata' });
  });

  it('keeps unresolved people, by the words on the card', async () => {
    const people = await resolvePeople([ref('Lee Park'), ref('Ana Lima'), ref('ana lima')], 'slack', deps);
    expect(people.map((p) => [p.key, p.userId, p.display])).toEqual([
      ['ref:lee park', undefined, 'Lee Park'],
      ['ana', 'UANA', '<@UANA>'],
    ]);
  });

  it('leaves a name outside the directory unresolved, with no platform look-up by name', async () => {
    const li = await resolvePerson(ref('Li Wei'), 'slack', deps);
    expect(li).toMatchObject({ key: 'ref:li wei', userId: undefined, via: 'unresolved', display: 'Li Wei' });
  });

  it('says how each person was found', async () => {
    expect((await resolvePerson(ref('Ana Lima'), 'slack', deps)).via).toBe('directory');
    expect(
      (
        await resolvePerson(
          { text: 'priya@example.org', kind: 'email', email: 'priya@example.org' },
          'slack',
          deps,
        )
      ).via,
    ).toBe('email-lookup');
    expect(
      (await resolvePerson({ text: '<@U9>', kind: 'platform-id', platformId: 'U9' }, 'slack', deps)).via,
    ).toBe('platform-id');
  });

  it('uses directory ids as user ids in the playground', async () => {
    expect((await resolvePerson(ref('Sam Okoro'), 'playground', deps)).userId).toBe('sam');
  });
});
