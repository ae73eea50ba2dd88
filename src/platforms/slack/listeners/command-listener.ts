import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { encodeConversationId } from '../conversation-id';
import type { ListenerDeps } from './listener-deps';
import { internalErrorMessage, replyPrivately } from './reply-privately';
import { resolveActor } from './resolve-actor';

/**
 * `/mltrl <words>`: acknowledged first (Slack gives 3 seconds), then handed to the engine; its
 * immediate answers go back privately, everything posted in the channel leaves through the delivery queue.
 */
export function commandListener(deps: ListenerDeps) {
  return async ({ command, ack, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    await deps.afterAck.run(async () => {
      const actor = await resolveActor(deps, command.team_id, command.user_id, command.user_name);
      const target = {
        teamId: command.team_id,
        userId: command.user_id,
        channelId: command.channel_id,
        respond,
        locale: actor.locale,
      };
      try {
        const reply = await deps.engine.handle({
          type: 'command',
          actor,
          conversationId: encodeConversationId(command.team_id, command.channel_id),
          text: command.text ?? '',
        });
        await replyPrivately(deps, target, reply.ephemeral);
      } catch (error) {
        deps.logger.error('slack: command failed', { error, command: command.command });
        await replyPrivately(deps, target, [internalErrorMessage(deps, actor.locale)]);
      }
    });
  };
}
