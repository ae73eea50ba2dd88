import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { renderHomeView } from '../render/render-message';
import type { ListenerDeps } from './listener-deps';
import { resolveActor } from './resolve-actor';

type HomeArgs = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

/** The App Home tab: what waits on the viewer, their projects and the portfolio, published on open. */
export function homeListener(deps: ListenerDeps) {
  return async ({ event, body, client }: HomeArgs): Promise<void> => {
    if (event.tab && event.tab !== 'home') return;
    await deps.afterAck.run(async () => {
      const teamId = (body as { team_id?: string }).team_id ?? '';
      const actor = await resolveActor(deps, teamId, event.user);
      try {
        const home = await deps.engine.home(actor);
        await client.views.publish({
          user_id: event.user,
          view: renderHomeView(home, { t: deps.t, locale: actor.locale }),
        });
      } catch (error) {
        deps.logger.error('slack: could not publish App Home', { error });
      }
    });
  };
}
