/**
 * Rendered action ids carry what Slack needs and the engine does not: `mltrl:` marks our actions,
 * `reason:` says the click opens the reason modal first, and `:<n>` keeps ids unique within a message
 * (Slack refuses duplicates; the engine may repeat one, e.g. two "snooze" buttons).
 */
export const ACTION_ID_PATTERN = /^mltrl:/;
const PREFIX = 'mltrl:';
const REASON = 'reason:';

export interface ParsedActionId {
  actionId: string;
  asksReason: boolean;
}

export function renderActionId(actionId: string, asksReason: boolean, seen: Map<string, number>): string {
  const count = (seen.get(actionId) ?? 0) + 1;
  seen.set(actionId, count);
  const base = `${PREFIX}${asksReason ? REASON : ''}${actionId}`;
  return count === 1 ? base : `${base}:${count}`;
}

export function parseActionId(renderedId: string): ParsedActionId | undefined {
  if (!renderedId.startsWith(PREFIX)) return undefined;
  let rest = renderedId.slice(PREFIX.length);
  const asksReason = rest.startsWith(REASON);
  if (asksReason) rest = rest.slice(REASON.length);
  const actionId = rest.replace(/:\d+$/, '');
  return actionId ? { actionId, asksReason } : undefined;
}
