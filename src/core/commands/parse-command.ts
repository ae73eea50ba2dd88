import { isCardKey, type CardKey } from '../card';
import { stripControls } from '../control-chars';
import {
  COMMAND_NAMES,
  MAX_COMMAND_LENGTH,
  MAX_REASON_LENGTH,
  MAX_SNOOZE_DAYS,
  MAX_WAIVER_DAYS,
  type Command,
  type CommandName,
  type ParseResult,
} from './command-types';
import { parseDuration } from './parse-duration';
import { normalizeLocale } from '../locale';
import { isTimeZone } from '../time-zone';
import { isSchedule, splitScheduleAndZone } from './parse-schedule';

/**
 * Parses the words after `/mltrl` (or `@mltrl`). Never throws: a malformed command yields a problem
 * (an i18n key) and the command whose usage to show.
 */
const PROJECT_ID = /^[A-Za-z0-9][\w.-]{0,63}$/;
const DAY = 86_400_000;

const fail = (
  command: CommandName | undefined,
  problem: string,
  params?: Record<string, string | number>,
): ParseResult => ({
  ok: false,
  error: { command, problem, params },
});
const ok = (command: Command): ParseResult => ({ ok: true, command });

function project(name: CommandName, word: string | undefined): string | ParseResult {
  if (word === undefined) return fail(name, 'missing-project');
  if (!PROJECT_ID.test(word)) return fail(name, 'bad-project', { value: word.slice(0, 40) });
  return word;
}

/** The command a typo most likely meant ("staus" -> status, "reveiw" -> review), if one is close. */
export function nearestCommand(word: string): CommandName | undefined {
  if (word.length < 2 || word.length > 20) return undefined;
  let best: { name: CommandName; distance: number } | undefined;
  for (const name of COMMAND_NAMES) {
    const distance = name.startsWith(word) && word.length >= 3 ? 1 : editDistance(word, name);
    if (distance <= (name.length >= 7 ? 2 : 1) && (!best || distance < best.distance))
      best = { name, distance };
  }
  return best?.name;
}

/** Levenshtein distance with transpositions counted as one edit (Damerau, optimal string alignment). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

export function parseCommand(text: string): ParseResult {
  if (text.length > MAX_COMMAND_LENGTH) return fail(undefined, 'too-long', { max: MAX_COMMAND_LENGTH });
  // Slack and Teams may pass formatting characters and non-breaking spaces; normalise to words. Control
  // characters are dropped: they would be echoed back in usage errors and reasons.
  const words = stripControls(text)
    .replace(/[\u00a0\u200b]/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  const word = (words.shift() ?? 'help').toLowerCase().replace(/^\//, '');
  if (!(COMMAND_NAMES as string[]).includes(word)) {
    const suggestion = nearestCommand(word);
    return suggestion
      ? fail(undefined, 'unknown-command-suggest', { value: word.slice(0, 40), suggestion })
      : fail(undefined, 'unknown-command', { value: word.slice(0, 40) });
  }
  const name = word as CommandName;
  const withProject = (build: (id: string) => ParseResult, max = 1): ParseResult => {
    const id = project(name, words[0]);
    if (typeof id !== 'string') return id;
    if (words.length > max)
      return fail(name, 'extra-words', { value: words.slice(max).join(' ').slice(0, 40) });
    return build(id);
  };
  switch (name) {
    case 'help':
      return words.length ? fail(name, 'extra-words', { value: words.join(' ').slice(0, 40) }) : ok({ name });
    case 'portfolio':
      return parsePortfolio(words);
    case 'review':
    case 'cancel':
    case 'history':
      return withProject((id) => ok({ name, project: id }));
    case 'status':
      return words.length === 0 ? ok({ name }) : withProject((id) => ok({ name, project: id }));
    case 'snooze':
      return withProject((id) => parseSnooze(id, words.slice(1).join(' ')), words.length);
    case 'waive':
      return withProject((id) => parseWaive(id, words.slice(1)), words.length);
    case 'digest':
      return parseDigest(words);
    case 'language':
      return parseLanguage(words);
    case 'flow':
      return parseFlow(words);
    case 'delegate':
      return parseDelegate(words);
  }
}

/** `portfolio`, `portfolio waiting`, `portfolio mine`, `portfolio level 5`, `portfolio R07`. */
function parsePortfolio(words: string[]): ParseResult {
  const [first, second, ...rest] = words;
  const extra = (from: string[]) => fail('portfolio', 'extra-words', { value: from.join(' ').slice(0, 40) });
  if (!first) return ok({ name: 'portfolio' });
  const lower = first.toLowerCase();
  if (lower === 'waiting' || lower === 'mine')
    return second ? extra([second, ...rest]) : ok({ name: 'portfolio', filter: { kind: lower } });
  if (lower === 'level') {
    const level = Number(second);
    if (!second || !/^\d$/.test(second))
      return fail('portfolio', 'bad-level', { value: (second ?? '').slice(0, 20) });
    return rest.length ? extra(rest) : ok({ name: 'portfolio', filter: { kind: 'level', level } });
  }
  if (!PROJECT_ID.test(first)) return fail('portfolio', 'bad-project', { value: first.slice(0, 40) });
  return second
    ? extra([second, ...rest])
    : ok({ name: 'portfolio', filter: { kind: 'project', text: first } });
}

function parseSnooze(project: string, durationText: string): ParseResult {
  if (!durationText) return fail('snooze', 'missing-duration');
  const durationMs = parseDuration(durationText);
  if (durationMs === undefined) return fail('snooze', 'bad-duration', { value: durationText.slice(0, 40) });
  if (durationMs > MAX_SNOOZE_DAYS * DAY)
    return fail('snooze', 'duration-too-long', { max: MAX_SNOOZE_DAYS });
  return ok({ name: 'snooze', project, durationMs });
}

