import { Activity } from '@microsoft/agents-activity';
import type { TurnContext } from '@microsoft/agents-hosting';
import type { Actor } from '../../../core/events';
import type { OutboundMessage } from '../../../core/messages';
import { ADAPTIVE_CARD, type KnownProfiles } from '../teams-cards';
import type { StoredConversation } from '../teams-store';
import type { TurnDeps } from './turn-deps';

/** An invoke answer Teams shows as a short message (refusals), leaving the card as it was. */
export const ACTIVITY_MESSAGE = 'application/vnd.microsoft.activity.message';

/** The engine's private answers: in a 1:1 chat right there, elsewhere in the person's 1:1 chat. */
export async function tellPrivately(
  deps: TurnDeps,
  context: TurnContext,
  conversation: StoredConversation,
  actor: Actor,
  messages: OutboundMessage[],
): Promise<void> {
  for (const message of messages) {
    if (conversation.conversationType !== 'personal') {
      try {
        await deps.chat.directMessage(actor.userId, message);
        continue;
      } catch (error) {
        deps.logger.warn('teams: could not reach the person 1:1, answering in the conversation', { error });
      }
    }
    await context.sendActivity(
      await deps.cards.activity(message, actor.locale, {}, { audience: 'user', userId: actor.userId }),
    );
  }
}

/** A short answer to the clicker: the invoke's message response, or a reply for older clients. */
export async function answer(context: TurnContext, isInvoke: boolean, text: string): Promise<void> {
  if (isInvoke) return answerInvoke(context, { statusCode: 200, type: ACTIVITY_MESSAGE, value: text });
  await context.sendActivity(text);
}

export async function answerCard(
  deps: TurnDeps,
  context: TurnContext,
  actor: Actor,
  message: OutboundMessage,
  known?: Promise<KnownProfiles | undefined>,
): Promise<void> {
  const view = { audience: 'user' as const, userId: actor.userId };
  const card = await deps.cards.render(message, view, actor.locale, known);
  await answerInvoke(context, { statusCode: 200, type: ADAPTIVE_CARD, value: card });
}

export async function answerInvoke(context: TurnContext, body: Record<string, unknown>): Promise<void> {
  await context.sendActivity(Activity.fromObject({ type: 'invokeResponse', value: { status: 200, body } }));
}

export async function plainText(deps: TurnDeps, messages: OutboundMessage[], actor: Actor): Promise<string> {
  const cards = await Promise.all(
    messages.map((message) =>
      deps.cards.render(message, { audience: 'user', userId: actor.userId }, actor.locale),
    ),
  );
  return cards.map((card) => String(card.fallbackText)).join('\n');
}
