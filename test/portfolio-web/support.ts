import type { OutboundMessage } from '../../src/core/messages';
import type { AppHarness } from '../support/app-harness';

export interface Posted {
  id: string;
  message: OutboundMessage;
}

/** The playground API of a running app, as the page uses it. */
export async function playgroundApi<T>(harness: AppHarness, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${harness.baseUrl}/playground/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** `/mltrl <text>` in #ml-reviews as `as`; the private replies. */
export async function command(harness: AppHarness, as: string, text: string): Promise<Posted[]> {
  const { ephemeral } = await playgroundApi<{ ephemeral: Posted[] }>(
    harness,
    '/conversations/playground:ml-reviews/commands',
    { as, text: `/mltrl ${text}` },
  );
  return ephemeral;
}

/** The URL of the message's "Open the portfolio" link button. */
export function portfolioLink(message: OutboundMessage): string {
  for (const block of message.blocks) {
    if (block.type !== 'actions') continue;
    for (const action of block.actions) {
      if (action.type === 'button' && action.actionId === 'open-portfolio' && action.url) return action.url;
    }
  }
  throw new Error(`no portfolio link in: ${message.text.slice(0, 200)}`);
}
