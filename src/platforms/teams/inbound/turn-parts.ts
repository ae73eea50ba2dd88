import type { ConnectorClient, TurnContext } from '@microsoft/agents-hosting';
import type { Actor } from '../../../core/events';
import { channelConversationId } from '../conversation-id';
import type { StoredConversation } from '../teams-store';
import { actorOf, type IncomingActivity } from './read-activity';
import type { TurnDeps } from './turn-deps';

/** The actor of an activity with e-mail and name from the roster (cached); remembers their tz and locale. */
export async function actorWithProfile(
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

/** The conversation reference an activity gives, for proactive messages later. */
export function conversationOf(activity: IncomingActivity): StoredConversation | undefined {
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
