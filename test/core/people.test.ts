import type { PersonRef } from '../../src/core/card';
import type { Actor } from '../../src/core/events';
import type { PeopleDirectory } from '../../src/core/people';
import { resolvePeople, resolvePerson } from '../../src/core/people-resolver';
import { actorKey, actorMatchesRef, isAdmin } from '../../src/core/person-match';
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
  it.each<[string, Actor, PersonRef, boolean]>([
    ['by directory name and slack id', slack('UANA'), ref('Ana Lima'), true],
    [
      'by handle',
      { platform: 'teams', userId: '29:sam' },
      { text: '@sam', kind: 'handle', handle: 'sam' },
      true,
    ],
    [
      'by e-mail on the actor',
      slack('UX', { email: 'Priya@example.org' }),
      { text: 'p', kind: 'email', email: 'priya@example.org' },
      true,
    ],
    [
      'by raw platform id',
      slack('U123ABC'),
      { text: '<@U123ABC>', kind: 'platform-id', platformId: 'U123ABC' },
      true,
    ],
    ['playground user id is the person id', { platform: 'playground', userId: 'ana' }, ref('Ana Lima'), true],
    ['someone else', slack('UOTHER'), ref('Ana Lima'), false],
    ['a different directory person', { platform: 'playground', userId: 'sam' }, ref('Ana Lima'), false],
  ])('%s', (_name, actor, cardRef, expected) => {
    expect(actorMatchesRef(actor, cardRef, directory)).toBe(expected);
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

  it('uses directory ids as user ids in the playground', async () => {
    expect((await resolvePerson(ref('Sam Okoro'), 'playground', deps)).userId).toBe('sam');
  });
});
