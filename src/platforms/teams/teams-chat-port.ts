import { PermanentDeliveryError } from '../../core/errors';
import type { OutboundMessage } from '../../core/messages';
import type { ChatPort, DeliveryOptions, PostedMessage } from '../../core/ports';
import type { Logger } from '../../logging/logger';
import { isBotGone, toDeliveryError } from './connector-errors';
import { decodeConversationId, encodeConversationId, threadConversationId } from './conversation-id';
import type { TeamsCards } from './teams-cards';
import type { TeamsConnector } from './teams-connector';
import type { StoredConversation, TeamsStore } from './teams-store';

/**
 * Outbound Teams messages for the delivery queue: proactive posts through stored conversation references.
 * Failures follow the ChatPort contract (see connector-errors.ts); a removed bot's references are dropped.
 */
export class TeamsChatPort implements ChatPort {
  readonly platform = 'teams' as const;

  constructor(
    private readonly store: TeamsStore,
    private readonly connector: TeamsConnector,
    private readonly cards: TeamsCards,
    private readonly logger: Logger,
  ) {}

  async post(
    conversationId: string,
    message: OutboundMessage,
    threadId?: string,
    options?: DeliveryOptions,
  ): Promise<PostedMessage> {
    const conversation = await this.conversationOf(conversationId);
    const target =
      threadId && conversation.conversationType === 'channel'
        ? threadConversationId(conversation.id, threadId)
        : conversation.id;
    return this.send(conversation, target, message, options);
  }

  async update(target: PostedMessage, message: OutboundMessage): Promise<void> {
    const conversation = await this.conversationOf(target.conversationId);
    const activity = await this.cards.activity(message, undefined, { id: target.messageId });
    try {
      const client = await this.connector.client(conversation);
      await client.updateActivity(conversation.id, target.messageId, activity);
    } catch (error) {
      // 404 here means the message is gone, not the bot: keep the conversation.
      throw toDeliveryError(error, 'update');
    }
    if (message.blocks.some((block) => block.type === 'actions')) {
      await this.store.saveCard(target.messageId, { conversationId: target.conversationId, message });
    }
  }

  async directMessage(
    userId: string,
    message: OutboundMessage,
    options?: DeliveryOptions,
  ): Promise<PostedMessage> {
    const conversation =
      (await this.store.personalConversationOf(userId)) ?? (await this.createPersonalConversation(userId));
    return this.send(conversation, conversation.id, message, options);
  }

  /** Teams has no ephemeral messages: the person gets it in their 1:1 chat with the bot. */
  async ephemeral(_conversationId: string, userId: string, message: OutboundMessage): Promise<void> {
    await this.directMessage(userId, message);
  }

  async findPosted(idempotencyKey: string): Promise<PostedMessage | undefined> {
    return this.store.posted(idempotencyKey);
  }

  private async send(
    conversation: StoredConversation,
    target: string,
    message: OutboundMessage,
    options: DeliveryOptions | undefined,
  ): Promise<PostedMessage> {
    const activity = await this.cards.activity(message);
    let messageId: string;
    try {
      const client = await this.connector.client(conversation);
      messageId = (await client.sendToConversation(target, activity)).id;
    } catch (error) {
      if (isBotGone(error)) {
        this.logger.warn('teams: bot no longer reaches the conversation, dropping its reference', {
          conversation: conversation.id,
        });
        await this.store.dropConversation(conversation.id);
      }
      throw toDeliveryError(error, 'post');
    }
    const posted = { conversationId: encodeConversationId(conversation.id), messageId };
    if (message.blocks.some((block) => block.type === 'actions')) {
      await this.store.saveCard(messageId, { conversationId: posted.conversationId, message });
    }
    if (options?.idempotencyKey) await this.store.savePosted(options.idempotencyKey, posted);
    return posted;
  }

  private async conversationOf(conversationId: string): Promise<StoredConversation> {
    const teamsId = decodeConversationId(conversationId);
    const conversation = teamsId ? await this.store.conversation(teamsId) : undefined;
    if (!conversation)
      throw new PermanentDeliveryError(
        'conversation-unknown',
        `no Teams conversation reference for ${conversationId}`,
      );
    return conversation;
  }

  /** A 1:1 chat the bot has not had yet: created through the Bot Connector in the user's tenant. */
  private async createPersonalConversation(userId: string): Promise<StoredConversation> {
    const profile = await this.store.profile(userId);
    const tenant = await this.store.tenant(profile?.tenantId);
    if (!tenant)
      throw new PermanentDeliveryError(
        'no-installation',
        `the Teams app is not installed anywhere that reaches ${userId}`,
      );
    let id: string;
    try {
      const client = await this.connector.client({
        id: userId,
        serviceUrl: tenant.serviceUrl,
        tenantId: tenant.tenantId,
        botId: tenant.botId,
      });
      const created = await client.createConversation({
        isGroup: false,
        agent: { id: tenant.botId },
        members: [{ id: userId }],
        tenantId: tenant.tenantId,
        channelData: { tenant: { id: tenant.tenantId } },
      } as unknown as Parameters<typeof client.createConversation>[0]);
      id = created.id;
    } catch (error) {
      throw toDeliveryError(error, 'create 1:1 chat');
    }
    const conversation: StoredConversation = {
      id,
      serviceUrl: tenant.serviceUrl,
      tenantId: tenant.tenantId,
      conversationType: 'personal',
      botId: tenant.botId,
      userId,
    };
    await this.store.saveConversation(conversation);
    return conversation;
  }
}
