import { isTimeZone } from '../time-zone';

/**
 * Digest schedules as typed after `digest subscribe`: "weekly mon 09:00", "daily 08:30", or a five-field
 * cron ("0 9 * * 1"), optionally followed by an IANA time zone. Checked for shape here; the digest
 * scheduler parses the cron for real.
 */
const WEEKLY = /^weekly (mon|tue|wed|thu|fri|sat|sun)[a-z]* ([01]?\d|2[0-3]):[0-5]\d$/i;
const DAILY = /^daily ([01]?\d|2[0-3]):[0-5]\d$/i;
const CRON_FIELD = /^[\d*/,\-A-Za-z?]+$/;

export function isSchedule(text: string): boolean {
  if (WEEKLY.test(text) || DAILY.test(text)) return true;
  const fields = text.split(/\s+/);
  return fields.length === 5 && fields.every((field) => CRON_FIELD.test(field));
}

/** Splits "weekly mon 09:00 Europe/Berlin" into schedule and zone; undefined parts when absent. */
export function splitScheduleAndZone(words: string[]): { schedule?: string; tz?: string } {
  const last = words.at(-1);
  const hasZone = last !== undefined && (last.includes('/') || last === 'UTC') && isTimeZone(last);
  const scheduleWords = hasZone ? words.slice(0, -1) : words;
  const schedule = scheduleWords
    .join(' ')
    .replace(/^["']|["']$/g, '')
    .trim();
  return { schedule: schedule || undefined, tz: hasZone ? last : undefined };
}
