import type { PeopleDirectory, Person } from '../core/people';
import { BotError } from '../core/errors';
import { formatFlowProblem, formatPath, type FlowProblem } from '../flows/flow-error';
import { readSmallFile } from '../flows/load-flow-file';
import { readYaml } from '../flows/yaml-document';
import { peopleFileSchema } from './people-schema';

const MAX_PEOPLE_BYTES = 1024 * 1024;

/** people.yaml cannot be used; every problem is listed with file, path and line. */
export class PeopleFileError extends BotError {
  constructor(readonly problems: FlowProblem[]) {
    super('config', problems.map(formatFlowProblem).join('\n'));
  }
}

/** Reads and validates a people directory file (SPEC section 3). Throws PeopleFileError. */
export function loadPeople(path: string): PeopleDirectory {
  const read = readSmallFile(path, MAX_PEOPLE_BYTES);
  if (!read.ok) throw new PeopleFileError([read.problem]);
  return parsePeopleText(read.text, path);
}

export function parsePeopleText(text: string, file: string): PeopleDirectory {
  const yaml = readYaml(text, file);
  if (!yaml.ok) throw new PeopleFileError(yaml.problems);
  const parsed = peopleFileSchema.safeParse(yaml.data ?? { people: [] });
  if (!parsed.success) {
    throw new PeopleFileError(
      parsed.error.issues.map((issue) => ({
        file,
        path: formatPath(issue.path),
        line: yaml.lineOf(issue.path),
        problem: issue.message,
      })),
    );
  }
  const people: Person[] = parsed.data.people.map((person) => ({
    ...person,
    handles: person.handles.map((handle) => handle.replace(/^@/, '')),
  }));
  const grouped = groupsOf(parsed.data.groups, people, file);
  const problems = [...duplicates(people, file), ...grouped.problems];
  if (problems.length > 0) {
    throw new PeopleFileError(
      problems.map((problem) => ({
        ...problem,
        line: yaml.lineOf(problem.path.match(/[^.[\]]+/g)!.map(toKey)),
      })),
    );
  }
  return parsed.data.groups ? { people, groups: grouped.groups } : { people };
}

/**
 * Group members as person ids. A member may be written as a person's id, handle or e-mail; anyone else
 * is an error, and so is a group named like a person (a card's `@ana` must mean one thing).
 */
function groupsOf(
  written: Record<string, string[]> | undefined,
  people: Person[],
  file: string,
): { groups: Record<string, string[]>; problems: FlowProblem[] } {
  const groups: Record<string, string[]> = {};
  const problems: FlowProblem[] = [];
  const same = (a: string | undefined, b: string) => !!a && a.toLowerCase() === b.toLowerCase();
  for (const [name, members] of Object.entries(written ?? {})) {
    const clash = people.find(
      (person) => same(person.id, name) || person.handles.some((handle) => same(handle, name)),
    );
    if (clash) {
      problems.push({
        file,
        path: `groups.${name}`,
        problem: `the group "${name}" has the name of a person (${clash.id}); give the group another name`,
      });
    }
    const ids: string[] = [];
    members.forEach((member, index) => {
      const written = member.replace(/^@/, '');
      const person = people.find(
        (p) => same(p.id, written) || same(p.email, written) || p.handles.some((h) => same(h, written)),
      );
      if (!person) {
        problems.push({
          file,
          path: `groups.${name}[${index}]`,
          problem: `"${member}" is nobody in people: write a person's id, handle or e-mail`,
        });
      } else if (!ids.includes(person.id)) ids.push(person.id);
    });
    groups[name.toLowerCase()] = ids;
  }
  return { groups, problems };
}

/** Ids, e-mails, handles and platform ids must each point at one person only. */
function duplicates(people: Person[], file: string): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const seen = new Map<string, number>();
  const claim = (value: string | undefined, index: number, path: string, what: string) => {
    if (!value) return;
    const key = `${what}:${value.toLowerCase()}`;
    const other = seen.get(key);
    if (other !== undefined && other !== index) {
      problems.push({
        file,
        path: `people[${index}].${path}`,
        problem: `${what} "${value}" is also used by people[${other}] (${people[other].id})`,
      });
    } else seen.set(key, index);
  };
  people.forEach((person, index) => {
    claim(person.id, index, 'id', 'id');
    claim(person.email, index, 'email', 'e-mail');
    claim(person.slackId, index, 'slackId', 'Slack id');
    claim(person.teamsId, index, 'teamsId', 'Teams id');
    person.handles.forEach((handle, at) => claim(handle, index, `handles[${at}]`, 'handle'));
  });
  return problems;
}

function toKey(part: string): string | number {
  return /^\d+$/.test(part) ? Number(part) : part;
}
