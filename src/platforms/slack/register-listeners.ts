import type { App } from '@slack/bolt';
import { ACTION_ID_PATTERN } from './render/action-ids';
import { REASON_MODAL_CALLBACK_ID } from './render/render-reason-modal';
import { actionListener } from './listeners/action-listener';
import { commandListener } from './listeners/command-listener';
import { homeListener } from './listeners/home-listener';
import { tokensRevokedListener, uninstalledListener } from './listeners/lifecycle-listener';
import { mentionListener } from './listeners/mention-listener';
import type { ListenerDeps } from './listeners/listener-deps';
import { reasonViewListener } from './listeners/reason-view-listener';

/** Every Slack entry point of the bot, each a small listener calling the engine. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  app.command(/^\/mltrl/, commandListener(deps));
  app.action({ type: 'block_actions', action_id: ACTION_ID_PATTERN }, actionListener(deps));
  app.view({ callback_id: REASON_MODAL_CALLBACK_ID, type: 'view_submission' }, reasonViewListener(deps));
  app.event('app_home_opened', homeListener(deps));
  app.event('app_mention', mentionListener(deps));
  app.event('app_uninstalled', uninstalledListener(deps));
  app.event('tokens_revoked', tokensRevokedListener(deps));
  app.error(async (error) => {
    deps.logger.error('slack: listener failed', { error, code: (error as { code?: string }).code });
  });
}
