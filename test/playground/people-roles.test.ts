import type { Card, PersonRef } from '../../src/core/card';
import type { Person } from '../../src/core/people';
import { refersTo, rolesOf } from '../../src/platforms/playground/people-roles';

const ana: Person = {
  id: 'ana',
  name: 'Ana Lima',
  email: 'ana@example.org',
  handles: ['ana.lima'],
  roles: [],
};
const ref = (fields: Partial<PersonRef>): PersonRef => ({ text: 'x', kind: 'name', ...fields });

test.each([
  ['name', ref({ kind: 'name', text: 'Ana Lima', name: 'Ana Lima' })],
  ['name in other case', ref({ kind: 'name', text: 'ana lima' })],
  ['handle', ref({ kind: 'handle', text: '@ana.lima', handle: 'ana.lima' })],
  ['id as handle', ref({ kind: 'handle', text: '@ana', handle: 'ana' })],
  ['e-mail', ref({ kind: 'email', text: 'Ana <ANA@example.org>', email: 'ANA@example.org', name: 'Ana' })],
  ['playground id', ref({ kind: 'platform-id', text: '<@ana>', platformId: 'ana' })],
])('a card refers to Ana by %s', (_how, entry) => {
  expect(refersTo(entry, ana)).toBe(true);
});

test.each([
  ['another name', ref({ kind: 'name', text: 'Ana Lime' })],
  ['another handle', ref({ kind: 'handle', text: '@sam', handle: 'sam' })],
  ['another e-mail', ref({ kind: 'email', text: 'sam@example.org', email: 'sam@example.org' })],
])('%s is not Ana', (_how, entry) => {
  expect(refersTo(entry, ana)).toBe(false);
});

test('roles come from the cards and from ADMINS or the directory role', () => {
  const card = {
    projectId: 'R07.2',
    owners: [ref({ kind: 'name', text: 'Ana Lima' })],
    reviewers: [ref({ kind: 'handle', text: '@priya', handle: 'priya' })],
  } as Card;
  expect(rolesOf(ana, [card], [])).toEqual({ owns: ['R07.2'], reviews: [], admin: false });
  expect(rolesOf(ana, [card], ['@ana.lima']).admin).toBe(true);
  expect(rolesOf({ ...ana, roles: ['admin'] }, [], []).admin).toBe(true);
  expect(rolesOf({ ...ana, id: 'max', name: 'Max', handles: [], email: undefined }, [card], [])).toEqual({
    owns: [],
    reviews: [],
    admin: false,
  });
});
