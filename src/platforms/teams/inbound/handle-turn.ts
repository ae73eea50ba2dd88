import { Activity } from '@microsoft/agents-activity';
import type { ConnectorClient, TurnContext } from '@microsoft/agents-hosting';
import type { Engine } from '../../../core/engine-api';
import type { Actor, EngineReply } from '../../../core/events';
import type { OutboundMessage } from '../../../core/messages';
import type { Translate } from '../../../core/ports';
import type { Logger } from '../../../logging/logger';
import { channelConversationId, encodeConversationId, threadRootOf } from '../conversation-id';
import { ADAPTIVE_CARD, type TeamsCards } from '../teams-cards';
import type { TeamsChatPort } from '../teams-chat-port';
import type { TeamsPeople } from '../teams-people';
import type { StoredConversation, TeamsStore } from '../teams-store';
import {
  actorOf,
  clickOfData,
  clickOfInvoke,
  commandTextOf,
  isAddressedToBot,
  isCardSubmit,
  type CardClick,
  type IncomingActivity,
} from './read-activity';

export interface TurnDeps {
  engine: Engine;
  store: TeamsStore;
  people: TeamsPeople;
  cards: TeamsCards;
  chat: TeamsChatPort;
  t: Translate;
  logger: Logger;
  /** The adapter's turn-state key of the turn's Bot Connector client. */
  connectorKey: symbol;
}

const ACTIVITY_MESSAGE = 'application/vnd.microsoft.activity.message';

/** One Teams activity -> one neutral event for the engine, and the engine's answer back to Teams. */
export function createTurnHandler(deps: TurnDeps): (context: TurnContext) => Promise<void> {
  return async (context) => {
    const activity = context.activity as unknown as IncomingActivity;
    try {
      if (activity.type === 'conversationUpdate' || activity.type === 'installationUpdate') {
        await onMembership(deps, context, activity);
      } else if (activity.type === 'message' && isCardSubmit(activity)) {
        await onClick(deps, context, activity, clickOfData(activity.value));
      } else if (activity.type === 'message') {
        await onCommand(deps, context, activity);
      } else if (activity.type === 'invoke' && activity.name === 'adaptiveCard/action') {
        await onClick(deps, context, activity, clickOfInvoke(activity.value));
      }
    } catch (error) {
      deps.logger.error('teams: turn failed', { type: activity.type, name: activity.name, error });
      const actor = actorOf(activity);
      const text = deps.t('teams:failed', undefined, actor?.locale);
      if (activity.type === 'invoke')
        await answerInvoke(context, { statusCode: 200, type: ACTIVITY_MESSAGE, value: text });
      else if (activity.type === 'message') await context.sendActivity(text);
    }
  };
}

async function onMembership(deps: TurnDeps, context: TurnContext, activity: IncomingActivity): Promise<void> {
  const botId = activity.recipient?.id;
  const raw = activity as unknown as {
    membersAdded?: { id?: string }[];
    membersRemoved?: { id?: string }[];
    action?: string;
  };
  const added = raw.membersAdded?.some((member) => member.id === botId) || raw.action?.startsWith('add');
  const removed = raw.membersRemoved?.some((member) => member.id === botId) || raw.action === 'remove';
  const conversation = conversationOf(activity);
  if (!conversation) return;
  if (removed) {
    await deps.store.dropConversation(conversation.id);
    deps.logger.info('teams: removed from a conversation, reference dropped', {
      conversation: conversation.id,
    });
    return;
  }
  if (!added) return;
  await deps.store.saveConversation(conversation);
  deps.logger.info('teams: installed in a conversation', {
    conversation: conversation.id,
    type: conversation.conversationType,
  });
  // Teams sends both installationUpdate and conversationUpdate on install: say hello once.
  if (activity.type !== 'conversationUpdate') return;
  const key = conversation.conversationType === 'personal' ? 'teams:installedPersonal' : 'teams:installed';
  await context.sendActivity(deps.t(key, undefined, activity.locale));
}

async function onCommand(deps: TurnDeps, context: TurnContext, activity: IncomingActivity): Promise<void> {
  if (!isAddressedToBot(activity)) return;
  const conversation = conversationOf(activity);
  const actor = await actorWithProfile(deps, context, activity);
  if (!conversation || !actor) return;
  await deps.store.touchConversation(conversation);
  const root = threadRootOf(activity.conversation!.id);
  const reply = await deps.engine.handle({
    type: 'command',
    actor,
    conversationId: encodeConversationId(conversation.id),
    text: commandTextOf(activity) || 'help',
    ...(root && root !== activity.id ? { threadId: root } : {}),
  });
  await tellPrivately(deps, context, conversation, actor, reply.ephemeral);
}

