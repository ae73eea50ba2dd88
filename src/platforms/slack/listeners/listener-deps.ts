import type { Engine } from '../../../core/engine-api';
import type { Translate } from '../../../core/ports';
import type { Logger } from '../../../logging/logger';
import type { RedisInstallationStore } from '../redis-installation-store';
import type { SlackChatPort } from '../slack-chat-port';
import type { SlackClients } from '../slack-clients';
import type { SlackPeople } from '../slack-people';
import type { AfterAckQueue } from './after-ack';

/** What the Bolt listeners need; built once in create-slack-platform. */
export interface ListenerDeps {
  engine: Engine;
  t: Translate;
  defaultLocale: string;
  logger: Logger;
  people: SlackPeople;
  clients: SlackClients;
  chat: SlackChatPort;
  /** Limits the work that follows acks, so acks stay fast under bursts. */
  afterAck: AfterAckQueue;
  /** Only with OAuth installs. */
  installations?: RedisInstallationStore;
}
