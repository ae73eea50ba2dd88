import { join } from 'node:path';
import { loadDefaultFlow } from '../../src/flows';
import { missingRequiredGroups } from '../../src/core/groups';
import { loadPeople, parsePeopleText, PeopleFileError } from '../../src/people';

const root = join(__dirname, '..', '..');

function problemsOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof PeopleFileError) return error.problems;
    throw error;
  }
  throw new Error('expected a PeopleFileError');
}

describe('loadPeople', () => {
  test('the example people.yaml has the people the other examples rely on', () => {
    const { people } = loadPeople(join(root, 'people.yaml'));
    expect(people.map((p) => p.id)).toEqual(['ana', 'sam', 'priya', 'li', 'lee', 'yarin', 'max']);
    const byId = Object.fromEntries(people.map((p) => [p.id, p]));
    expect(byId.sam).toMatchObject({ name: 'Sam Okafor', handles: ['sam'], tz: 'Europe/London' });
    expect(byId.priya).toMatchObject({ email: 'priya@example.org', tz: 'Asia/Kolkata', country: 'IN' });
    expect(byId.li).toMatchObject({ tz: 'America/New_York', country: 'US', state: 'NY' });
    expect(byId.lee.roles).toEqual(['admin', 'lead']);
    expect(byId.yarin.roles).toEqual(['product']);
    expect(byId.max.roles).toEqual([]);
    expect(people.every((p) => p.email?.endsWith('@example.org') && !p.slackId && !p.teamsId)).toBe(true);
    expect(people.every((p) => p.workingHours?.start === '09:00' && p.workingHours.end === '17:00')).toBe(
      true,
    );
  });

  test('every problem names file, path and line', () => {
    const file = join(root, 'test', 'fixtures', 'people', 'bad.yaml');
    const problems = problemsOf(() => loadPeople(file));
    expect(problems.map((p) => [p.path, p.line])).toEqual(
      expect.arrayContaining([
        ['people[0].email', 4],
        ['people[0].tz', 5],
        ['people[1].workingHours', 8],
        ['people[1]', 6],
      ]),
    );
    expect(problems.every((p) => p.file === file)).toBe(true);
    expect(problems.find((p) => p.path === 'people[0].tz')!.problem).toContain('IANA');
  });

  test('empty, malformed and wrongly shaped files', () => {
    const fixtures = join(root, 'test', 'fixtures', 'people');
    expect(loadPeople(join(fixtures, 'empty.yaml'))).toEqual({ people: [] });
    expect(problemsOf(() => loadPeople(join(fixtures, 'malformed.yaml')))[0].problem).toMatch(/^YAML syntax/);
    expect(problemsOf(() => loadPeople(join(fixtures, 'wrong-shape.yaml')))[0]).toMatchObject({
      path: 'people',
      line: 1,
    });
  });

  test('a country, state and region for public holidays: known ones pass, others are named with their line', () => {
    const good = parsePeopleText(
      'people:\n  - { id: a, name: A, country: de, state: by, region: A }\n  - { id: b, name: B, country: US }\n',
      'people.yaml',
    );
    expect(good.people[0]).toMatchObject({ country: 'DE', state: 'BY', region: 'A' });
    const text = [
      'people:',
      '  - id: a',
      '    name: A',
      '    country: XX',
      '  - id: b',
      '    name: B',
      '    country: DE',
      '    state: ZZ',
      '  - id: c',
      '    name: C',
      '    state: BY',
    ].join('\n');
    const problems = problemsOf(() => parsePeopleText(text, 'people.yaml'));
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ['people[0].country', 4],
      ['people[1].state', 8],
      ['people[2].state', 11],
    ]);
    expect(problems[0].problem).toContain('unknown country "XX"');
    expect(problems[1].problem).toMatch(/unknown state "ZZ" in DE \(known: BB, BE, /);
    expect(problems[2].problem).toBe('a state or region needs a country');
  });

  test('duplicate ids, e-mails and handles are refused', () => {
    const text = [
      'people:',
      '  - { id: a, name: A, email: x@example.org, handles: ["@x"] }',
      '  - { id: b, name: B, email: X@example.org, handles: [x] }',
      '  - { id: a, name: C }',
    ].join('\n');
    const problems = problemsOf(() => parsePeopleText(text, 'p.yaml'));
    expect(problems.map((p) => p.path).sort()).toEqual([
      'people[1].email',
      'people[1].handles[0]',
      'people[2].id',
    ]);
    expect(problems[0].line).toBeGreaterThan(1);
  });

  test('groups: members written as id, handle or e-mail become person ids', () => {
    const text = [
      'people:',
      '  - { id: ana, name: Ana, email: ana@example.org }',
      '  - { id: li, name: Li, handles: [li.wei] }',
      'groups:',
      '  Ethics-Board: [ana@example.org, "@li.wei", ana]',
    ].join('\n');
    expect(parsePeopleText(text, 'p.yaml').groups).toEqual({ 'ethics-board': ['ana', 'li'] });
    expect(loadPeople(join(root, 'people.yaml')).groups).toEqual({ 'ethics-board': ['priya', 'lee'] });
  });

  test('groups: an unknown member, a group named like a person, an empty group are named with their line', () => {
    const text = [
      'people:',
      '  - { id: ana, name: Ana, handles: [board] }',
      'groups:',
      '  ethics-board: [ana, bob]',
      '  board: [ana]',
    ].join('\n');
    const problems = problemsOf(() => parsePeopleText(text, 'p.yaml'));
    expect(problems.map((p) => [p.path, p.line])).toEqual(
      expect.arrayContaining([
        ['groups.ethics-board[1]', 4],
        ['groups.board', 5],
      ]),
    );
    const empty = problemsOf(() => parsePeopleText('people: []\ngroups:\n  empty: []', 'p.yaml'));
    expect(empty).toMatchObject([
      { path: 'groups.empty', line: 3, problem: 'a group needs at least one member' },
    ]);
    expect(problems.find((p) => p.path === 'groups.ethics-board[1]')!.problem).toBe(
      '"bob" is nobody in people: write a person\'s id, handle or e-mail',
    );
    expect(problems.find((p) => p.path === 'groups.board')!.problem).toContain(
      'has the name of a person (ana)',
    );
  });

  test('handles lose their "@"; an empty file is an empty directory; syntax errors have a line', () => {
    expect(
      parsePeopleText('people:\n  - { id: a, name: A, handles: ["@ann"] }', 'p.yaml').people[0].handles,
    ).toEqual(['ann']);
    expect(parsePeopleText('', 'p.yaml')).toEqual({ people: [] });
    expect(problemsOf(() => parsePeopleText('people: [\n', 'p.yaml'))[0].line).toBeGreaterThanOrEqual(1);
    expect(problemsOf(() => loadPeople(join(root, 'nope.yaml')))[0].problem).toContain('no such file');
  });

  test('away days: two real dates, from not after until; anything else names the path', () => {
    const away = (value: string) => `people:\n  - { id: a, name: A, away: ${value} }`;
    expect(
      parsePeopleText(away('{ from: 2027-01-04, until: "2027-01-15" }'), 'p.yaml').people[0].away,
    ).toEqual({
      from: '2027-01-04',
      until: '2027-01-15',
    });
    for (const bad of [
      '{ from: "2027-01-15", until: "2027-01-04" }',
      '{ from: "2027-02-30", until: "2027-03-01" }',
      '{ from: "next week", until: "2027-03-01" }',
      '{ from: "2027-01-04" }',
      '{ from: "2027-01-04", until: "2027-01-05", reason: holiday }',
    ]) {
      expect(problemsOf(() => parsePeopleText(away(bad), 'p.yaml'))[0].path).toMatch(/^people\[0\]\.away/);
    }
  });
});

describe('missingRequiredGroups', () => {
  test('names the gates whose required group people.yaml does not define', () => {
    const flow = loadDefaultFlow();
    expect(missingRequiredGroups([flow], loadPeople(join(root, 'people.yaml')))).toEqual([]);
    expect(missingRequiredGroups([flow], { people: [] })).toEqual([
      { flow: 'mltrl', gate: '8 -> 9', group: 'ethics-board' },
    ]);
  });
});
