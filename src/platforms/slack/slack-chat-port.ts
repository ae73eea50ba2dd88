import type { WebClient } from '@slack/web-api';
import { PermanentDeliveryError } from '../../core/errors';
import type { OutboundMessage } from '../../core/messages';
import type { ChatPort, PostedMessage, Translate } from '../../core/ports';
import type { Logger } from '../../logging/logger';
import { decodeConversationId, encodeConversationId } from './conversation-id';
import { renderMessage } from './render/render-message';
import type { SlackClients } from './slack-clients';
import { callSlack } from './slack-errors';

const isUserId = (id: string) => /^[UW]/.test(id);
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
 * PermanentDeliveryError (channel_not_found, not_in_channel, ...) or transient errors (retried).
 */
export class SlackChatPort implements ChatPort {
  readonly platform = 'slack' as const;

  constructor(private readonly options: SlackChatPortOptions) {}

  private render(message: OutboundMessage) {
    return renderMessage(message, { t: this.options.t, locale: this.options.locale });
  }

  async post(conversationId: string, message: OutboundMessage, threadId?: string): Promise<PostedMessage> {
    const { teamId, channelId } = decodeConversationId(conversationId);
    const client = await callSlack(() => this.options.clients.forTeam(teamId));
    return this.postWith(client, teamId, channelId, message, threadId);
  }

  async update(target: PostedMessage, message: OutboundMessage): Promise<void> {
    const { teamId, channelId } = decodeConversationId(target.conversationId);
    const client = await callSlack(() => this.options.clients.forTeam(teamId));
    const payload = this.render(message);
    await callSlack(() => client.chat.update({ channel: channelId, ts: target.messageId, ...payload }));
  }

  async directMessage(userId: string, message: OutboundMessage): Promise<PostedMessage> {
    const teamId = await callSlack(() => this.options.clients.teamOfUser(userId));
    const client = await callSlack(() => this.options.clients.forTeam(teamId));
    const opened = await callSlack(() => client.conversations.open({ users: userId }));
    const channelId = opened.channel?.id;
    if (!channelId) throw new Error(`conversations.open returned no channel for ${userId}`);
    return this.postWith(client, teamId, channelId, message);
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
  ): Promise<PostedMessage> {
    const result = await callSlack(() =>
      client.chat.postMessage({
        channel: channelId,
        ...this.render(message),
        ...(threadId ? { thread_ts: threadId } : {}),
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
