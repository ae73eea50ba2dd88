import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { decodeConversationId } from '../conversation-id';
import {
  decodePendingAction,
  REASON_BLOCK_ID,
  REASON_INPUT_ID,
  REASON_MAX_LENGTH,
} from '../render/render-reason-modal';
import type { ListenerDeps } from './listener-deps';
import { internalErrorMessage, replyPrivately, type PrivateReplyTarget } from './reply-privately';
import { resolveActor } from './resolve-actor';

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * The reason modal was submitted: a missing or oversized reason keeps the modal open with the problem
 * named under the field; otherwise the vote goes to the engine with its reason.
 */
export function reasonViewListener(deps: ListenerDeps) {
  return async ({ ack, body, view }: ViewArgs): Promise<void> => {
    const reason = view.state.values[REASON_BLOCK_ID]?.[REASON_INPUT_ID]?.value?.trim() ?? '';
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    const userId = body.user.id;
    const pending = decodePendingAction(view.private_metadata);
    const actor = await resolveActor(deps, teamId, userId, body.user.name);
    if (reason.length === 0 || reason.length > REASON_MAX_LENGTH) {
      const problem = deps.t('slack:errors.reasonMissing', { max: REASON_MAX_LENGTH }, actor.locale);
      await ack({ response_action: 'errors', errors: { [REASON_BLOCK_ID]: problem } });
      return;
    }
    await ack();
    let channelId: string | undefined;
    try {
      channelId = pending ? decodeConversationId(pending.conversationId).channelId : undefined;
    } catch {
      channelId = undefined;
    }
    const target: PrivateReplyTarget = {
      teamId,
      userId,
      // An App Home click's conversation is the person's user id: the chat port answers by DM then.
      channelId,
      locale: actor.locale,
    };
    if (!pending) {
      const text = deps.t('slack:errors.actionExpired', undefined, actor.locale);
      await replyPrivately(deps, target, [{ kind: 'error', text, blocks: [{ type: 'text', text }] }]);
      return;
    }
    await deps.afterAck.run(async () => {
      try {
        const reply = await deps.engine.handle({
          type: 'action',
          actor,
          conversationId: pending.conversationId,
          messageId: pending.messageId,
          actionId: pending.actionId,
          value: pending.value,
          reason,
        });
        await replyPrivately(deps, target, reply.ephemeral);
      } catch (error) {
        deps.logger.error('slack: reason submission failed', { error, actionId: pending.actionId });
        await replyPrivately(deps, target, [internalErrorMessage(deps, actor.locale)]);
      }
    });
  };
}
