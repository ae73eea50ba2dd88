import type { CardKey } from '../card';
import { defaultCardLabel } from '../card-labels';
import { plainTimes, timeToken, type MessageBlock, type RichParagraph } from '../messages';
import type { Translate } from '../ports';

/** What every renderer needs: the translator, and the reader's language and time zone. */
export interface RenderEnv {
  t: Translate;
  locale: string;
  tz: string;
  /**
   * Read by many people (a channel message): times become time tokens (messages.ts `timeToken`) that
   * each platform shows in its reader's zone; `tz` only writes their fallback ("17:00 CET").
   */
  shared?: boolean;
}

/** Every list in a message is capped; what is left out is said, never cut silently. */
export const LIST_CAP = 10;

/** Translates an `engine:` key (the translator remembers the texts: src/i18n/translator.ts). */
export function tr(env: RenderEnv, key: string, params?: Record<string, unknown>): string {
  return env.t(`engine:${key}`, params, env.locale);
}

/**
 * The one way a deadline or scheduled time is written, in every message (vote, status, reminders,
 * digests): weekday, date and time in the reader's zone and language, and whose zone that is.
 * "Mon 14 Dec, 17:00 your time" for one reader; in a channel (`env.shared`), where readers sit in
 * several zones, a time token that every renderer turns into the same words in its reader's zone, with
 * "Mon 14 Dec, 17:00 CET" as the plain-text fallback. The pieces come from Intl in `env.locale`; their order and the
 * words around them from the catalog (`time.reader`, `time.shared`), so every language can reorder them.
 */
export function formatWhen(at: Date | string, env: RenderEnv): string {
  const { date, time, zone } = momentParts(at, env);
  if (!env.shared) return tr(env, 'time.reader', { date, time, zone });
  // Many readers: a token each renderer shows in its reader's own zone ("... your time"); the zone-named
  // form stays as the fallback of plain text (notifications, textOf).
  const instant = typeof at === 'string' ? new Date(at) : at;
  const reader = tr(env, 'time.reader', { date: '{date}', time: '{time}', zone });
  return timeToken(instant, reader, tr(env, 'time.shared', { date, time, zone }));
}

/** The same date and time without the zone, for past events listed to one reader (history, "since"). */
export function formatDateTime(at: Date | string, env: RenderEnv): string {
  const { date, time } = momentParts(at, env);
  return tr(env, 'time.plain', { date, time });
}

/** A moment as a reader reads it: its date, time and zone. */
export interface MomentParts {
  date: string;
  time: string;
  zone: string;
}

/** "Mon 14 Dec", "17:00", "CET" in the reader's language and zone. */
export function momentParts(at: Date | string, env: Pick<RenderEnv, 'locale' | 'tz'>): MomentParts {
  const instant = typeof at === 'string' ? new Date(at) : at;
  // A vote card shows the same deadline on every click: Intl's formatToParts is the costly part of
  // rendering it (bench/README.md), so the parts of a moment are remembered per reader's language and zone.
  const key = `${instant.getTime()}|${env.locale}|${env.tz}`;
  const known = moments.get(key);
  if (known) return known;
  const parts = momentPartsOf(instant, env);
  if (moments.size >= MOMENTS_MAX) moments.clear();
  moments.set(key, parts);
  return parts;
}

const MOMENTS_MAX = 2000;
const moments = new Map<string, Readonly<MomentParts>>();

function momentPartsOf(instant: Date, env: Pick<RenderEnv, 'locale' | 'tz'>): MomentParts {
  const parts = formatter(env, 'parts').formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  // English reads "Mon 14 Dec" (not the US "Mon, Dec 14"); other languages keep Intl's own order.
  const date = /^en\b/i.test(env.locale)
    ? `${part('weekday')} ${part('day')} ${part('month')}`
    : formatter(env, 'date').format(instant);
  const time = usesTwelveHourClock(env.locale)
    ? formatter(env, 'time12').format(instant)
    : `${part('hour')}:${part('minute')}`;
  return { date, time, zone: part('timeZoneName') };
}

/**
 * A wall-clock time with no date ("09:00", "9:00 AM"), as a schedule is written: the locale's own clock.
 * The hour and minute are read as they are, in no zone.
 */
