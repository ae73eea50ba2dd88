import type { RespondFn } from '@slack/bolt';
import type { OutboundMessage } from '../../../core/messages';
import { encodeConversationId } from '../conversation-id';
import { renderMessage } from '../render/render-message';
import type { ListenerDeps } from './listener-deps';

export interface PrivateReplyTarget {
  teamId: string;
  userId: string;
  /** The channel the request came from; absent for App Home clicks. */
  channelId?: string;
  /** Bolt's respond() when the payload had a response_url. */
  respond?: RespondFn;
  locale?: string;
}

/**
 * Answers only the person who asked: through the response_url when there is one (works in channels the
 * bot is not in), else chat.postEphemeral in the channel, else (App Home) a direct message.
 */
export async function replyPrivately(
  deps: ListenerDeps,
  target: PrivateReplyTarget,
  messages: OutboundMessage[],
): Promise<void> {
  for (const message of messages) {
    try {
      if (target.respond) {
        const payload = renderMessage(message, { t: deps.t, locale: message.locale ?? target.locale });
        await target.respond({ response_type: 'ephemeral', replace_original: false, ...payload });
      } else if (target.channelId) {
        await deps.chat.ephemeral(
          encodeConversationId(target.teamId, target.channelId),
          target.userId,
          message,
        );
      } else {
        await deps.chat.directMessage(target.userId, message);
      }
    } catch (error) {
      deps.logger.warn('slack: could not deliver a private reply', { error, kind: message.kind });
    }
  }
}

/** The one-line "something went wrong" answer, in the reader's language. */
export function internalErrorMessage(deps: ListenerDeps, locale?: string): OutboundMessage {
  const text = deps.t('slack:errors.internal', undefined, locale);
  return { kind: 'error', text, blocks: [{ type: 'text', text }] };
}
