import { CronExpressionParser } from 'cron-parser';
import { BotError } from '../core/errors';
import { isTimeZone } from '../core/time-zone';

/**
 * Digest schedules as people type them: a cron ("0 9 * * 1") or "weekly mon 09:00" / "daily 09:00",
 * always with an IANA time zone. Parsing never changes state; a bad schedule or zone is a
 * `DigestInputError` carrying the i18n key and parameters of a message that names what is wrong.
 */
export interface DigestSchedule {
  /** Five-field cron, minute first, as BullMQ's job scheduler takes it. */
  cron: string;
  tz: string;
  /** How people wrote it, for replies. */
  input: string;
  /** Weekly (or rarer) schedules report on a week; more frequent ones on each fire. */
  granularity: 'week' | 'fire';
}

export class DigestInputError extends BotError {
  constructor(
    readonly key: string,
    readonly params: Record<string, unknown>,
  ) {
    super('bad-input', `${key} ${JSON.stringify(params)}`);
  }
}

const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const DAY_ALIASES: Record<string, string> = {
  sunday: 'sun',
  monday: 'mon',
  tuesday: 'tue',
  wednesday: 'wed',
  thursday: 'thu',
  friday: 'fri',
  saturday: 'sat',
};
const HOUR_MS = 3_600_000;

export function parseSchedule(input: string, tz: string): DigestSchedule {
  const text = input
    .trim()
    .replace(/^["']|["']$/g, '')
    .trim();
  if (!isTimeZone(tz)) throw new DigestInputError('digest:error.tz', { tz });
  if (text.length === 0 || text.length > 100) {
    throw scheduleError(input, 'digest:problem.shape', {});
  }
  const cron = toCron(text, input);
  let interval;
  try {
    interval = CronExpressionParser.parse(cron, { tz, currentDate: new Date(Date.UTC(2026, 0, 5)) });
  } catch (error) {
    throw scheduleError(input, 'digest:problem.cron', { detail: (error as Error).message });
  }
  const fires = [interval.next().getTime(), interval.next().getTime(), interval.next().getTime()];
  const gaps = [fires[1] - fires[0], fires[2] - fires[1]];
  if (Math.min(...gaps) < HOUR_MS) throw scheduleError(input, 'digest:problem.tooOften', {});
  // 7 days minus a DST hour still counts as weekly.
  const granularity = Math.min(...gaps) >= 7 * 24 * HOUR_MS - HOUR_MS ? 'week' : 'fire';
  return { cron, tz, input: text, granularity };
}

function toCron(text: string, input: string): string {
  const words = text.toLowerCase().split(/\s+/);
  if (words[0] === 'weekly' || words[0] === 'daily') {
    const [kind, ...rest] = words;
    const dayWord = kind === 'weekly' ? rest.shift() : undefined;
    if (rest.length !== 1) throw scheduleError(input, 'digest:problem.shape', {});
    const time = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(rest[0]);
    if (!time) throw scheduleError(input, 'digest:problem.time', { time: rest[0] });
    const minute = Number(time[2]);
    const hour = Number(time[1]);
    if (kind === 'daily') return `${minute} ${hour} * * *`;
    const day = DAYS[DAY_ALIASES[dayWord!] ?? dayWord!];
    if (day === undefined) throw scheduleError(input, 'digest:problem.day', { day: dayWord ?? '' });
    return `${minute} ${hour} * * ${day}`;
  }
  if (words.length !== 5) throw scheduleError(input, 'digest:problem.fields', { count: words.length });
  return words.join(' ');
}

function scheduleError(
  schedule: string,
  problemKey: string,
  params: Record<string, unknown>,
): DigestInputError {
  return new DigestInputError('digest:error.schedule', {
    schedule: schedule.trim(),
    problemKey,
    problemParams: params,
  });
}

/** The next `count` fire times after `from`, with the same cron logic BullMQ uses. */
export function nextFireTimes(
  schedule: Pick<DigestSchedule, 'cron' | 'tz'>,
  from: Date,
  count: number,
): Date[] {
  const interval = CronExpressionParser.parse(schedule.cron, { tz: schedule.tz, currentDate: from });
  return Array.from({ length: count }, () => new Date(interval.next().getTime()));
}
