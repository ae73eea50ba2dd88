import Redis, { Cluster, type RedisOptions } from 'ioredis';
import { corkWritesPerTick } from './corked-writes';

/** A Redis server address as Sentinel and Cluster lists write it. */
export interface RedisNode {
  host: string;
  port: number;
}

/**
 * Where Redis is: a `redis://` URL (REDIS_URL), a unix socket (the embedded redis-server), a master
 * found through Sentinel (REDIS_SENTINELS + REDIS_SENTINEL_NAME) or a Cluster (REDIS_CLUSTER_NODES).
 */
export type RedisTarget =
  | { url: string }
  | { path: string }
  | { sentinels: RedisNode[]; name: string; password?: string; sentinelPassword?: string }
  | { clusterNodes: RedisNode[]; password?: string };

/**
 * ioredis 6 speaks RESP3 by default. BullMQ's Lua scripts and reply parsing were written against RESP2
 * (Lua `false` becomes a RESP3 boolean, maps change shape), so every connection pins RESP2.
 */
const BASE_OPTIONS: RedisOptions = { protocol: 2, lazyConnect: false };

/**
 * One client for any target. A Cluster client is typed as `Redis`: it offers the same command, pipeline,
 * multi, eval, duplicate and pub/sub API our stores use, and BullMQ recognises it at run time. That holds
 * because every key we write carries the `{prefix}` hash tag, so multi-key scripts stay in one slot.
 */
function connect(target: RedisTarget, extra: RedisOptions): Redis {
  const options: RedisOptions = { ...BASE_OPTIONS, ...extra };
  if ('url' in target) return new Redis(target.url, options);
  if ('path' in target) return new Redis({ ...options, path: target.path });
  if ('sentinels' in target) {
    return new Redis({
      ...options,
      sentinels: target.sentinels,
      name: target.name,
      password: target.password,
      sentinelPassword: target.sentinelPassword,
    });
  }
  const cluster = new Cluster(target.clusterNodes, {
    lazyConnect: false,
    redisOptions: { ...options, password: target.password },
  });
  return cluster as unknown as Redis;
}

/**
 * How long an ordinary command may go unanswered. A Redis that is down fails commands after a few
 * reconnect attempts (maxRetriesPerRequest), but a frozen one (SIGSTOP, a stalled VM, a half-open
 * connection) keeps the socket open and would hold a click or a command forever; with this the request
 * fails and the person is told to try again. Far above any command's normal time, even under load.
 */
export const COMMAND_TIMEOUT_MS = 5000;

/** The connection for ordinary commands (stores, ledgers, limiters): fails fast when Redis is down. */
export function createCommandConnection(
  target: RedisTarget,
  name = 'mltrl-commands',
  commandTimeoutMs = COMMAND_TIMEOUT_MS,
): Redis {
  const redis = connect(target, {
    connectionName: name,
    maxRetriesPerRequest: 3,
    commandTimeout: commandTimeoutMs,
  });
  if (!('clusterNodes' in target)) corkWritesPerTick(redis);
  return redis;
}

/**
 * A connection for BullMQ queues and workers: `maxRetriesPerRequest: null`, because a blocking worker
 * command must wait out a Redis restart (or a Sentinel failover) instead of failing. BullMQ duplicates it
 * for blocking calls; pub/sub subscribers duplicate the command connection the same way.
 */
export function createQueueConnection(target: RedisTarget, name = 'mltrl-queues'): Redis {
  return connect(target, { connectionName: name, maxRetriesPerRequest: null });
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
