/**
 * Whole business days (Mon-Fri, not a holiday) from `from` to `to`, counted in `tz`: a gap reported on
 * Friday afternoon is 1 business day old on Monday afternoon, and not yet on Monday morning. Never
 * negative. Works on local calendar dates (one time-zone conversion per instant), so a digest of
 * thousands of gaps stays fast.
 */
export function businessDaysBetween(
  from: Date,
  to: Date,
  tz: string,
  holidays: readonly string[] = [],
): number {
  if (to.getTime() <= from.getTime()) return 0;
  const start = localParts(from, tz);
  const end = localParts(to, tz);
  // Days stepped at the same local time of day that do not pass `to`.
  const steps = end.day - start.day - (end.minuteOfDay < start.minuteOfDay ? 1 : 0);
  if (steps <= 0) return 0;
  let days = weekdaysIn(start.day + 1, start.day + steps);
  for (const holiday of new Set(holidays)) {
    const day = Date.parse(`${holiday}T00:00:00Z`) / DAY_MS;
    if (Number.isInteger(day) && day > start.day && day <= start.day + steps && isWeekday(day)) days--;
  }
  return days;
}

/** Whole calendar days between two instants (for "waiting for 3 days"). */
export function calendarDaysBetween(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / DAY_MS));
}

const DAY_MS = 86_400_000;

/** Day 0 (1 Jan 1970) was a Thursday. */
function isWeekday(day: number): boolean {
  const weekday = (((day + 4) % 7) + 7) % 7;
  return weekday !== 0 && weekday !== 6;
}

/** Weekdays among the days numbered `first`..`last` (inclusive). */
function weekdaysIn(first: number, last: number): number {
  const total = last - first + 1;
  const weeks = Math.floor(total / 7);
  let count = weeks * 5;
  for (let day = first + weeks * 7; day <= last; day++) if (isWeekday(day)) count++;
  return count;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The local calendar day (days since 1970-01-01) and minute of the day of an instant in `tz`. */
function localParts(date: Date, tz: string): { day: number; minuteOfDay: number } {
  let format = formatters.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(tz, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(date))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return {
    day: Date.UTC(parts.year, parts.month - 1, parts.day) / DAY_MS,
    minuteOfDay: parts.hour * 60 + parts.minute,
  };
}
