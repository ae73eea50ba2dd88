import type Redis from 'ioredis';
import type { EngineStores } from '../../core/engine/store-ports';
import { RedisAuditLog } from './redis-audit-log';
import { RedisGapSightingStore } from './redis-gap-sightings';
import { RedisClickLedger } from './redis-click-ledger';
import { RedisDelegationStore } from './redis-delegation-store';
import { RedisReviewStore } from './redis-review-store';
import {
  RedisChannelLanguageStore,
  RedisChannelSettingsStore,
  RedisLevelStore,
  RedisSnoozeStore,
  RedisWaiverStore,
} from './redis-small-stores';
import { RedisVoteStore } from './redis-vote-store';
import { GetBatcher } from './get-batcher';

export {
  RedisAuditLog,
  RedisDelegationStore,
  RedisChannelLanguageStore,
  RedisGapSightingStore,
  RedisLevelStore,
  RedisReviewStore,
  RedisSnoozeStore,
  RedisVoteStore,
  RedisWaiverStore,
};

/** Every engine store on one Redis connection, under `keyPrefix` (e.g. `{mltrl}`, a Cluster hash tag). */
export function createRedisStores(redis: Redis, keyPrefix: string): EngineStores {
  // The stores' version reads of one turn go out as one MGET.
  const reads = new GetBatcher(redis);
  return {
    channels: new RedisChannelSettingsStore(redis, keyPrefix),
    reviews: new RedisReviewStore(redis, keyPrefix),
    votes: new RedisVoteStore(redis, keyPrefix),
    audit: new RedisAuditLog(redis, keyPrefix),
    levels: new RedisLevelStore(redis, keyPrefix, reads),
    snoozes: new RedisSnoozeStore(redis, keyPrefix),
    waivers: new RedisWaiverStore(redis, keyPrefix),
    channelLanguages: new RedisChannelLanguageStore(redis, keyPrefix, reads),
    gapSightings: new RedisGapSightingStore(redis, keyPrefix),
    delegations: new RedisDelegationStore(redis, keyPrefix, reads),
    clicks: new RedisClickLedger(redis, keyPrefix),
  };
}
