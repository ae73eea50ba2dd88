import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { encodeConversationId } from '../conversation-id';
import type { ListenerDeps } from './listener-deps';
import { internalErrorMessage, replyPrivately } from './reply-privately';
import { resolveActor } from './resolve-actor';

type MentionArgs = SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs;

/** `@mltrl review R07.2` in a channel: the same command as `/mltrl review R07.2`. */
export function mentionListener(deps: ListenerDeps) {
  return async ({ event, body }: MentionArgs): Promise<void> => {
    const userId = event.user;
    if (!userId) return;
    await deps.afterAck.run(async () => {
      const teamId = (body as { team_id?: string }).team_id ?? event.team ?? '';
      const text = (event.text ?? '').replace(/^\s*<@[A-Z0-9]+(\|[^>]*)?>\s*/, '').trim();
      const actor = await resolveActor(deps, teamId, userId);
      const target = { teamId, userId, channelId: event.channel, locale: actor.locale };
      try {
        const reply = await deps.engine.handle({
          type: 'command',
          actor,
          conversationId: encodeConversationId(teamId, event.channel),
          text,
          threadId: event.thread_ts,
        });
        await replyPrivately(deps, target, reply.ephemeral);
      } catch (error) {
        deps.logger.error('slack: mention failed', { error });
        await replyPrivately(deps, target, [internalErrorMessage(deps, actor.locale)]);
      }
    });
  };
}
