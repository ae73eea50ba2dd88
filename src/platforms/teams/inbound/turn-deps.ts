import type { Engine } from '../../../core/engine-api';
import type { Translate } from '../../../core/ports';
import type { Logger } from '../../../logging/logger';
import type { ReplayGuard } from '../../../runtime/replay-guard';
import type { TeamsCards } from '../teams-cards';
import type { TeamsChatPort } from '../teams-chat-port';
import type { TeamsPeople } from '../teams-people';
import type { TeamsStore } from '../teams-store';

/** What the turn handlers use. */
export interface TurnDeps {
  engine: Engine;
  store: TeamsStore;
  people: TeamsPeople;
  cards: TeamsCards;
  chat: TeamsChatPort;
  t: Translate;
  logger: Logger;
  /** The adapter's turn-state key of the turn's Bot Connector client. */
  connectorKey: symbol;
  /** Activity ids already handled (Redis, shared by all web processes): a redelivered activity is not acted on twice. */
  seen?: ReplayGuard;
}
