import { TZDate } from '@date-fns/tz';
import type { PersonKeyRef } from './engine/store-ports';
import type { Person } from './people';

/**
 * Delegation and absence, as pure rules over plain records. A delegation hands one person's reminders
 * and vote to another until a day ends (in the delegator's zone), for every project or for one. It is
 * never transitive: a delegate acts only for the people who named them, and nobody who holds a
 * delegation may hand it on (that would be a chain, A -> B -> C, or a loop, A -> B -> A).
 */
export interface Delegation {
  /** Person key of the delegator: directory id, else `platform:userId` (as votes record voters). */
  from: string;
  fromName: string;
  to: PersonKeyRef;
  /** One project, or undefined for every project. */
  projectId?: string;
  /** The last day, as given (yyyy-mm-dd). */
  untilDay: string;
  /** Instant it ends (ISO): midnight after `untilDay` in the delegator's zone. */
  until: string;
  /** When it was set (ISO). */
  at: string;
}

/** Scope word of a delegation in the store: the project id, or '*' for every project. */
export const ALL_PROJECTS = '*';

export const scopeOf = (delegation: Pick<Delegation, 'projectId'>): string =>
  delegation.projectId ?? ALL_PROJECTS;

/** Delegations last at most this long: an absence, not a permanent transfer of a vote. */
export const MAX_DELEGATION_DAYS = 366;

const DAY_MS = 86_400_000;

/** The instant a day (yyyy-mm-dd) ends in a zone: midnight at the start of the next local day. */
export function endOfDay(day: string, tz: string): Date {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(new TZDate(year, month - 1, date + 1, 0, 0, 0, tz).getTime());
}

/** The instant a day (yyyy-mm-dd) begins in a zone. */
export function startOfDay(day: string, tz: string): Date {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(new TZDate(year, month - 1, date, 0, 0, 0, tz).getTime());
}

/** The last minute a delegation is in force (23:59 of its last day): what people read as "until". */
export function lastMinute(delegation: Pick<Delegation, 'until'>): string {
  return new Date(Date.parse(delegation.until) - 60_000).toISOString();
}

export function isActive(delegation: Delegation, now: Date): boolean {
  return Date.parse(delegation.until) > now.getTime();
}

const covers = (delegation: Delegation, projectId: string): boolean =>
  delegation.projectId === undefined || delegation.projectId.toLowerCase() === projectId.toLowerCase();

/**
 * The delegation in force for one person on one project: a project's own delegation wins over one for
 * every project.
 */
export function delegationOf(
  all: Delegation[],
  from: string,
  projectId: string,
  now: Date,
): Delegation | undefined {
  const mine = all.filter((d) => d.from === from && isActive(d, now) && covers(d, projectId));
  return mine.find((d) => d.projectId !== undefined) ?? mine[0];
}

/** The people `delegateKey` stands in for on a project right now (their delegation in force names them). */
export function delegatorsOf(
  all: Delegation[],
  delegateKey: string,
  projectId: string,
  now: Date,
): Delegation[] {
  const froms = new Set(all.filter((d) => d.to.key === delegateKey).map((d) => d.from));
  return [...froms]
    .map((from) => delegationOf(all, from, projectId, now))
    .filter((d): d is Delegation => d?.to.key === delegateKey);
}

/** Delegations to `delegateKey` on a project that have ended (kept a while so the delegate hears why). */
export function endedDelegationsTo(
  all: Delegation[],
  delegateKey: string,
  projectId: string,
  now: Date,
): Delegation[] {
  return all.filter((d) => d.to.key === delegateKey && !isActive(d, now) && covers(d, projectId));
}

export type DelegationProblem =
  'delegate-self' | 'delegate-chain' | 'delegate-held' | 'delegate-past' | 'delegate-too-far';

/**
 * Why a new delegation cannot be made, if it cannot: to oneself; to someone who has delegated in turn
 * (a chain, or the loop A -> B -> A); by someone who stands in for another (they would hand on a vote
 * that is not theirs); a last day already over, or more than a year ahead.
 */
export function delegationProblem(
  all: Delegation[],
  wanted: Pick<Delegation, 'from' | 'to' | 'projectId' | 'until'>,
  now: Date,
): DelegationProblem | undefined {
  if (wanted.to.key === wanted.from) return 'delegate-self';
  const until = Date.parse(wanted.until);
  if (until <= now.getTime()) return 'delegate-past';
  if (until - now.getTime() > (MAX_DELEGATION_DAYS + 1) * DAY_MS) return 'delegate-too-far';
  const overlaps = (d: Delegation) =>
    isActive(d, now) &&
    (d.projectId === undefined ||
      wanted.projectId === undefined ||
      d.projectId.toLowerCase() === wanted.projectId.toLowerCase());
  if (all.some((d) => d.from === wanted.to.key && overlaps(d))) return 'delegate-chain';
  if (all.some((d) => d.to.key === wanted.from && d.from !== wanted.to.key && overlaps(d)))
    return 'delegate-held';
  return undefined;
}

/** Whether a directory person is away at an instant (their `away` days, in their zone). */
export function isAway(
  person: Pick<Person, 'away' | 'tz'> | undefined,
  at: Date,
  defaultTz: string,
): boolean {
  if (!person?.away) return false;
  const tz = person.tz ?? defaultTz;
  const t = at.getTime();
  return startOfDay(person.away.from, tz).getTime() <= t && t < endOfDay(person.away.until, tz).getTime();
}

/** Whether a person is away for the whole of [from, to] (they cannot act anywhere in it). */
export function isAwayThroughout(
  person: Pick<Person, 'away' | 'tz'> | undefined,
  from: Date,
  to: Date,
  defaultTz: string,
): boolean {
  if (!person?.away) return false;
  const tz = person.tz ?? defaultTz;
  return (
    startOfDay(person.away.from, tz).getTime() <= from.getTime() &&
    to.getTime() <= endOfDay(person.away.until, tz).getTime()
  );
}