export function formatClockTime(hour: number, minute: number, locale: string): string {
  const instant = new Date(Date.UTC(2026, 0, 5, hour, minute));
  if (usesTwelveHourClock(locale)) return formatter({ locale, tz: 'UTC' }, 'time12').format(instant);
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

const twelveHourLocales = new Map<string, boolean>();

/**
 * Whether people of this locale read a 12-hour clock ("2:00 PM" in en-US, "14:00" in en-GB and de), as
 * Intl's data for the locale says. Plain "en", the bot's default, keeps UX.md's 24-hour "17:00": without
 * a region nothing says the reader is American.
 */
export function usesTwelveHourClock(locale: string): boolean {
  let twelve = twelveHourLocales.get(locale);
  if (twelve === undefined) {
    const cycle = /^en$/i.test(locale) ? 'h23' : safeHourCycle(locale);
    twelve = cycle === 'h12' || cycle === 'h11';
    if (twelveHourLocales.size > 500) twelveHourLocales.clear();
    twelveHourLocales.set(locale, twelve);
  }
  return twelve;
}

function safeHourCycle(locale: string): string | undefined {
  try {
    return new Intl.DateTimeFormat(locale, { hour: 'numeric' }).resolvedOptions().hourCycle;
  } catch {
    return undefined;
  }
}

const STYLES: Record<string, Intl.DateTimeFormatOptions> = {
  parts: {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  },
  date: { weekday: 'short', day: 'numeric', month: 'short' },
  // The locale's own 12-hour form: "2:00 PM" (en-US), with its day-period words and spacing.
  time12: { hour: 'numeric', minute: '2-digit', hourCycle: 'h12' },
};
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Building an Intl.DateTimeFormat is costly; one per language, zone and style is enough. */
function formatter(env: Pick<RenderEnv, 'locale' | 'tz'>, style: keyof typeof STYLES): Intl.DateTimeFormat {
  const key = `${env.locale}|${env.tz}|${style}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(env.locale, { ...STYLES[style], timeZone: env.tz });
    if (formatters.size > 500) formatters.clear();
    formatters.set(key, format);
  }
  return format;
}

/** "1 day 4 hours", "35 minutes": the two largest units, in words. */
export function formatDuration(ms: number, env: RenderEnv): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts: string[] = [];
  if (days) parts.push(tr(env, 'duration.days', { count: days }));
  if (hours) parts.push(tr(env, 'duration.hours', { count: hours }));
  if (!days && (rest || parts.length === 0)) parts.push(tr(env, 'duration.minutes', { count: rest }));
  return parts.slice(0, 2).join(' ');
}

/** A capped list block: at most `cap` items, and a line saying how many more (with a hint). */
export function cappedList(
  items: string[],
  env: RenderEnv,
  options: { title?: string; hint?: string; cap?: number } = {},
) {
  const cap = options.cap ?? LIST_CAP;
  const block: Extract<MessageBlock, { type: 'list' }> = { type: 'list', items: items.slice(0, cap) };
  if (options.title) block.title = options.title;
  if (items.length > cap) {
    block.more = tr(env, 'list.more', {
      count: items.length - cap,
      hint: options.hint ? `: ${options.hint}` : '',
    });
  }
  return block;
}

/**
 * Joins names inline, capped the same way ("a, b, c ...and 2 more"). English keeps UX.md's commas; other
 * languages read as Intl writes a list there ("a, b und c", "a、b、c").
 */
export function cappedInline(items: string[], env: RenderEnv, cap = LIST_CAP): string {
  const shown = joinList(items.slice(0, cap), env.locale, items.length <= cap);
  return items.length > cap
    ? `${shown} ${tr(env, 'list.more', { count: items.length - cap, hint: '' })}`
    : shown;
}

/** Plain-text fallback of a message: the blocks' text, one per line. */
export function textOf(blocks: MessageBlock[]): string {
  const lines: string[] = [];
  for (const block of blocks) {
    if (block.type === 'header' || block.type === 'text' || block.type === 'context') lines.push(block.text);
    else if (block.type === 'fields')
      lines.push(block.fields.map((f) => `${f.label}: ${f.value}`).join(' · '));
    else if (block.type === 'rich') {
      if (block.title) lines.push(block.title);
      lines.push(...block.paragraphs.map(plainParagraph));
    } else if (block.type === 'list') {
      if (block.title) lines.push(block.title);
      lines.push(...block.items.map((item) => `• ${item}`));
      if (block.more) lines.push(block.more);
    }
  }
  return plainTimes(lines.join('\n'));
}

/** A rich paragraph as plain text: "• " or "2. " before list items, links with their address. */
export function plainParagraph(paragraph: RichParagraph): string {
  const marker = paragraph.list === 'ordered' ? `${paragraph.number ?? 1}. ` : paragraph.list ? '• ' : '';
  const text = paragraph.spans
    .map((span) => (span.url && span.url !== span.text ? `${span.text} (${span.url})` : span.text))
    .join('');
  return marker + text;
}

/** A list in the reader's language: the conjunction ("und", "et") when `complete`, else separators only. */
export function joinList(items: string[], locale: string, complete = true): string {
  if (/^en\b/i.test(locale) || items.length < 2) return items.join(', ');
  if (!complete) return items.join(/^ja\b/i.test(locale) ? '、' : ', ');
  try {
    return new Intl.ListFormat(locale, { type: 'conjunction', style: 'short' }).format(items);
  } catch {
    return items.join(', ');
  }
}

/**
 * A gap's label for the reader: the card's own words when the card has the row or section, else the
 * template label in the reader's language (`engine:cardLabel.<key>`), so a missing row reads in German.
 */
export function gapLabel(gap: { key: CardKey; label: string }, env: RenderEnv): string {
  return gap.label === defaultCardLabel(gap.key) ? tr(env, `cardLabel.${gap.key}`) : gap.label;
}
