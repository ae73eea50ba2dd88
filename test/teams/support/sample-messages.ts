import type { MessageKind, OutboundMessage } from '../../../src/core/messages';
import { sampleMessages } from '../../support/sample-messages';

/** Teams user ids of the people in people.yaml, as the roster would give them. */
export const TEAMS_IDS = {
  ana: '29:1ana-aad',
  sam: '29:1sam-aad',
  priya: '29:1priya-aad',
  li: '29:1li-aad',
  lee: '29:1lee-aad',
  max: '29:1max-aad',
};

export const NAMES: Record<string, string> = {
  [TEAMS_IDS.ana]: 'Ana Lima',
  [TEAMS_IDS.sam]: 'Sam Okafor',
  [TEAMS_IDS.priya]: 'Priya Nair',
  [TEAMS_IDS.li]: 'Li Wei',
  [TEAMS_IDS.lee]: 'Lee Novak',
};

/** One neutral message per kind (test/support/sample-messages.ts), naming people by their Teams ids. */
export const SAMPLE_MESSAGES: Record<MessageKind, OutboundMessage> = sampleMessages(TEAMS_IDS);
