import { TZDate } from '@date-fns/tz';
import { addDays, getISOWeek, getISOWeekYear, startOfISOWeek } from 'date-fns';
import type { Translate } from '../ports';
import { formatWhen } from '../render/format';
import type { DigestPeriod } from './snapshot';

const HALF_WEEK_MS = 3.5 * 86_400_000;

/**
 * The period a digest covers. Weekly schedules report on the ISO week (in the channel's time zone) that
 * holds the middle of the seven days before the fire time: Monday 09:00 reports on the week just ended,
 * Friday 17:00 on the current week ("2026-W48", "week 48 (23-29 Nov)"). Keyed by week, a (channel, week)
 * is posted once even if the schedule changes mid-week. Schedules firing more often than weekly get the
 * local fire time as their period.
 */
export function digestPeriod(
  fireAt: Date,
  tz: string,
  granularity: 'week' | 'fire',
  t: Translate,
  locale = 'en',
): DigestPeriod {
  const reference = granularity === 'week' ? fireAt.getTime() - HALF_WEEK_MS : fireAt.getTime();
  const local = new TZDate(reference, tz);
  const week = getISOWeek(local);
  const monday = startOfISOWeek(local);
  const sunday = addDays(monday, 6);
  const label = t('digest:period.week', { week, range: dayRange(monday, sunday, tz, locale) }, locale);
  if (granularity === 'week') {
    return { id: `${getISOWeekYear(local)}-W${String(week).padStart(2, '0')}`, label };
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  const fire = new TZDate(fireAt.getTime(), tz);
  const id = `${fire.getFullYear()}-${pad(fire.getMonth() + 1)}-${pad(fire.getDate())}T${pad(fire.getHours())}${pad(fire.getMinutes())}`;
  return { id, label: `${label}, ${shortDateTime(fireAt, tz, locale, t)}` };
}

/**
 * "23-29 Nov", or "30 Nov-6 Dec" across a month boundary, in English (UX.md); other languages as Intl
 * writes a range there ("23.–29. Nov."), Japanese "11月23日～11月29日".
 */
function dayRange(from: Date, to: Date, tz: string, locale: string): string {
  if (!/^en\b/i.test(locale)) {
    // Japanese and Chinese write the month as a word ("11月23日～11月29日"); Intl's range gives "11/23～11/29".
    if (/^(ja|zh)\b/i.test(locale)) {
      const format = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', timeZone: tz });
      return `${format.format(from)}～${format.format(to)}`;
    }
    return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: tz }).formatRange(
      from,
      to,
    );
  }
  const day = (date: Date) => new Intl.DateTimeFormat(locale, { day: 'numeric', timeZone: tz }).format(date);
  const month = (date: Date) =>
    new Intl.DateTimeFormat(locale, { month: 'short', timeZone: tz }).format(date);
  if (month(from) === month(to)) return `${day(from)}-${day(to)} ${month(to)}`;
  return `${day(from)} ${month(from)}-${day(to)} ${month(to)}`;
}

/** "Mon 30 Nov, 09:00 CET": the one deadline format (formatWhen), naming the channel's zone. */
export function shortDateTime(date: Date, tz: string, locale: string, t: Translate): string {
  return formatWhen(date, { t, locale, tz, shared: true });
}
