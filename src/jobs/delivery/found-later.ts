import type { DeliveryRequest } from '../../core/engine-api';
import { platformOf, type PlatformName } from '../../core/events';
import type { Logger } from '../../logging/logger';
import type { MetricsCounters } from '../metrics-counters';
import type { LedgerEntry, MessageLedger } from './message-ledger';

export interface FoundLaterParts {
  ledger: MessageLedger;
  counters: MetricsCounters;
  logger: Logger;
}

/**
 * A person clicked a button on the message `request.of` whose post ended "uncertain": now we know where
 * it is. Recorded as posted there (unless the ledger changed meanwhile), so it can be updated again.
 */
export async function foundLater(
  parts: FoundLaterParts,
  request: Extract<DeliveryRequest, { op: 'update' }>,
): Promise<Extract<LedgerEntry, { state: 'posted' }> | undefined> {
  const entry = await parts.ledger.get(request.of);
  if (entry?.state !== 'uncertain' || !request.seenAs) return undefined;
  let platform: PlatformName;
  try {
    platform = platformOf(request.seenAs.conversationId);
  } catch {
    return undefined;
  }
  const posted = { state: 'posted' as const, message: request.seenAs, platform };
  if (!(await parts.ledger.replaceIf(request.of, entry, posted))) return undefined;
  await parts.counters.increment('delivery_found_later');
  parts.logger.info('delivery: an uncertain message was found where someone clicked it', {
    key: request.of,
  });
  return posted;
}
