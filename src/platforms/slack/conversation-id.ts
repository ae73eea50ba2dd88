/**
 * Slack conversation ids are `slack:<teamId>:<channelId>` (channel, DM channel, or a user id, which
 * chat.postMessage treats as that person's DM). Only this adapter decodes them.
 */
export interface SlackConversation {
  teamId: string;
  channelId: string;
}

const SLACK_ID = /^[A-Z0-9]+$/;

export function encodeConversationId(teamId: string, channelId: string): string {
  return `slack:${teamId}:${channelId}`;
}

export function decodeConversationId(conversationId: string): SlackConversation {
  const [platform, teamId, channelId, ...rest] = conversationId.split(':');
  if (
    platform !== 'slack' ||
    rest.length > 0 ||
    !SLACK_ID.test(teamId ?? '') ||
    !SLACK_ID.test(channelId ?? '')
  ) {
    throw new Error(`not a Slack conversation id: ${conversationId}`);
  }
  return { teamId, channelId };
}
