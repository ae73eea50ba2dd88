import Redis, { type RedisOptions } from 'ioredis';

/**
 * Where Redis is: a `redis://` URL (REDIS_URL) or a unix socket (the embedded redis-server).
 */
export type RedisTarget = { url: string } | { path: string };

/**
 * ioredis 6 speaks RESP3 by default. BullMQ's Lua scripts and reply parsing were written against RESP2
 * (Lua `false` becomes a RESP3 boolean, maps change shape), so every connection pins RESP2.
 */
const BASE_OPTIONS: RedisOptions = { protocol: 2, lazyConnect: false };

function optionsFor(target: RedisTarget, extra: RedisOptions): RedisOptions {
  if ('path' in target) return { ...BASE_OPTIONS, ...extra, path: target.path };
  return { ...BASE_OPTIONS, ...extra };
}

/** The connection for ordinary commands (stores, ledgers, limiters): fails fast when Redis is down. */
export function createCommandConnection(target: RedisTarget, name = 'mltrl-commands'): Redis {
  const options = optionsFor(target, { connectionName: name, maxRetriesPerRequest: 3 });
  return 'url' in target ? new Redis(target.url, options) : new Redis(options);
}

/**
 * A connection for BullMQ queues and workers: `maxRetriesPerRequest: null`, because a blocking worker
 * command must wait out a Redis restart instead of failing. BullMQ duplicates it for blocking calls.
 */
export function createQueueConnection(target: RedisTarget, name = 'mltrl-queues'): Redis {
  const options = optionsFor(target, { connectionName: name, maxRetriesPerRequest: null });
  return 'url' in target ? new Redis(target.url, options) : new Redis(options);
}

/** Closes a connection politely, and for good if QUIT does not answer in time. */
export async function closeConnection(redis: Redis, timeoutMs = 2000): Promise<void> {
  if (redis.status === 'end') return;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.quit().catch(() => undefined),
      new Promise((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
    redis.disconnect();
  }
}
