import type { MessageBlock } from '../messages';
import type { Translate } from '../ports';

/** What every renderer needs: the translator, and the reader's language and time zone. */
export interface RenderEnv {
  t: Translate;
  locale: string;
  tz: string;
}

/** Every list in a message is capped; what is left out is said, never cut silently. */
export const LIST_CAP = 10;

/**
 * Translates an `engine:` key. Results are memoised per translator (a vote message repeats the same
 * status words for every click), in a bounded map.
 */
export function tr(env: RenderEnv, key: string, params?: Record<string, unknown>): string {
  let memo = memos.get(env.t);
  if (!memo) memos.set(env.t, (memo = new Map()));
  const id = `${env.locale}\u0000${key}\u0000${params ? JSON.stringify(params) : ''}`;
  let text = memo.get(id);
  if (text === undefined) {
    text = env.t(`engine:${key}`, params, env.locale);
    if (memo.size >= 5000) memo.clear();
    memo.set(id, text);
  }
  return text;
}

const memos = new WeakMap<RenderEnv['t'], Map<string, string>>();

/**
 * "Tue 09:00" in the reader's zone and language; with `zone`, "Tue 09:00 CET" (channel messages, read
 * by people in several zones).
 */
export function formatWhen(at: Date | string, env: RenderEnv, options: { zone?: boolean } = {}): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  const parts = formatter(env, options.zone ? 'when-zone' : 'when').formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const when = `${part('weekday')} ${part('hour')}:${part('minute')}`;
  return options.zone ? `${when} ${part('timeZoneName')}` : when;
}

const STYLES: Record<string, Intl.DateTimeFormatOptions> = {
  when: { weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  'when-zone': {
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  },
  'date-time': {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  },
};
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Building an Intl.DateTimeFormat is costly; one per language, zone and style is enough. */
function formatter(env: RenderEnv, style: keyof typeof STYLES): Intl.DateTimeFormat {
  const key = `${env.locale}|${env.tz}|${style}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(env.locale, { ...STYLES[style], timeZone: env.tz });
    if (formatters.size > 500) formatters.clear();
    formatters.set(key, format);
  }
  return format;
}

/** "Tue 26 Nov 09:00" for times further away (history, status). */
export function formatDateTime(at: Date | string, env: RenderEnv): string {
  return formatter(env, 'date-time').format(typeof at === 'string' ? new Date(at) : at);
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

/** Joins names inline, capped the same way ("a, b, c ...and 2 more"). */
export function cappedInline(items: string[], env: RenderEnv, cap = LIST_CAP): string {
  const shown = items.slice(0, cap).join(', ');
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
    else if (block.type === 'list') {
      if (block.title) lines.push(block.title);
      lines.push(...block.items.map((item) => `• ${item}`));
      if (block.more) lines.push(block.more);
    }
  }
  return lines.join('\n');
}
