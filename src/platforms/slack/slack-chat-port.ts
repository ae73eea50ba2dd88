import type { WebClient } from '@slack/web-api';
import { CannotTellError, PermanentDeliveryError } from '../../core/errors';
import type { OutboundMessage } from '../../core/messages';
import type { ChatPort, DeliveryOptions, PostedMessage, PostedWhere, Translate } from '../../core/ports';
import type { Logger } from '../../logging/logger';
import { decodeConversationId, encodeConversationId } from './conversation-id';
import { renderMessage } from './render/render-message';
import type { SlackClients } from './slack-clients';
import { callSlack, callSlackPost } from './slack-errors';

const isUserId = (id: string) => /^[UW]/.test(id);

/** The message metadata event type that carries a post's delivery key (`event_payload.delivery_key`). */
export const DELIVERY_EVENT_TYPE = 'mltrl_delivery';
/** How far before the uncertain attempt began a look-up reaches back (clock skew between us and Slack). */
const LOOKBACK_MS = 5 * 60_000;
/** History pages of 200 messages read before giving up ("cannot tell"). */
const MAX_PAGES = 5;

interface HistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}
const CHANNEL_REFUSALS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'channel_is_archived',
]);

export interface SlackChatPortOptions {
  clients: SlackClients;
  t: Translate;
  locale: string;
  logger: Logger;
}

/**
 * The delivery workers' way into Slack. Failures come out as RateLimitedError (429: wait Retry-After),
 * PermanentDeliveryError (channel_not_found, not_in_channel, ...), AmbiguousDeliveryError (a post Slack
 * may have stored: 5xx, time-out) or transient errors (retried). Every post carries its delivery key in
 * message metadata, so `findPosted` can find it in conversations.history / conversations.replies.
 */
export class SlackChatPort implements ChatPort {
  readonly platform = 'slack' as const;

  constructor(private readonly options: SlackChatPortOptions) {}

  private render(message: OutboundMessage) {
    return renderMessage(message, { t: this.options.t, locale: message.locale ?? this.options.locale });
  }

  async post(
    conversationId: string,
    message: OutboundMessage,
    threadId?: string,
    options?: DeliveryOptions,
  ): Promise<PostedMessage> {
    const { teamId, channelId } = decodeConversationId(conversationId);
    const client = await callSlack(() => this.options.clients.forTeam(teamId));
    return this.postWith(client, teamId, channelId, message, threadId, options?.idempotencyKey);
  }

  /**
   * The message posted earlier with this delivery key, from Slack's own copy (message metadata), in the
   * conversation's history or, for a reply, its thread. Throws CannotTellError when the history is too
   * long to search back to when the attempt began.
   */
  async findPosted(idempotencyKey: string, where: PostedWhere): Promise<PostedMessage | undefined> {
    let teamId: string;
    let channelId: string;
    if (where.conversationId) {
      ({ teamId, channelId } = decodeConversationId(where.conversationId));
    } else if (where.userId) {
      teamId = await callSlack(() => this.options.clients.teamOfUser(where.userId!));
      const client = await callSlack(() => this.options.clients.forTeam(teamId));
      const opened = await callSlack(() => client.conversations.open({ users: where.userId! }));
      if (!opened.channel?.id) throw new Error(`conversations.open returned no channel for ${where.userId}`);
      channelId = opened.channel.id;
    } else {
      return undefined;
    }
    if (isUserId(channelId)) return undefined;
    const client = await callSlack(() => this.options.clients.forTeam(teamId));
    const oldest = where.since === undefined ? undefined : ((where.since - LOOKBACK_MS) / 1000).toFixed(6);
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const common = { channel: channelId, include_all_metadata: true, limit: 200, oldest, cursor };
      const result = where.threadId
        ? await callSlack(() => client.conversations.replies({ ...common, ts: where.threadId! }))
        : await callSlack(() => client.conversations.history(common));
      const found = ((result.messages ?? []) as HistoryMessage[]).find(
        (candidate) =>
          candidate.metadata?.event_type === DELIVERY_EVENT_TYPE &&
          candidate.metadata.event_payload?.delivery_key === idempotencyKey,
      );
      if (found?.ts) return { conversationId: encodeConversationId(teamId, channelId), messageId: found.ts };
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    throw new CannotTellError(`more than ${MAX_PAGES * 200} messages to search for ${idempotencyKey}`);
  }

