import type { Actor } from '../../../core/events';
import { ACTION_MARK, choiceInputId, reasonInputId, REFRESH_VERB } from '../render/card-actions';

/** The parts of an incoming Teams activity we read (the SDK's Activity satisfies it). */
export interface IncomingActivity {
  type: string;
  id?: string;
  name?: string;
  text?: string;
  value?: unknown;
  locale?: string;
  localTimezone?: string;
  replyToId?: string;
  from?: { id?: string; name?: string; aadObjectId?: string };
  recipient?: { id?: string; name?: string };
  conversation?: { id: string; conversationType?: string; tenantId?: string; isGroup?: boolean };
  entities?: Array<Record<string, unknown>>;
  channelData?: Record<string, unknown>;
}

const MAX_VALUE = 2000;
/** A Teams user id as a mention token may carry it (`29:1abc-…`); anything else stays text. */
const PERSON_ID = /^[A-Za-z0-9:_.-]{1,200}$/;
const MAX_REASON = 3000;

/** The person behind an activity; e-mail comes later from the roster. */
export function actorOf(activity: IncomingActivity): Actor | undefined {
  const userId = activity.from?.id;
  if (!userId) return undefined;
  const clientInfo = activity.entities?.find((entity) => entity.type === 'clientInfo');
  const locale = stringOr(clientInfo?.locale) ?? activity.locale;
  const tz = stringOr(clientInfo?.timezone) ?? activity.localTimezone;
  const actor: Actor = { platform: 'teams', userId };
  if (activity.from?.aadObjectId) actor.altIds = [activity.from.aadObjectId];
  if (activity.from?.name) actor.name = activity.from.name;
  if (locale) actor.locale = locale;
  if (tz) actor.tz = tz;
  return actor;
}

const ENTITIES: Record<string, string> = {
  '&nbsp;': ' ',
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/**
 * The command words of a message: the bot's own `<at>` mention removed (`@mltrl review R07.2` in a channel),
 * a mention of a person that Teams names in its entities turned into the id token the engine reads
 * (`<@29:1abc>`, as Slack writes one), other `<at>` names kept as text, HTML entities decoded, and a leading
 * `mltrl`, `@mltrl` or `/mltrl` dropped so people typing the Slack habit in a 1:1 chat still get through.
 * The id token matters: `delegate @Priya until ...` must name the person Teams resolved, never a display
 * name somebody could copy.
 */
export function commandTextOf(activity: IncomingActivity): string {
  let text = activity.text ?? '';
  const botId = activity.recipient?.id;
  const mentions = (activity.entities ?? []).filter((entity) => entity.type === 'mention');
  const botMentions = mentions
    .filter((entity) => (entity.mentioned as { id?: string } | undefined)?.id === botId)
    .map((entity) => String(entity.text ?? ''))
    .filter(Boolean);
  for (const mention of botMentions) text = text.split(mention).join(' ');
  for (const entity of mentions) {
    const id = (entity.mentioned as { id?: unknown } | undefined)?.id;
    const shown = typeof entity.text === 'string' ? entity.text : '';
    if (typeof id !== 'string' || id === botId || !PERSON_ID.test(id) || !shown.startsWith('<at>')) continue;
    text = text.split(shown).join(` <@${id}> `);
  }
  if (botMentions.length === 0 && activity.conversation?.conversationType === 'channel') {
    text = text.replace(/^\s*<at>[^<]*<\/at>/, ' ');
  }
  text = text
    .replace(/<at>([^<]*)<\/at>/g, '$1')
    .replace(/<(?!@)[^>]+>/g, ' ')
    .replace(/&nbsp;|&amp;|&lt;|&gt;|&quot;|&#39;/g, (entity) => ENTITIES[entity]);
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[@/]?mltrl(\s+|$)/i, '')
    .trim();
}

/**
 * In channels and group chats the bot acts only when @mentioned (with resource-specific consent Teams may
 * deliver every message there; people talking to each other are not commands).
 */
export function isAddressedToBot(activity: IncomingActivity): boolean {
  if ((activity.conversation?.conversationType ?? 'personal') === 'personal') return true;
  const botId = activity.recipient?.id;
  return (activity.entities ?? []).some(
    (entity) => entity.type === 'mention' && (entity.mentioned as { id?: string } | undefined)?.id === botId,
  );
}

/** A click on one of our cards, read from an invoke (`Action.Execute`) or a message (`Action.Submit`). */
export type CardClick =
  | { kind: 'refresh' }
  | { kind: 'action'; actionId: string; value: string; reason?: string }
  | { kind: 'invalid'; problem: string };

/** `adaptiveCard/action` invoke value -> what was clicked. */
export function clickOfInvoke(value: unknown): CardClick {
  const action = (value as { action?: { verb?: unknown; data?: unknown } } | undefined)?.action;
  if (!action || typeof action !== 'object') return { kind: 'invalid', problem: 'invoke without an action' };
  if (action.verb === REFRESH_VERB) return { kind: 'refresh' };
  return clickOfData(action.data, typeof action.verb === 'string' ? action.verb : undefined);
}

/** `Action.Submit` data (older clients), or the data of an `Action.Execute`. */
export function clickOfData(data: unknown, verb?: string): CardClick {
  if (!data || typeof data !== 'object') return { kind: 'invalid', problem: 'action without data' };
  const fields = data as Record<string, unknown>;
  if (fields[ACTION_MARK] === 'refresh') return { kind: 'refresh' };
  if (fields[ACTION_MARK] !== 'action') return { kind: 'invalid', problem: 'not an action of our cards' };
  const actionId = stringOr(fields.actionId) ?? verb;
  if (!actionId || actionId.length > 64) return { kind: 'invalid', problem: 'missing or oversized actionId' };
  const value = stringOr(fields[choiceInputId(actionId)]) ?? stringOr(fields.value) ?? '';
  if (value.length > MAX_VALUE)
    return { kind: 'invalid', problem: `value longer than ${MAX_VALUE} characters` };
  const reason = stringOr(fields[reasonInputId(actionId)])?.trim();
  if (reason && reason.length > MAX_REASON)
    return { kind: 'invalid', problem: `reason longer than ${MAX_REASON} characters` };
  return reason ? { kind: 'action', actionId, value, reason } : { kind: 'action', actionId, value };
}

/** True when a message activity is an `Action.Submit` from one of our cards rather than typed text. */
export function isCardSubmit(activity: IncomingActivity): boolean {
  const value = activity.value as Record<string, unknown> | undefined;
  return activity.type === 'message' && !!value && typeof value === 'object' && ACTION_MARK in value;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
