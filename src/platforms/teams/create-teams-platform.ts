import { CloudAdapter, OutboundHostValidator, type AuthConfiguration } from '@microsoft/agents-hosting';
import type { Config } from '../../config/config';
import type { PlatformAdapter, PlatformDeps } from '../platform';
import { redisReplayGuard } from '../../runtime/replay-guard';
import { createTurnHandler } from './inbound/handle-turn';
import { TeamsCards } from './teams-cards';
import { TeamsChatPort } from './teams-chat-port';
import { TeamsConnector } from './teams-connector';
import { mountTeamsRoute } from './teams-http';
import { TeamsPeople } from './teams-people';
import { TeamsStore } from './teams-store';

/**
 * Microsoft Teams on the Microsoft 365 Agents SDK (botbuilder's maintained successor): the CloudAdapter
 * serves POST /api/messages, proactive messages go through stored conversation references.
 */
export function createTeamsPlatform(deps: PlatformDeps): PlatformAdapter {
  const { config, logger } = deps;
  const local = !config.clientId;
  const allowlist = (config.TEAMS_SERVICE_URL_ALLOWLIST ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const adapter = new CloudAdapter(
    authConfiguration(config),
    undefined,
    undefined,
    // With credentials, the activity's serviceUrl must match the token's and be a Microsoft (or allow-listed) host.
    { validateServiceUrl: !local },
    new OutboundHostValidator({ enabled: !local, includeDefaultMicrosoftHosts: true, hosts: allowlist }),
  );
  adapter.onTurnError = async (_context, error) => {
    logger.error('teams: unhandled turn error', { error });
  };

  const store = new TeamsStore(deps.redis, deps.keyPrefix);
  const connector = new TeamsConnector(adapter, config.clientId);
  const cards = new TeamsCards(store, deps.people, deps.t, config.DEFAULT_LOCALE);
  const chat = new TeamsChatPort(store, connector, cards, logger);
  const people = new TeamsPeople(store, connector, logger);
  const logic = createTurnHandler({
    engine: deps.engine,
    store,
    people,
    cards,
    chat,
    t: deps.t,
    logger,
    connectorKey: adapter.ConnectorClientKey,
    seen: redisReplayGuard(deps.redis, deps.keyPrefix),
  });

  return {
    name: 'teams',
    chat,
    people,
    mount(app) {
      mountTeamsRoute(app, { adapter, logic, local, serviceUrlAllowlist: allowlist, logger });
      if (local) {
        logger.warn(
          'teams: no clientId set: POST /api/messages answers loopback requests only and calls the connector ' +
            'anonymously (local testing); set clientId, clientSecret and tenantId for Teams',
        );
      } else {
        logger.info('teams: POST /api/messages requires Bot Framework tokens', { tenantId: config.tenantId });
        // The SDK reads authType (managed identity, federated credentials, certificates) from the environment.
        if (!config.clientSecret && !process.env.authType && !process.env.certPemFile) {
          logger.warn(
            'teams: clientId is set without clientSecret or authType: the bot cannot get tokens to reply ' +
              '(set clientSecret, or authType=UserManagedIdentity / FederatedCredentials for a managed identity)',
          );
        }
        if (!config.tenantId)
          logger.warn('teams: tenantId is not set: new Azure Bot registrations are single-tenant');
      }
    },
  };
}

/**
 * The SDK's auth settings from our parsed config (same variable names as its own loader). Other SDK settings
 * (authType for managed identity, certificates, Connections__*) are still read by the SDK from the environment.
 */
function authConfiguration(config: Config): AuthConfiguration {
  if (!config.clientId && process.env.NODE_ENV === 'production') {
    throw new Error('Teams local mode (TEAMS_LOCAL without clientId) cannot run with NODE_ENV=production');
  }
  return {
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    tenantId: config.tenantId,
  } as AuthConfiguration;
}
