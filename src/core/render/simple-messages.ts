import { COMMAND_NAMES, type CommandName, type ParseProblem } from '../commands';
import type { AuditEvent } from '../engine/store-ports';
import { plainTimes, type MessageBlock, type MessageKind, type OutboundMessage } from '../messages';
import { cappedList, formatDateTime, textOf, tr, type RenderEnv } from './format';

/** One-line messages: confirmations, refusals, notices. */
export function renderLine(kind: MessageKind, text: string, locale?: string): OutboundMessage {
  return { kind, text: plainTimes(text), blocks: [{ type: 'text', text }], ...(locale && { locale }) };
}

/** A malformed command: what is wrong, then that command's usage (or the command list). */
export function renderUsage(error: ParseProblem, env: RenderEnv): OutboundMessage {
  const problem = tr(env, `parse.${error.problem}`, error.params);
  const usage = error.command
    ? [tr(env, `usage.${error.command}`)]
    : COMMAND_NAMES.map((name) => tr(env, `usage.${name}`));
  const blocks: MessageBlock[] = [
    { type: 'text', text: problem },
    { type: 'list', title: tr(env, 'usage.title'), items: usage },
  ];
  return { kind: 'usage', text: textOf(blocks), blocks, locale: env.locale };
}

/** `help`: every command with one line, then the MLTRL one-liner. */
/** `docsUrl`: the project's docs (DOCS_URL), linked whatever PUBLIC_URL is. */
export function renderHelp(env: RenderEnv, docsUrl?: string): OutboundMessage {
  const items = COMMAND_NAMES.map(
    (name: CommandName) => `${tr(env, `usage.${name}`)}: ${tr(env, `help.${name}`)}`,
  );
  const blocks: MessageBlock[] = [
    { type: 'header', text: tr(env, 'help.title') },
    { type: 'list', items },
    { type: 'text', text: tr(env, 'help.mltrl') },
    // The MLTRL words, explained once (UX.md), so no message has to.
    {
      type: 'list',
      title: tr(env, 'help.wordsTitle'),
      items: ['level', 'gate', 'card', 'switchback'].map((word) => tr(env, `help.words.${word}`)),
    },
    {
      type: 'context',
      text: docsUrl ? tr(env, 'help.readmeLink', { url: docsUrl }) : tr(env, 'help.readme'),
    },
  ];
  return { kind: 'help', text: textOf(blocks), blocks, locale: env.locale };
}

export const HISTORY_CAP = 25;

/** `history <project>`: the audit trail, newest last, capped with a count of what is left out. */
export function renderHistory(projectId: string, events: AuditEvent[], env: RenderEnv): OutboundMessage {
  if (events.length === 0)
    return renderLine('history', tr(env, 'history.empty', { id: projectId }), env.locale);
  const shown = events.slice(-HISTORY_CAP);
  const lines = shown.map((event) => historyLine(event, env));
  const blocks: MessageBlock[] = [{ type: 'header', text: tr(env, 'history.title', { id: projectId }) }];
  const list = cappedList(lines, env, { cap: HISTORY_CAP });
  if (events.length > HISTORY_CAP)
    list.more = tr(env, 'list.more', { count: events.length - HISTORY_CAP, hint: '' });
  blocks.push(list);
  return { kind: 'history', text: textOf(blocks), blocks, locale: env.locale };
}

function historyLine(event: AuditEvent, env: RenderEnv): string {
  const data = event.data ?? {};
  const when = formatDateTime(event.at, env);
  // A delegate's vote reads "Priya for Sam", a reminder sent to a delegate "Priya for Sam" too.
  const forWhom = (delegate: unknown, voter: unknown) =>
    tr(env, 'delegation.for', { delegate: String(delegate), voter: String(voter) });
  const named = String(data.who ?? event.actor);
  const who = data.by !== undefined ? forWhom(data.by, named) : named;
  const to = data.for !== undefined ? forWhom(data.to, data.for) : data.to;
  const until = typeof data.until === 'string' ? formatDateTime(data.until, env) : data.until;
  const line = tr(env, `history.event.${event.type}`, {
    ...data,
    when,
    who,
    to,
    until,
    revision: event.revision ?? '',
  });
  // Request-changes and switchback votes carry their reason: the trail says why, not only what.
  const reason = (event.type === 'voted' || event.type === 'vote-changed') && data.reason;
  return reason ? tr(env, 'history.because', { line, reason: String(reason) }) : line;
}
