import { TZDate } from '@date-fns/tz';

/**
 * Whole business days (Mon-Fri, not a holiday) from `from` to `to`, counted in `tz`: a gap reported on
 * Friday afternoon is 1 business day old on Monday afternoon. Never negative.
 */
export function businessDaysBetween(
  from: Date,
  to: Date,
  tz: string,
  holidays: readonly string[] = [],
): number {
  if (to.getTime() <= from.getTime()) return 0;
  const skip = new Set(holidays);
  const cursor = new TZDate(from.getTime(), tz);
  const end = new TZDate(to.getTime(), tz);
  let days = 0;
  // Step day by day at the same local time; at most a few thousand steps for ancient gaps.
  for (let guard = 0; guard < 20000; guard++) {
    cursor.setDate(cursor.getDate() + 1);
    if (cursor.getTime() > end.getTime()) break;
    const weekday = cursor.getDay();
    if (weekday === 0 || weekday === 6) continue;
    if (skip.has(isoDate(cursor))) continue;
    days++;
  }
  return days;
}

/** Whole calendar days between two instants (for "waiting for 3 days"). */
export function calendarDaysBetween(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / 86_400_000));
}

function isoDate(date: TZDate): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