function parseWaive(project: string, rest: string[]): ParseResult {
  const [key, daysText, ...reasonWords] = rest;
  if (!key) return fail('waive', 'missing-section');
  if (!isCardKey(key.toLowerCase())) return fail('waive', 'bad-section', { value: key.slice(0, 40) });
  if (daysText?.toLowerCase() === 'off' && reasonWords.length === 0)
    return ok({ name: 'waive', project, key: key.toLowerCase() as CardKey, off: true });
  if (!daysText) return fail('waive', 'missing-days');
  const days = Number(daysText);
  if (!/^\d+$/.test(daysText) || days < 1 || days > MAX_WAIVER_DAYS) {
    return fail('waive', 'bad-days', { value: daysText.slice(0, 20), max: MAX_WAIVER_DAYS });
  }
  const reason = reasonWords.join(' ').trim();
  if (!reason) return fail('waive', 'missing-reason');
  if (reason.length > MAX_REASON_LENGTH) return fail('waive', 'reason-too-long', { max: MAX_REASON_LENGTH });
  return ok({ name: 'waive', project, key: key.toLowerCase() as CardKey, days, reason });
}

const FLOW_NAME = /^[\w.-]{1,64}$/;

/** `flow` (show the channel's flow) or `flow use <name>` (admins choose it). */
function parseFlow(words: string[]): ParseResult {
  if (words.length === 0) return ok({ name: 'flow' });
  if (words[0].toLowerCase() !== 'use')
    return fail('flow', 'bad-flow-action', { value: words[0].slice(0, 40) });
  if (words.length === 1) return fail('flow', 'missing-flow');
  if (words.length > 2) return fail('flow', 'extra-words', { value: words.slice(2).join(' ').slice(0, 40) });
  if (!FLOW_NAME.test(words[1])) return fail('flow', 'bad-flow', { value: words[1].slice(0, 40) });
  return ok({ name: 'flow', use: words[1] });
}

/** A calendar day as people write it in ISO form: 2027-01-15 (a real date, not 2027-02-30). */
function isCalendarDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

/**
 * `delegate` (show), `delegate <who> until <yyyy-mm-dd> [project]`, `delegate off [project]`. The command
 * words stay English on every surface; who the person is, is decided by the engine.
 */
function parseDelegate(words: string[]): ParseResult {
  if (words.length === 0) return ok({ name: 'delegate', action: 'show' });
  const extra = (from: string[]) => fail('delegate', 'extra-words', { value: from.join(' ').slice(0, 40) });
  const scope = (word: string | undefined): string | ParseResult | undefined =>
    word === undefined ? undefined : project('delegate', word);
  if (words[0].toLowerCase() === 'off') {
    const id = scope(words[1]);
    if (typeof id === 'object') return id;
    return words.length > 2 ? extra(words.slice(2)) : ok({ name: 'delegate', action: 'off', project: id });
  }
  const [to, until, day, ...rest] = words;
  if (to.length > 100) return fail('delegate', 'bad-delegate', { value: to.slice(0, 40) });
  if (until?.toLowerCase() !== 'until' || !day) return fail('delegate', 'missing-until');
  if (!isCalendarDay(day)) return fail('delegate', 'bad-day', { value: day.slice(0, 20) });
  const id = scope(rest[0]);
  if (typeof id === 'object') return id;
  if (rest.length > 1) return extra(rest.slice(1));
  return ok({ name: 'delegate', action: 'set', to, untilDay: day, ...(id ? { project: id } : {}) });
}

const SKIP_QUIET = 'skip-quiet';

function parseDigest(words: string[]): ParseResult {
  const action = words.shift()?.toLowerCase();
  if (action === 'unsubscribe' || action === 'now') {
    return words.length
      ? fail('digest', 'extra-words', { value: words.join(' ').slice(0, 40) })
      : ok({ name: 'digest', action });
  }
  if (action !== 'subscribe')
    return fail('digest', action ? 'bad-digest-action' : 'missing-digest-action', { value: action ?? '' });
  // A trailing `skip-quiet`: weeks without changes post nothing instead of the one quiet line.
  const skipQuiet = words.at(-1)?.toLowerCase() === SKIP_QUIET;
  if (skipQuiet) words.pop();
  const last = words.at(-1);
  const { schedule, tz } = splitScheduleAndZone(words);
  if (!tz && last?.includes('/') && !isTimeZone(last))
    return fail('digest', 'bad-tz', { value: last.slice(0, 40) });
  if (schedule !== undefined && !isSchedule(schedule))
    return fail('digest', 'bad-schedule', { value: schedule.slice(0, 40) });
  return ok({
    name: 'digest',
    action: 'subscribe',
    schedule,
    tz,
    ...(skipQuiet && { quietWeek: 'skip' as const }),
  });
}

function parseLanguage(words: string[]): ParseResult {
  if (words.length === 0) return ok({ name: 'language', action: 'show' });
  const [action, tag, ...extra] = words;
  if (action.toLowerCase() !== 'use')
    return fail('language', 'bad-language-action', { value: action.slice(0, 40) });
  if (!tag) return fail('language', 'missing-language');
  if (extra.length) return fail('language', 'extra-words', { value: extra.join(' ').slice(0, 40) });
  if (tag.toLowerCase() === 'default') return ok({ name: 'language', action: 'use' });
  const locale = normalizeLocale(tag);
  if (!locale) return fail('language', 'bad-language', { value: tag.slice(0, 40) });
  return ok({ name: 'language', action: 'use', locale });
}
