import { TZDate } from '@date-fns/tz';

/**
 * Business time in one person's zone, pure and DST-correct: local wall-clock times are built with
 * TZDate in the zone, so "09:00" stays 09:00 across a DST change. Weekends are Saturday and Sunday;
 * holidays are local dates (yyyy-mm-dd): the flow's list, and the person's company days and public
 * holidays (`isHoliday`, from the holiday calendars).
 */
export interface WorkCalendar {
  tz: string;
  workingHours: { start: string; end: string };
  holidays: string[];
  isHoliday?: (date: string) => boolean;
}

const minutesOf = (clock: string): number => {
  const [hours, minutes] = clock.split(':').map(Number);
  return hours * 60 + minutes;
};

/** Local date key (yyyy-mm-dd) of an instant in a zone. */
export function localDate(at: Date, tz: string): string {
  const local = new TZDate(at.getTime(), tz);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
}

/** A business day: not Saturday or Sunday, not a holiday (local date in the calendar's zone). */
export function isBusinessDay(at: Date, cal: WorkCalendar): boolean {
  const day = new TZDate(at.getTime(), cal.tz).getDay();
  if (day === 0 || day === 6) return false;
  const date = localDate(at, cal.tz);
  return !cal.holidays.includes(date) && !cal.isHoliday?.(date);
}

/** The instant of a local wall-clock time on the local day of `at`. */
function atLocalTime(at: Date, tz: string, clock: string): Date {
  const local = new TZDate(at.getTime(), tz);
  const minutes = minutesOf(clock);
  const result = new TZDate(
    local.getFullYear(),
    local.getMonth(),
    local.getDate(),
    Math.floor(minutes / 60),
    minutes % 60,
    tz,
  );
  return new Date(result.getTime());
}

/** Noon of the next local calendar day (noon is never skipped by a DST change). */
function nextLocalDay(at: Date, tz: string): Date {
  const local = new TZDate(at.getTime(), tz);
  return new Date(
    new TZDate(local.getFullYear(), local.getMonth(), local.getDate() + 1, 12, 0, tz).getTime(),
  );
}

export function isWorkingTime(at: Date, cal: WorkCalendar): boolean {
  if (!isBusinessDay(at, cal)) return false;
  const start = atLocalTime(at, cal.tz, cal.workingHours.start);
  const end = atLocalTime(at, cal.tz, cal.workingHours.end);
  return at >= start && at < end;
}

/** `at` itself when inside working hours, else the start of the next working period. */
export function nextWorkingMoment(at: Date, cal: WorkCalendar): Date {
  if (isWorkingTime(at, cal)) return at;
  let day = at;
  if (isBusinessDay(day, cal) && at < atLocalTime(day, cal.tz, cal.workingHours.start)) {
    return atLocalTime(day, cal.tz, cal.workingHours.start);
  }
  for (let i = 0; i < 370; i++) {
    day = nextLocalDay(day, cal.tz);
    if (isBusinessDay(day, cal)) return atLocalTime(day, cal.tz, cal.workingHours.start);
  }
  throw new Error('no business day within a year: check the holiday list');
}

/**
 * `days` business days after `start`, at the same local time of day, moved into working hours.
 * Started Friday 16:00, one business day later is Monday 16:00; a result at 20:00 moves to 09:00 next day.
 */
export function addBusinessDays(start: Date, days: number, cal: WorkCalendar): Date {
  const local = new TZDate(start.getTime(), cal.tz);
  let day: Date = start;
  let left = days;
  for (let i = 0; left > 0 && i < 3700; i++) {
    day = nextLocalDay(day, cal.tz);
    if (isBusinessDay(day, cal)) left -= 1;
  }
  const dayLocal = new TZDate(day.getTime(), cal.tz);
  const sameTime = new TZDate(
    dayLocal.getFullYear(),
    dayLocal.getMonth(),
    dayLocal.getDate(),
    local.getHours(),
    local.getMinutes(),
    cal.tz,
  );
  return nextWorkingMoment(new Date(sameTime.getTime()), cal);
}

/** End of working hours on the `days`-th business day after `start` (vote deadlines: "closes Fri 17:00"). */
export function businessDeadline(start: Date, days: number, cal: WorkCalendar): Date {
  const due = addBusinessDays(start, days, cal);
  return atLocalTime(due, cal.tz, cal.workingHours.end);
}

/** Whole business days from `from` to `to` (0 when `to` is not later), for "gap open 9 days". */
export function businessDaysBetween(from: Date, to: Date, cal: WorkCalendar): number {
  let count = 0;
  let day = from;
  for (let i = 0; i < 3700; i++) {
    day = nextLocalDay(day, cal.tz);
    if (atLocalTime(day, cal.tz, '00:00') > to) break;
    if (isBusinessDay(day, cal)) count += 1;
  }
  return count;
}
