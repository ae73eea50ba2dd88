import type Redis from 'ioredis';

/** Keys a reset keeps: the key that signs portfolio links is not playground data. */
function kept(keyPrefix: string): Set<string> {
  return new Set([`${keyPrefix}:portfolio:link-secret`]);
}

/**
 * Deletes the bot's data under its own key prefix (reviews, votes, levels, audit, digests, queues and the
 * playground's workspace), and nothing else in that Redis. Only for the playground, where all of it is
 * play: the caller refuses when Slack or Teams share the data. Returns how many keys went.
 */
export async function deletePlaygroundData(redis: Redis, keyPrefix: string): Promise<number> {
  const keep = kept(keyPrefix);
  const pattern = `${keyPrefix.replace(/[[\]*?\\]/g, '\\$&')}:*`;
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    const gone = keys.filter((key) => !keep.has(key));
    if (gone.length > 0) deleted += await redis.unlink(...gone);
  } while (cursor !== '0');
  return deleted;
}
