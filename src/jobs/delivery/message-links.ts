import type Redis from 'ioredis';
import type { PlatformName } from '../../core/events';
import type { ChatPort, MessageLinks } from '../../core/ports';
import { MessageLedger } from './message-ledger';

/**
 * Links to messages the bot posted, by delivery key: the ledger says where the message landed, its
 * platform's port turns that into a link a person can open. Undefined while the message is not posted,
 * or on a platform without links.
 */
export function createMessageLinks(options: {
  commands: Redis;
  prefix: string;
  chatPort: (platform: PlatformName) => ChatPort | undefined;
}): MessageLinks {
  const ledger = new MessageLedger(options.commands, ledgerPrefix(options.prefix));
  return {
    async linkTo(deliveryKey) {
      const entry = await ledger.get(deliveryKey);
      if (entry?.state !== 'posted') return undefined;
      return options.chatPort(entry.platform)?.linkTo?.(entry.message);
    },
  };
}

/** Where the delivery worker keeps its ledger (one prefix for the worker and the link look-up). */
export const ledgerPrefix = (prefix: string) => `${prefix}:deliv:ledger:`;
