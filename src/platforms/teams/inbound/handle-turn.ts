import type { TurnContext } from '@microsoft/agents-hosting';
import { isRedisUnavailable } from '../../../runtime/redis-unavailable';
import { encodeConversationId, threadRootOf } from '../conversation-id';
import { onClick, readClick } from './on-click';
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
import { ACTIVITY_MESSAGE, answerInvoke, tellPrivately } from './replies';
import type { TurnDeps } from './turn-deps';
import { actorWithProfile, conversationOf } from './turn-parts';

export type { TurnDeps } from './turn-deps';

/** One Teams activity -> one neutral event for the engine, and the engine's answer back to Teams. */
export function createTurnHandler(deps: TurnDeps): (context: TurnContext) => Promise<void> {
  return async (context) => {
    const activity = context.activity as unknown as IncomingActivity;
    // A click's reads (the clicker's profile, the clicked card) go out with the replay check, not after it.
    const click = clickOf(activity);
    const reading = click ? readClick(deps, context, activity, click) : undefined;
    reading?.catch(() => undefined); // awaited by onClick; not unhandled meanwhile
    try {
      if (await alreadyHandled(deps, activity)) {
        deps.logger.info('teams: activity already handled, not acted on again', { type: activity.type });
        if (activity.type === 'invoke') {
          const text = deps.t('teams:alreadyHandled', undefined, activity.locale);
          await answerInvoke(context, { statusCode: 200, type: ACTIVITY_MESSAGE, value: text });
        }
        return;
      }
      if (activity.type === 'conversationUpdate' || activity.type === 'installationUpdate') {
        await onMembership(deps, context, activity);
      } else if (click && reading) {
        await onClick(deps, context, activity, click, reading);
      } else if (activity.type === 'message') {
        await onCommand(deps, context, activity);
      }
    } catch (error) {
      deps.logger.error('teams: turn failed', { type: activity.type, name: activity.name, error });
      const actor = actorOf(activity);
      // A click that could not reach Redis (down, frozen) was not recorded: say so, and to try again.
      const click = activity.type === 'invoke' || isCardSubmit(activity);
      const key = click && isRedisUnavailable(error) ? 'engine:refuse.notRecorded' : 'teams:failed';
      const text = deps.t(key, undefined, actor?.locale);
      if (activity.type === 'invoke')
        await answerInvoke(context, { statusCode: 200, type: ACTIVITY_MESSAGE, value: text });
      else if (activity.type === 'message') await context.sendActivity(text);
    }
  };
}

const ACTIVITY_TTL_SECONDS = 24 * 3600;

/** The click an activity carries: a card submit (older clients) or an `adaptiveCard/action` invoke. */
function clickOf(activity: IncomingActivity): CardClick | undefined {
  if (activity.type === 'message' && isCardSubmit(activity)) return clickOfData(activity.value);
  if (activity.type === 'invoke' && activity.name === 'adaptiveCard/action')
    return clickOfInvoke(activity.value);
  return undefined;
}

/**
 * Commands and clicks act once per activity id (the connector may redeliver; a captured activity may be
 * sent again). Card refreshes only read, so they are not counted.
 */
async function alreadyHandled(deps: TurnDeps, activity: IncomingActivity): Promise<boolean> {
  if (!deps.seen || !activity.id || !activity.conversation?.id) return false;
  const acts =
    activity.type === 'message' ||
    (activity.type === 'invoke' &&
      activity.name === 'adaptiveCard/action' &&
      clickOfInvoke(activity.value).kind !== 'refresh');
  if (!acts) return false;
  const key = `teams-activity:${activity.conversation.id.slice(0, 200)}:${activity.id.slice(0, 200)}`;
  return !(await deps.seen.firstTime(key, ACTIVITY_TTL_SECONDS));
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
