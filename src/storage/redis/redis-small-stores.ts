import type Redis from 'ioredis';
import type {
  ChannelLanguage,
  ChannelLanguageStore,
  LevelChange,
  LevelStore,
  Snooze,
  SnoozeStore,
  WaiverStore,
  ChannelSettingsStore,
} from '../../core/engine/store-ports';
import type { Waiver } from '../../core/gap-types';
import { GetBatcher } from './get-batcher';
import { LuaScript } from './lua-script';
import { StoreVersion } from './store-version';

const RECORD_ENTRY = new LuaScript(`
if redis.call('LLEN', KEYS[1]) > 0 then return 0 end
redis.call('RPUSH', KEYS[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('SET', KEYS[3], ARGV[4])
return 1
`);

/** Recorded levels: a hash project -> level, and a list of changes per project (the history). */
export class RedisLevelStore implements LevelStore {
  /** Moved by every write: a project's history, read on every vote click, is remembered meanwhile. */
  private readonly version: StoreVersion;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    reads = new GetBatcher(redis),
  ) {
    this.version = new StoreVersion(redis, `${prefix}:levels-version`, reads);
  }

  private historyKey = (projectId: string) => `${this.prefix}:levels:${projectId}`;
  private levelsKey = () => `${this.prefix}:levels`;

  async get(projectId: string): Promise<number | undefined> {
    const level = await this.redis.hget(this.levelsKey(), projectId);
    return level === null ? undefined : Number(level);
  }

  async recordEntry(projectId: string, level: number, at: string): Promise<void> {
    const change: LevelChange = { level, at, kind: 'entry' };
    await RECORD_ENTRY.run(
      this.redis,
      [this.historyKey(projectId), this.levelsKey(), this.version.key],
      [projectId, JSON.stringify(change), level, StoreVersion.next()],
    );
  }

  async record(projectId: string, change: LevelChange): Promise<void> {
    const multi = this.redis
      .multi()
      .rpush(this.historyKey(projectId), JSON.stringify(change))
      .hset(this.levelsKey(), projectId, change.level);
    await this.version.bump(multi).exec();
  }

  async history(projectId: string): Promise<LevelChange[]> {
    return this.version.read(projectId, async () => {
      const entries = await this.redis.lrange(this.historyKey(projectId), 0, -1);
      return entries.map((entry) => JSON.parse(entry) as LevelChange);
    });
  }

  async all(): Promise<Record<string, number>> {
    const levels = await this.redis.hgetall(this.levelsKey());
    return Object.fromEntries(Object.entries(levels).map(([projectId, level]) => [projectId, Number(level)]));
  }

  async some(projectIds: readonly string[]): Promise<Record<string, number>> {
    if (projectIds.length === 0) return {};
    const levels = await this.redis.hmget(this.levelsKey(), ...projectIds);
    const found: Record<string, number> = {};
    projectIds.forEach((projectId, i) => {
      const level = levels[i];
      if (level !== null) found[projectId] = Number(level);
    });
    return found;
  }
}

const DAY = 86_400_000;

/**
 * Snoozes: one JSON key per project. The key expires a day after the snooze ends (by Redis time), but
 * whether a snooze is in force is decided against the engine clock, which tests and the playground move.
 */
export class RedisSnoozeStore implements SnoozeStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key = (projectId: string) => `${this.prefix}:snooze:${projectId}`;

  async set(snooze: Snooze): Promise<void> {
    const expireAt = Math.max(Date.parse(snooze.until), Date.now()) + DAY;
    await this.redis.set(this.key(snooze.projectId), JSON.stringify(snooze), 'PXAT', expireAt);
  }

  async get(projectId: string, now: Date): Promise<Snooze | undefined> {
    const json = await this.redis.get(this.key(projectId));
    const snooze = json ? (JSON.parse(json) as Snooze) : undefined;
    return snooze && Date.parse(snooze.until) > now.getTime() ? snooze : undefined;
  }
}

/** Channel settings: one hash of conversation id -> flow name. */
export class RedisChannelSettingsStore implements ChannelSettingsStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private get key(): string {
    return `${this.prefix}:channel-flows`;
  }

  async flow(conversationId: string): Promise<string | undefined> {
    return (await this.redis.hget(this.key, conversationId)) ?? undefined;
  }

  async setFlow(conversationId: string, name: string | undefined): Promise<void> {
    if (name === undefined) await this.redis.hdel(this.key, conversationId);
    else await this.redis.hset(this.key, conversationId, name);
  }
}

/** Waivers: a hash per project gate, key -> waiver JSON; expired ones are filtered on read. */
export class RedisWaiverStore implements WaiverStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key = (projectId: string, gate: { from: number; to: number }) =>
    `${this.prefix}:waivers:${projectId}:${gate.from}-${gate.to}`;

  async add(projectId: string, gate: { from: number; to: number }, waiver: Waiver): Promise<void> {
    await this.redis.hset(this.key(projectId, gate), waiver.key, JSON.stringify(waiver));
  }

  async list(projectId: string, gate: { from: number; to: number }, now: Date): Promise<Waiver[]> {
    const entries = await this.redis.hvals(this.key(projectId, gate));
    return entries
      .map((entry) => JSON.parse(entry) as Waiver)
      .filter((waiver) => Date.parse(waiver.until) > now.getTime());
  }

  async remove(projectId: string, gate: { from: number; to: number }, key: string): Promise<boolean> {
    return (await this.redis.hdel(this.key(projectId, gate), key)) > 0;
  }
}

/** Channel languages: one hash, conversation id -> JSON (a handful of channels per installation). */
export class RedisChannelLanguageStore implements ChannelLanguageStore {
  /** Moved by every write: a channel's language, read for every vote message, is remembered meanwhile. */
  private readonly version: StoreVersion;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    reads = new GetBatcher(redis),
  ) {
    this.version = new StoreVersion(redis, `${prefix}:channel-languages-version`, reads);
  }

  private key = () => `${this.prefix}:channel-languages`;

  async get(conversationId: string): Promise<ChannelLanguage | undefined> {
    return this.version.read(conversationId, async () => {
      const json = await this.redis.hget(this.key(), conversationId);
      return json ? (JSON.parse(json) as ChannelLanguage) : undefined;
    });
  }

  async set(conversationId: string, language: ChannelLanguage | undefined): Promise<void> {
    const multi = this.redis.multi();
    if (language) multi.hset(this.key(), conversationId, JSON.stringify(language));
    else multi.hdel(this.key(), conversationId);
    await this.version.bump(multi).exec();
  }
}
