/**
 * Activity JSON shaped like what Teams sends (message with an `<at>` mention and clientInfo, conversationUpdate
 * on install, `adaptiveCard/action` invokes), with the fake connector as `serviceUrl`.
 */
export const BOT = { id: '28:mltrl-bot-app-id', name: 'mltrl' };
export const TENANT = '72f988bf-0000-4000-8000-000000000001';
export const CHANNEL = '19:ml-reviews-0001@thread.tacv2';
export const TEAM = '19:ml-team-0001@thread.tacv2';

export interface TeamsUser {
  id: string;
  name: string;
  aadObjectId: string;
}

type Json = Record<string, unknown>;
let sequence = 1_732_700_000_000;
const nextId = () => String(++sequence);

function base(serviceUrl: string, from: TeamsUser, conversation: Json): Json {
  return {
    timestamp: new Date().toISOString(),
    localTimezone: 'Europe/Berlin',
    serviceUrl,
    channelId: 'msteams',
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    conversation,
    recipient: { ...BOT },
    locale: 'en-US',
  };
}

const channelConversation = (messageId: string) => ({
  isGroup: true,
  conversationType: 'channel',
  tenantId: TENANT,
  id: `${CHANNEL};messageid=${messageId}`,
});

const personalConversation = (user: TeamsUser) => ({
  conversationType: 'personal',
  tenantId: TENANT,
  id: `a:1personal-${user.aadObjectId}`,
});

const channelData = {
  teamsChannelId: CHANNEL,
  teamsTeamId: TEAM,
  channel: { id: CHANNEL },
  team: { id: TEAM },
  tenant: { id: TENANT },
};
const clientInfo = {
  type: 'clientInfo',
  locale: 'en-US',
  country: 'US',
  platform: 'Web',
  timezone: 'Europe/Berlin',
};

/** `@mltrl <text>` posted in the channel (a new post: its own thread root). */
export function channelMention(serviceUrl: string, from: TeamsUser, text: string): Json {
  const id = nextId();
  return {
    type: 'message',
    id,
    ...base(serviceUrl, from, channelConversation(id)),
    textFormat: 'plain',
    text: `<at>${BOT.name}</at> ${text}`,
    entities: [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: { ...BOT } }, clientInfo],
    channelData,
  };
}

/** Plain words in the 1:1 chat with the bot. */
export function personalMessage(serviceUrl: string, from: TeamsUser, text: string): Json {
  return {
    type: 'message',
    id: nextId(),
    ...base(serviceUrl, from, personalConversation(from)),
    textFormat: 'plain',
    text,
    entities: [clientInfo],
    channelData: { tenant: { id: TENANT } },
  };
}

/** The app added to the team: Teams sends conversationUpdate in the General channel. */
export function installInTeam(serviceUrl: string, by: TeamsUser): Json {
  return {
    type: 'conversationUpdate',
    ...base(serviceUrl, by, { isGroup: true, conversationType: 'channel', tenantId: TENANT, id: CHANNEL }),
    membersAdded: [{ id: BOT.id }],
    channelData: { ...channelData, eventType: 'teamMemberAdded' },
  };
}

/** The app removed from the team. */
export function uninstallFromTeam(serviceUrl: string, by: TeamsUser): Json {
  return {
    type: 'conversationUpdate',
    ...base(serviceUrl, by, { isGroup: true, conversationType: 'channel', tenantId: TENANT, id: CHANNEL }),
    membersRemoved: [{ id: BOT.id }],
    channelData: { ...channelData, eventType: 'teamMemberRemoved' },
  };
}

/** A click on an `Action.Execute` of the card posted as `cardMessageId` in the channel. */
export function cardInvoke(
  serviceUrl: string,
  from: TeamsUser,
  cardMessageId: string,
  verb: string,
  data: Json,
  trigger = 'manual',
): Json {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `f:${nextId()}`,
    replyToId: cardMessageId,
    ...base(serviceUrl, from, channelConversation(cardMessageId)),
    value: { action: { type: 'Action.Execute', verb, data }, trigger },
    channelData: { ...channelData, source: { name: 'message' } },
  };
}

/** The automatic refresh a Teams client sends when a listed user sees the card. */
export function cardRefresh(serviceUrl: string, from: TeamsUser, cardMessageId: string): Json {
  return cardInvoke(serviceUrl, from, cardMessageId, 'refresh', { mltrl: 'refresh' }, 'automatic');
}

/** What an older client sends for the Action.Submit fallback: a message with the data as value. */
export function cardSubmit(serviceUrl: string, from: TeamsUser, cardMessageId: string, data: Json): Json {
  return {
    type: 'message',
    id: nextId(),
    replyToId: cardMessageId,
    ...base(serviceUrl, from, channelConversation(cardMessageId)),
    value: data,
    channelData,
  };
}
