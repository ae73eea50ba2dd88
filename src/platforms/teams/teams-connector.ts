import type { CloudAdapter, ConnectorClient } from '@microsoft/agents-hosting';
import { traceMethods } from '../../observability/trace-calls';
import type { StoredConversation } from './teams-store';

/** Bot Connector operations the bot calls: one span each when tracing is on. */
const CONNECTOR_OPERATIONS = [
  'sendToConversation',
  'replyToActivity',
  'updateActivity',
  'deleteActivity',
  'createConversation',
  'getConversationMember',
  'getConversationMembers',
  'getConversationPagedMembers',
] as const;

/** The parts of a stored conversation needed to open a Bot Connector client for it. */
export type ConnectorTarget = Pick<StoredConversation, 'id' | 'serviceUrl' | 'tenantId' | 'botId'>;

/**
 * Opens Bot Connector clients for proactive calls through the SDK's `continueConversation`, so tokens come
 * from the adapter's connection manager (credentials) or the calls go anonymous (local mode). The call
 * itself runs outside the SDK turn so its errors reach the delivery queue instead of `onTurnError`.
 */
export class TeamsConnector {
  constructor(
    private readonly adapter: CloudAdapter,
    /** The bot's app id (credentials) or undefined (local mode: anonymous calls). */
    private readonly appId: string | undefined,
  ) {}

  async client(target: ConnectorTarget): Promise<ConnectorClient> {
    let client: ConnectorClient | undefined;
    let failure: unknown;
    const reference = {
      channelId: 'msteams',
      serviceUrl: target.serviceUrl,
      conversation: { id: target.id, tenantId: target.tenantId },
      agent: { id: target.botId },
    };
    // An identity without `aud` makes the SDK call anonymously (the no-credential local mode).
    const identity = this.appId ?? {};
    await this.adapter.continueConversation(identity, reference, async (context) => {
      try {
        client = context.turnState.get<ConnectorClient>(this.adapter.ConnectorClientKey);
      } catch (error) {
        failure = error;
      }
    });
    if (!client) throw failure ?? new Error(`no Bot Connector client for ${target.serviceUrl}`);
    return traceMethods(client, 'teams', CONNECTOR_OPERATIONS);
  }
}