async function onClick(
  deps: TurnDeps,
  context: TurnContext,
  activity: IncomingActivity,
  click: CardClick,
): Promise<void> {
  const isInvoke = activity.type === 'invoke';
  const actor = await actorWithProfile(deps, context, activity);
  const conversation = conversationOf(activity);
  const messageId = activity.replyToId;
  if (!actor || !conversation || click.kind === 'invalid') {
    deps.logger.warn('teams: unreadable card action', {
      problem: click.kind === 'invalid' ? click.problem : 'no actor',
    });
    return answer(context, isInvoke, deps.t('teams:cannotRead', undefined, actor?.locale));
  }
  await deps.store.touchConversation(conversation);
  const stored = messageId ? await deps.store.card(messageId) : undefined;
  if (click.kind === 'refresh') {
    if (!stored) return answer(context, isInvoke, deps.t('teams:notSaved', undefined, actor.locale));
    return answerCard(deps, context, actor, stored.message);
  }
  const conversationId = stored?.conversationId ?? encodeConversationId(conversation.id);
  const reply: EngineReply = await deps.engine.handle({
    type: 'action',
    actor,
    conversationId,
    ...(messageId ? { messageId } : {}),
    actionId: click.actionId,
    value: click.value,
    ...(click.reason ? { reason: click.reason } : {}),
  });
  if (reply.updated && messageId) {
    // The clicker sees the new card at once; everyone else's copy is updated by the engine's delivery
    // queue (rate-limited, retried), so it is not updated here a second time.
    await deps.store.saveCard(messageId, { conversationId, message: reply.updated });
    if (isInvoke) await answerCard(deps, context, actor, reply.updated);
    // The new card is the confirmation; only what it cannot say goes to the person privately.
    const extra = reply.ephemeral.filter((message) => message.kind !== 'notice');
    if (extra.length > 0) await tellPrivately(deps, context, conversation, actor, extra);
    return;
  }
  if (isInvoke) {
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

/** The engine's private answers: in a 1:1 chat right there, elsewhere in the person's 1:1 chat. */
async function tellPrivately(
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
async function answer(context: TurnContext, isInvoke: boolean, text: string): Promise<void> {
  if (isInvoke) return answerInvoke(context, { statusCode: 200, type: ACTIVITY_MESSAGE, value: text });
  await context.sendActivity(text);
}

async function answerCard(
  deps: TurnDeps,
  context: TurnContext,
  actor: Actor,
  message: OutboundMessage,
): Promise<void> {
  const card = await deps.cards.render(message, { audience: 'user', userId: actor.userId }, actor.locale);
  await answerInvoke(context, { statusCode: 200, type: ADAPTIVE_CARD, value: card });
}

async function answerInvoke(context: TurnContext, body: Record<string, unknown>): Promise<void> {
  await context.sendActivity(Activity.fromObject({ type: 'invokeResponse', value: { status: 200, body } }));
}

async function plainText(deps: TurnDeps, messages: OutboundMessage[], actor: Actor): Promise<string> {
  const cards = await Promise.all(
    messages.map((message) =>
      deps.cards.render(message, { audience: 'user', userId: actor.userId }, actor.locale),
    ),
  );
  return cards.map((card) => String(card.fallbackText)).join('\n');
}

async function actorWithProfile(
  deps: TurnDeps,
  context: TurnContext,
  activity: IncomingActivity,
): Promise<Actor | undefined> {
  const actor = actorOf(activity);
  if (!actor || !activity.conversation) return actor;
  const client = context.turnState.get<ConnectorClient | undefined>(deps.connectorKey);
  const profile = client
    ? await deps.people.memberOf(client, activity.conversation.id, actor.userId)
    : undefined;
  if (profile?.email) actor.email = profile.email;
  if (!actor.name && profile?.name) actor.name = profile.name;
  // The roster has no time zone or language; the client tells them, and nudges want them later.
  if (
    profile &&
    ((actor.tz && actor.tz !== profile.tz) || (actor.locale && actor.locale !== profile.locale))
  ) {
    await deps.store.saveProfile({
      ...profile,
      tz: actor.tz ?? profile.tz,
      locale: actor.locale ?? profile.locale,
    });
  }
  return actor;
}

function conversationOf(activity: IncomingActivity): StoredConversation | undefined {
  const conversation = activity.conversation;
  const serviceUrl = (activity as { serviceUrl?: string }).serviceUrl;
  if (!conversation?.id || !serviceUrl || !activity.recipient?.id) return undefined;
  const tenant = (activity.channelData?.tenant as { id?: string } | undefined)?.id ?? conversation.tenantId;
  const type = conversation.conversationType ?? 'personal';
  const stored: StoredConversation = {
    id: channelConversationId(conversation.id),
    serviceUrl,
    conversationType: type,
    botId: activity.recipient.id,
  };
  if (tenant) stored.tenantId = tenant;
  if (activity.recipient.name) stored.botName = activity.recipient.name;
  if (type === 'personal' && activity.from?.id) stored.userId = activity.from.id;
  return stored;
}
