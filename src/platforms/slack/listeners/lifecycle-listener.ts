import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { ListenerDeps } from './listener-deps';

interface EnvelopeIds {
  team_id?: string;
  enterprise_id?: string;
  is_enterprise_install?: boolean;
}

async function forget(deps: ListenerDeps, body: EnvelopeIds, why: string): Promise<void> {
  if (!deps.installations) return;
  const query = {
    teamId: body.is_enterprise_install ? undefined : body.team_id,
    enterpriseId: body.enterprise_id,
    isEnterpriseInstall: Boolean(body.is_enterprise_install),
  };
  await deps.installations.deleteInstallation(
    query as Parameters<typeof deps.installations.deleteInstallation>[0],
  );
  deps.logger.info('slack: installation removed', {
    teamId: body.team_id,
    enterpriseId: body.enterprise_id,
    why,
  });
}

/** The app was removed from a workspace: its installation (and bot token) is forgotten. */
export function uninstalledListener(deps: ListenerDeps) {
  return async ({ body }: SlackEventMiddlewareArgs<'app_uninstalled'> & AllMiddlewareArgs): Promise<void> => {
    await forget(deps, body as EnvelopeIds, 'app_uninstalled');
  };
}

/** Tokens were revoked: without a bot token the installation is useless, so it goes too. */
export function tokensRevokedListener(deps: ListenerDeps) {
  return async ({
    event,
    body,
  }: SlackEventMiddlewareArgs<'tokens_revoked'> & AllMiddlewareArgs): Promise<void> => {
    if ((event.tokens.bot ?? []).length === 0) return;
    await forget(deps, body as EnvelopeIds, 'tokens_revoked');
  };
}
