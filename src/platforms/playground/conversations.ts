import type { Person } from '../../core/people';

/**
 * The playground's conversations: two fixed channels and one direct-message conversation per person of
 * the people directory. Ids follow the opaque `playground:` scheme of src/core/events.ts.
 */
export const PLAYGROUND_CHANNELS = [
  { id: 'playground:ml-reviews', name: '#ml-reviews' },
  { id: 'playground:ml-leads', name: '#ml-leads' },
] as const;

const DM_PREFIX = 'playground:dm-';

export function dmConversationId(personId: string): string {
  return `${DM_PREFIX}${personId}`;
}

/** The person whose direct messages these are, or undefined for a channel or a foreign id. */
export function dmOwner(conversationId: string): string | undefined {
  return conversationId.startsWith(DM_PREFIX) ? conversationId.slice(DM_PREFIX.length) : undefined;
}

/** Accepts `ml-reviews` as well as `playground:ml-reviews`, so the API is pleasant to type by hand. */
export function normaliseConversationId(id: string): string {
  return id.startsWith('playground:') ? id : `playground:${id}`;
}

export interface ConversationInfo {
  id: string;
  name: string;
  kind: 'channel' | 'dm';
}

export function isKnownConversation(conversationId: string, people: Person[]): boolean {
  if (PLAYGROUND_CHANNELS.some((channel) => channel.id === conversationId)) return true;
  const owner = dmOwner(conversationId);
  return owner !== undefined && people.some((person) => person.id === owner);
}

/** Channels everyone sees, plus the one DM conversation of this person (the bot writes to them there). */
export function conversationsFor(person: Person): ConversationInfo[] {
  return [
    ...PLAYGROUND_CHANNELS.map((channel) => ({
      id: channel.id,
      name: channel.name,
      kind: 'channel' as const,
    })),
    { id: dmConversationId(person.id), name: 'mltrl-bot', kind: 'dm' as const },
  ];
}

/** Whether this person may read the conversation: channels are open, a DM only to its owner. */
export function canRead(conversationId: string, personId: string): boolean {
  const owner = dmOwner(conversationId);
  return owner === undefined || owner === personId;
}
