import type Redis from 'ioredis';

/**
 * The bot's whole state as JSON: every Redis key under the prefix (reviews, votes, the audit streams,
 * digest subscriptions, the message ledger, and the queues with their delayed reminders and deadlines),
 * with its type, value and time to live. Keys are stored without the prefix, so a dump can be restored
 * under another `REDIS_PREFIX`. Stream entries keep their ids, so the audit trail reads back identical.
 */
export interface StateDump {
  format: 'mltrl-bot-state';
  version: 1;
  prefix: string;
  exportedAt: string;
  keys: DumpedKey[];
}

/** A value as UTF-8 text when it is text, else base64 (`{ b64 }`). */
export type DumpedValue = string | { b64: string };

export type DumpedKey = { key: string; ttlMs?: number } & (
  | { type: 'string'; value: DumpedValue }
  | { type: 'hash'; value: [DumpedValue, DumpedValue][] }
  | { type: 'list'; value: DumpedValue[] }
  | { type: 'set'; value: DumpedValue[] }
  | { type: 'zset'; value: [DumpedValue, string][] }
  | { type: 'stream'; value: [string, DumpedValue[]][] }
);

export class StateDumpError extends Error {
  readonly code = 'state-dump';
}

function encode(buffer: Buffer): DumpedValue {
  const text = buffer.toString('utf8');
  return Buffer.from(text, 'utf8').equals(buffer) ? text : { b64: buffer.toString('base64') };
}

function decode(value: DumpedValue): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value.b64, 'base64');
}

/** Every key whose name starts with `prefix` (on a Cluster, from every master). */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const nodes =
    'nodes' in redis ? (redis as unknown as { nodes(role: string): Redis[] }).nodes('master') : [redis];
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  const keys = new Set<string>();
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      for (const key of batch) keys.add(key);
      cursor = next;
    } while (cursor !== '0');
  }
  return [...keys].sort();
}

async function dumpKey(redis: Redis, key: string, relative: string): Promise<DumpedKey | undefined> {
  const type = await redis.type(key);
  const pttl = await redis.pttl(key);
  const ttl = pttl > 0 ? { ttlMs: pttl } : {};
  switch (type) {
    case 'string': {
      const value = await redis.getBuffer(key);
      return value ? { key: relative, type, value: encode(value), ...ttl } : undefined;
    }
    case 'hash': {
      const raw = await redis.hgetallBuffer(key);
      const value = Object.entries(raw)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([field, v]): [DumpedValue, DumpedValue] => [field, encode(v)]);
      return { key: relative, type, value, ...ttl };
    }
    case 'list':
      return { key: relative, type, value: (await redis.lrangeBuffer(key, 0, -1)).map(encode), ...ttl };
    case 'set':
      return { key: relative, type, value: (await redis.smembersBuffer(key)).map(encode).sort(), ...ttl };
    case 'zset': {
      // RESP2 answers a flat member, score, member, score list; RESP3 answers [member, score] pairs.
      const raw = (await redis.callBuffer('ZRANGE', key, '0', '-1', 'WITHSCORES')) as (Buffer | Buffer[])[];
      const flat = raw.flat();
      const value: [DumpedValue, string][] = [];
      for (let i = 0; i < flat.length; i += 2) value.push([encode(flat[i]!), flat[i + 1]!.toString()]);
      return { key: relative, type, value, ...ttl };
    }
    case 'stream': {
      const entries = (await redis.xrangeBuffer(key, '-', '+')) as unknown as [Buffer, Buffer[]][];
      const value = entries.map(([id, fields]): [string, DumpedValue[]] => [
        id.toString(),
        fields.map(encode),
      ]);
      return { key: relative, type, value, ...ttl };
    }
    case 'none':
      return undefined;
    default:
      throw new StateDumpError(`key ${key} has type ${type}, which a state dump does not know`);
  }
}

export async function exportState(redis: Redis, prefix: string, now = new Date()): Promise<StateDump> {
  const keys: DumpedKey[] = [];
  for (const key of await keysUnder(redis, prefix)) {
    const dumped = await dumpKey(redis, key, key.slice(prefix.length));
    if (dumped) keys.push(dumped);
  }
  return { format: 'mltrl-bot-state', version: 1, prefix, exportedAt: now.toISOString(), keys };
}

/** Checks the shape of a parsed dump (a file from elsewhere is untrusted input). */
export function parseStateDump(json: unknown): StateDump {
  const dump = json as Partial<StateDump> | null;
  if (!dump || dump.format !== 'mltrl-bot-state' || dump.version !== 1 || !Array.isArray(dump.keys)) {
    throw new StateDumpError('not an mltrl-bot state dump (format mltrl-bot-state, version 1)');
  }
  for (const entry of dump.keys) {
    const known = ['string', 'hash', 'list', 'set', 'zset', 'stream'];
    if (typeof entry?.key !== 'string' || !known.includes(entry.type) || entry.value === undefined) {
      throw new StateDumpError(`bad entry in the dump: ${JSON.stringify(entry).slice(0, 200)}`);
    }
  }
  return dump as StateDump;
}

/**
 * Writes a dump under `prefix`. Refuses when keys already live there, unless `replace` (then they are
 * deleted first). Each key is written in one MULTI, so a key is never half restored.
 */
export async function importState(
  redis: Redis,
  prefix: string,
  dump: StateDump,
  options: { replace?: boolean } = {},
): Promise<{ keys: number; deleted: number }> {
  const existing = await keysUnder(redis, prefix);
  if (existing.length > 0 && !options.replace) {
    throw new StateDumpError(
      `Redis already holds ${existing.length} keys under ${prefix}; import into an empty Redis or pass --replace`,
    );
  }
  for (let i = 0; i < existing.length; i += 500) await redis.del(...existing.slice(i, i + 500));
  for (const entry of dump.keys) {
    const key = `${prefix}${entry.key}`;
    const multi = redis.multi().del(key);
    switch (entry.type) {
      case 'string':
        multi.set(key, decode(entry.value));
        break;
      case 'hash':
        if (entry.value.length) multi.hset(key, ...entry.value.flatMap(([f, v]) => [decode(f), decode(v)]));
        break;
      case 'list':
        if (entry.value.length) multi.rpush(key, ...entry.value.map(decode));
        break;
      case 'set':
        if (entry.value.length) multi.sadd(key, ...entry.value.map(decode));
        break;
      case 'zset':
        if (entry.value.length) multi.zadd(key, ...entry.value.flatMap(([m, s]) => [s, decode(m)]));
        break;
      case 'stream':
        for (const [id, fields] of entry.value) multi.xadd(key, id, ...fields.map(decode));
        break;
    }
    if (entry.ttlMs) multi.pexpire(key, entry.ttlMs);
    const results = await multi.exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw new StateDumpError(`could not restore ${key}: ${failed[0]!.message}`);
  }
  return { keys: dump.keys.length, deleted: existing.length };
}
