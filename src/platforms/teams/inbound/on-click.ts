import type { TurnContext } from '@microsoft/agents-hosting';
import { encodeConversationId } from '../conversation-id';
import type { CardClick, IncomingActivity } from './read-activity';
import { ACTIVITY_MESSAGE, answer, answerCard, answerInvoke, plainText, tellPrivately } from './replies';
import type { TurnDeps } from './turn-deps';
import { actorWithProfile, conversationOf } from './turn-parts';

/** The clicker's profile and the card they clicked, read in one round trip. */
export function readClick(
  deps: TurnDeps,
  context: TurnContext,
  activity: IncomingActivity,
  click: CardClick,
) {
  const messageId = activity.replyToId;
  return Promise.all([
    actorWithProfile(deps, context, activity),
    messageId && click.kind !== 'invalid' ? deps.store.card(messageId) : undefined,
  ]);
}

/**
 * A click on a card: `Action.Execute` (an invoke, answered with the clicker's new card or a short refusal)
 * or the `Action.Submit` fallback of older clients (a message; the card updates through the delivery queue).
 */
export async function onClick(
  deps: TurnDeps,
  context: TurnContext,
  activity: IncomingActivity,
  click: CardClick,
  /** readClick's answer, started by the caller beside its replay check. */
  reading: ReturnType<typeof readClick>,
): Promise<void> {
  const isInvoke = activity.type === 'invoke';
  const messageId = activity.replyToId;
  const [actor, stored] = await reading;
  const conversation = conversationOf(activity);
  if (!actor || !conversation || click.kind === 'invalid') {
    deps.logger.warn('teams: unreadable card action', {
      problem: click.kind === 'invalid' ? click.problem : 'no actor',
    });
    return answer(context, isInvoke, deps.t('teams:cannotRead', undefined, actor?.locale));
  }
  if (click.kind === 'refresh') {
    await deps.store.touchConversation(conversation);
    if (!stored) return answer(context, isInvoke, deps.t('teams:notSaved', undefined, actor.locale));
    return answerCard(deps, context, actor, stored.message);
  }
  const conversationId = stored?.conversationId ?? encodeConversationId(conversation.id);
  // The names on the clicked card are read while the engine works (the new card names the same people).
  const names = isInvoke && stored ? deps.cards.mentionedProfiles(stored.message) : undefined;
  names?.catch(() => undefined); // a failed read is read again when rendering
  // Remembering the conversation does not wait for the engine, nor the engine for it.
  const [reply] = await Promise.all([
    deps.engine.handle({
      type: 'action',
      actor,
      conversationId,
      ...(messageId ? { messageId } : {}),
      actionId: click.actionId,
      value: click.value,
      ...(click.reason ? { reason: click.reason } : {}),
    }),
    deps.store.touchConversation(conversation),
  ]);
  if (reply.updated && messageId) {
    // The clicker sees the new card at once; everyone else's copy is updated by the engine's delivery
    // queue (rate-limited, retried), so it is not updated here a second time. Saving it for the next
    // refresh and answering happen together.
    await Promise.all([
      deps.store.saveCard(messageId, { conversationId, message: reply.updated }, stored),
      isInvoke ? answerCard(deps, context, actor, reply.updated, names) : undefined,
    ]);
    // The new card is the confirmation; only what it cannot say goes to the person privately.
    const extra = reply.ephemeral.filter((message) => message.kind !== 'notice');
    if (extra.length > 0) await tellPrivately(deps, context, conversation, actor, extra);
    return;
  }
  if (isInvoke) {
    // The portfolio is long and carries its page link as a button, which an invoke's short text answer
    // cannot: it goes to the person's 1:1 chat as a card, and the answer says where to find it.
    const portfolio = reply.ephemeral.filter((message) => message.kind === 'portfolio');
    if (portfolio.length > 0) {
      await tellPrivately(deps, context, conversation, actor, portfolio);
      return answer(context, true, deps.t('teams:portfolioSent', undefined, actor.locale));
    }
    const text = reply.ephemeral.length > 0 ? await plainText(deps, reply.ephemeral, actor) : undefined;
    if (text) return answerInvoke(context, { statusCode: 200, type: ACTIVITY_MESSAGE, value: text });
    if (stored) return answerCard(deps, context, actor, stored.message);
    return answerInvoke(context, {
      statusCode: 200,
      type: ACTIVITY_MESSAGE,
      value: deps.t('teams:notSaved', undefined, actor.locale),
    });
  }
  await tellPrivately(deps, context, conversation, actor, reply.ephemeral);
}
