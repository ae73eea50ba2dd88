import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { encodeConversationId } from '../conversation-id';
import { parseActionId } from '../render/action-ids';
import {
  encodePendingAction,
  renderReasonModal,
  type PendingReasonAction,
} from '../render/render-reason-modal';
import type { ListenerDeps } from './listener-deps';
import { internalErrorMessage, replyPrivately, type PrivateReplyTarget } from './reply-privately';
import { resolveActor } from './resolve-actor';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

function chosenValue(action: ActionArgs['action']): { value: string; label?: string } | undefined {
  if (action.type === 'button') return { value: action.value ?? '' };
  if (action.type === 'static_select' && action.selected_option) {
    return { value: action.selected_option.value, label: action.selected_option.text.text };
  }
  return undefined;
}

/**
 * A click on one of our buttons or selects. Link buttons need only the ack. Actions that ask for a
 * reason open the modal at once (the trigger_id lives 3 seconds); the rest go to the engine, and a
 * refusal comes back only to the clicker. The new tally arrives through the delivery queue.
 */
export function actionListener(deps: ListenerDeps) {
  return async ({ ack, body, action, respond, client, context }: ActionArgs): Promise<void> => {
    await ack();
    const parsed = parseActionId(action.action_id);
    const chosen = chosenValue(action);
    // Link buttons (open card, open the portfolio page) need only the ack.
    const isLink = action.type === 'button' && Boolean(action.url);
    if (!parsed || !chosen || isLink || parsed.actionId === 'open-card') return;
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    const userId = body.user.id;
    const channelId = body.channel?.id;
    // App Home clicks have no channel: the person's DM (their user id) stands for the conversation.
    const conversationId = encodeConversationId(teamId, channelId ?? userId);
    const messageId = body.message?.ts ?? body.container?.message_ts;
    const respondTo = body.response_url ? respond : undefined;
    if (context.storeUnavailable === true) {
      // Redis did not answer the replay check: nothing is acted on, but the clicker hears so at once.
      const text = deps.t('engine:refuse.notRecorded');
      const target = { teamId, userId, channelId, respond: respondTo };
      await replyPrivately(deps, target, [{ kind: 'error', text, blocks: [{ type: 'text', text }] }]);
      return;
    }
    const actor = await resolveActor(deps, teamId, userId, body.user.name);
    const target: PrivateReplyTarget = {
      teamId,
      userId,
      channelId,
      respond: respondTo,
      locale: actor.locale,
    };
    if (parsed.asksReason) {
      const pending: PendingReasonAction = {
        conversationId,
        messageId,
        actionId: parsed.actionId,
        value: chosen.value,
        choice: chosen.label,
      };
      const metadata = encodePendingAction(pending);
      if (!metadata) {
        const text = deps.t('slack:errors.reasonTooLong', undefined, actor.locale);
        await replyPrivately(deps, target, [{ kind: 'error', text, blocks: [{ type: 'text', text }] }]);
        return;
      }
      const view = renderReasonModal(pending, metadata, deps.t, actor.locale);
      await client.views.open({ trigger_id: body.trigger_id, view });
      return;
    }
    // The modal above opens at once (its trigger_id lives 3 seconds); the engine's turn may wait in line.
    await deps.afterAck.run(async () => {
      try {
        const reply = await deps.engine.handle({
          type: 'action',
          actor,
          conversationId,
          messageId,
          actionId: parsed.actionId,
          value: chosen.value,
        });
        await replyPrivately(deps, target, reply.ephemeral);
      } catch (error) {
        deps.logger.error('slack: action failed', { error, actionId: parsed.actionId });
        await replyPrivately(deps, target, [internalErrorMessage(deps, actor.locale)]);
      }
    });
  };
}
