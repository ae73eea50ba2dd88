import {
  AmbiguousDeliveryError,
  BotError,
  CannotTellError,
  PermanentDeliveryError,
  RateLimitedError,
} from '../../core/errors';
import type { OutboundMessage } from '../../core/messages';
import type { ChatPort, DeliveryOptions, PostedMessage, UpdateOrder } from '../../core/ports';
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

  async update(target: PostedMessage, message: OutboundMessage, order?: UpdateOrder): Promise<void> {
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
      // Only while no newer update was queued: a click saves its newer card itself, and this older
      // version, sent meanwhile, must not replace it.
      const card = { conversationId: target.conversationId, message };
      if (order) await this.store.saveCardInOrder(target.messageId, card, order);
      else await this.store.saveCard(target.messageId, card);
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

  /**
   * The Bot Connector cannot list a conversation's messages, so the port keeps its own marks: where a
   * post landed (written once the connector answered), and that a post was about to be sent. A key with
   * neither never reached Teams (post it); one that was being sent with no answer recorded cannot be
   * told apart (CannotTellError: the queue does not post it twice and tells the requester).
   */
  async findPosted(idempotencyKey: string): Promise<PostedMessage | undefined> {
    const posted = await this.store.posted(idempotencyKey);
    if (posted) return posted;
    if (await this.store.wasSending(idempotencyKey))
      throw new CannotTellError(`Teams may or may not have ${idempotencyKey}; the connector cannot list it`);
    return undefined;
  }

  private async send(
    conversation: StoredConversation,
    target: string,
    message: OutboundMessage,
    options: DeliveryOptions | undefined,
  ): Promise<PostedMessage> {
    const activity = await this.cards.activity(message);
    let messageId: string;
    let client: Awaited<ReturnType<TeamsConnector['client']>>;
    try {
      client = await this.connector.client(conversation);
    } catch (error) {
      throw toDeliveryError(error, 'post');
    }
    if (options?.idempotencyKey) await this.store.markSending(options.idempotencyKey);
    try {
      messageId = (await client.sendToConversation(target, activity)).id;
    } catch (error) {
      if (isBotGone(error)) {
        this.logger.warn('teams: bot no longer reaches the conversation, dropping its reference', {
          conversation: conversation.id,
        });
        await this.store.dropConversation(conversation.id);
      }
      const mapped = toDeliveryError(error, 'post');
      // A 5xx, a time-out or a dropped connection: Teams may have the message. The queue asks findPosted.
      if (
        !(mapped instanceof RateLimitedError || mapped instanceof PermanentDeliveryError) &&
        !notSent(error)
      )
        throw new AmbiguousDeliveryError(mapped.message, { cause: error });
      throw mapped;
    }
    const posted = { conversationId: encodeConversationId(conversation.id), messageId };
    if (message.blocks.some((block) => block.type === 'actions')) {
      await this.store.saveCard(messageId, { conversationId: posted.conversationId, message });
    }
    if (options?.idempotencyKey) await this.store.savePosted(options.idempotencyKey, posted);
    return posted;
  }

  /**
   * A Teams deep link to the message (`/l/message/<conversation>/<message id>`); a channel message also
   * names its tenant and, being a thread's root, itself as the parent, so Teams opens its replies.
   */
  async linkTo(message: PostedMessage): Promise<string | undefined> {
    const teamsId = decodeConversationId(message.conversationId);
    if (!teamsId) return undefined;
    const conversation = await this.store.conversation(teamsId);
    const url = new URL(
      `https://teams.microsoft.com/l/message/${encodeURIComponent(teamsId)}/${encodeURIComponent(message.messageId)}`,
    );
    if (conversation?.tenantId) url.searchParams.set('tenantId', conversation.tenantId);
    if (conversation?.conversationType === 'channel')
      url.searchParams.set('parentMessageId', message.messageId);
    return url.toString();
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

/** Errors raised before the request left (connection refused, unknown host): Teams never saw the post. */
function notSent(error: unknown): boolean {
  if (error instanceof BotError) return true;
  const code = (error as { code?: unknown; cause?: { code?: unknown } } | undefined)?.code;
  const causeCode = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return [code, causeCode].some(
    (value) => value === 'ECONNREFUSED' || value === 'ENOTFOUND' || value === 'EAI_AGAIN',
  );
}
