import { PermanentDeliveryError } from '../../core/errors';
import type { OutboundMessage } from '../../core/messages';
import type { PeopleDirectory } from '../../core/people';
import type { ChatPort, DeliveryOptions, PostedMessage } from '../../core/ports';
import { canRead, dmConversationId, isKnownConversation } from './conversations';
import type { WorkspaceStore } from './workspace-store';

/**
 * The delivery workers' way into the playground: writes into the Redis workspace, which publishes a
 * change for live pages. User ids are people-directory ids. Unknown targets fail permanently, exactly as
 * Slack's `channel_not_found` would, so the delivery queue tells the requester instead of retrying.
 */
export class PlaygroundChatPort implements ChatPort {
  readonly platform = 'playground' as const;

  constructor(
    private readonly store: WorkspaceStore,
    private readonly directory: PeopleDirectory,
    /** The page's address (PUBLIC_URL, else the local one), for links to messages. */
    private readonly pageUrl?: string,
  ) {}

  /** The page opened on the message's conversation with its thread (app.js reads both parameters). */
  async linkTo(message: PostedMessage): Promise<string | undefined> {
    if (!this.pageUrl) return undefined;
    const url = new URL('/', this.pageUrl);
    url.searchParams.set('conversation', message.conversationId);
    url.searchParams.set('thread', message.messageId);
    return url.toString();
  }

  async post(
    conversationId: string,
    message: OutboundMessage,
    threadId?: string,
    options?: DeliveryOptions,
  ): Promise<PostedMessage> {
    this.requireConversation(conversationId);
    const root = threadId === undefined ? undefined : await this.threadRoot(conversationId, threadId);
    const posted = await this.store.add({
      conversationId,
      message,
      threadId: root,
      idempotencyKey: options?.idempotencyKey,
    });
    return { conversationId, messageId: posted.id };
  }

  async update(target: PostedMessage, message: OutboundMessage): Promise<void> {
    const existing = await this.store.get(target.messageId);
    if (!existing || existing.conversationId !== target.conversationId) {
      throw new PermanentDeliveryError('message_not_found');
    }
    await this.store.update(target.messageId, message);
  }

  async directMessage(
    userId: string,
    message: OutboundMessage,
    options?: DeliveryOptions,
  ): Promise<PostedMessage> {
    this.requirePerson(userId);
    const conversationId = dmConversationId(userId);
    const posted = await this.store.add({ conversationId, message, idempotencyKey: options?.idempotencyKey });
    return { conversationId, messageId: posted.id };
  }

  /** Posts are idempotent here (a repeated key returns the first message), so recovery is a look-up. */
  async findPosted(idempotencyKey: string): Promise<PostedMessage | undefined> {
    const found = await this.store.findByKey(idempotencyKey);
    return found ? { conversationId: found.conversationId, messageId: found.id } : undefined;
  }

  async ephemeral(conversationId: string, userId: string, message: OutboundMessage): Promise<void> {
    this.requireConversation(conversationId);
    this.requirePerson(userId);
    if (!canRead(conversationId, userId)) throw new PermanentDeliveryError('not_in_conversation');
    await this.store.add({ conversationId, message, visibleTo: userId });
  }

  private requireConversation(conversationId: string): void {
    if (!isKnownConversation(conversationId, this.directory.people)) {
      throw new PermanentDeliveryError('channel_not_found');
    }
  }

  private requirePerson(userId: string): void {
    if (!this.directory.people.some((person) => person.id === userId)) {
      throw new PermanentDeliveryError('user_not_found');
    }
  }

  /** Replying to a reply lands in the same thread, as in Slack. */
  private async threadRoot(conversationId: string, threadId: string): Promise<string> {
    const parent = await this.store.get(threadId);
    if (!parent || parent.conversationId !== conversationId)
      throw new PermanentDeliveryError('thread_not_found');
    return parent.threadId ?? parent.id;
  }
}
