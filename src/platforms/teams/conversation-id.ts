/**
 * Opaque conversation ids for the core: `teams:<base64url of the Teams conversation id>`. The Teams id of a
 * channel never carries the `;messageid=` suffix here (that names a thread, passed as `threadId`).
 */
const PREFIX = 'teams:';

export function encodeConversationId(teamsConversationId: string): string {
  return PREFIX + Buffer.from(channelConversationId(teamsConversationId), 'utf8').toString('base64url');
}

/** The Teams conversation id inside an opaque id, or undefined when it is not one of ours. */
export function decodeConversationId(conversationId: string): string | undefined {
  if (!conversationId.startsWith(PREFIX)) return undefined;
  const encoded = conversationId.slice(PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return undefined;
  const decoded = Buffer.from(encoded, 'base64url').toString('utf8');
  return decoded.length > 0 ? decoded : undefined;
}

/** `19:abc@thread.tacv2;messageid=123` -> `19:abc@thread.tacv2`. */
export function channelConversationId(teamsConversationId: string): string {
  const at = teamsConversationId.indexOf(';messageid=');
  return at === -1 ? teamsConversationId : teamsConversationId.slice(0, at);
}

/** The root message id of the reply chain a channel activity belongs to, if any. */
export function threadRootOf(teamsConversationId: string): string | undefined {
  const match = /;messageid=([^;]+)/.exec(teamsConversationId);
  return match ? match[1] : undefined;
}

/** Where to post to reach a thread: channels take the root id in the conversation id. */
export function threadConversationId(teamsConversationId: string, threadId: string): string {
  return `${channelConversationId(teamsConversationId)};messageid=${threadId}`;
}