  /** Slack's own permalink to the message (chat.getPermalink), which opens its thread. */
  async linkTo(message: PostedMessage): Promise<string | undefined> {
    const { teamId, channelId } = decodeConversationId(message.conversationId);
    const client = await callSlack(() => this.options.clients.forTeam(teamId));
    const answer = await callSlack(() =>
      client.chat.getPermalink({ channel: channelId, message_ts: message.messageId }),
    );
    return answer.permalink;
  }

  async update(target: PostedMessage, message: OutboundMessage): Promise<void> {
    const { teamId, channelId } = decodeConversationId(target.conversationId);
    const client = await callSlack(() => this.options.clients.forTeam(teamId));
    const payload = this.render(message);
    await callSlack(() => client.chat.update({ channel: channelId, ts: target.messageId, ...payload }));
  }

  async directMessage(
    userId: string,
    message: OutboundMessage,
    options?: DeliveryOptions,
  ): Promise<PostedMessage> {
    const teamId = await callSlack(() => this.options.clients.teamOfUser(userId));
    const client = await callSlack(() => this.options.clients.forTeam(teamId));
    const opened = await callSlack(() => client.conversations.open({ users: userId }));
    const channelId = opened.channel?.id;
    if (!channelId) throw new Error(`conversations.open returned no channel for ${userId}`);
    return this.postWith(client, teamId, channelId, message, undefined, options?.idempotencyKey);
  }

  async ephemeral(conversationId: string, userId: string, message: OutboundMessage): Promise<void> {
    const { teamId, channelId } = decodeConversationId(conversationId);
    // A person's own "conversation" (App Home clicks) takes no ephemeral message: a DM says it privately.
    if (isUserId(channelId)) {
      await this.directMessage(userId, message);
      return;
    }
    const client = await callSlack(() => this.options.clients.forTeam(teamId));
    try {
      await callSlack(() =>
        client.chat.postEphemeral({ channel: channelId, user: userId, ...this.render(message) }),
      );
    } catch (error) {
      // The channel refuses us (often the very reason for this notice): tell the person in a DM instead.
      if (!(error instanceof PermanentDeliveryError) || !CHANNEL_REFUSALS.has(error.reason)) throw error;
      await this.directMessage(userId, message);
    }
  }

  private async postWith(
    client: WebClient,
    teamId: string,
    channelId: string,
    message: OutboundMessage,
    threadId?: string,
    deliveryKey?: string,
  ): Promise<PostedMessage> {
    const result = await callSlackPost(() =>
      client.chat.postMessage({
        channel: channelId,
        ...this.render(message),
        ...(threadId ? { thread_ts: threadId } : {}),
        ...(deliveryKey
          ? { metadata: { event_type: DELIVERY_EVENT_TYPE, event_payload: { delivery_key: deliveryKey } } }
          : {}),
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
    if (!result.ts) throw new Error('chat.postMessage returned no ts');
    const posted = {
      conversationId: encodeConversationId(teamId, result.channel ?? channelId),
      messageId: result.ts,
    };
    await this.shareImages(client, result.channel ?? channelId, result.ts, threadId, message);
    return posted;
  }

  /**
   * Charts (PNG bytes) follow the message as file shares in the same thread. The message is already
   * posted, so a failed upload is logged, never thrown: a retry would post the message twice.
   */
  private async shareImages(
    client: WebClient,
    channelId: string,
    ts: string,
    threadId: string | undefined,
    message: OutboundMessage,
  ): Promise<void> {
    for (const block of message.blocks) {
      if (block.type !== 'image' || !block.pngBase64 || block.url) continue;
      try {
        await client.files.uploadV2({
          channel_id: channelId,
          thread_ts: threadId ?? ts,
          file: Buffer.from(block.pngBase64, 'base64'),
          filename: 'chart.png',
          title: block.alt.slice(0, 250),
          alt_text: block.alt.slice(0, 1000),
        });
      } catch (error) {
        this.options.logger.warn('slack: chart upload failed; the message was posted without it', { error });
      }
    }
  }
}
