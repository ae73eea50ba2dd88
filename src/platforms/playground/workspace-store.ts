import type Redis from 'ioredis';
import type { OutboundMessage } from '../../core/messages';
import type { Clock } from '../../core/ports';

/** One message as the playground keeps it: immutable facts plus the latest version of its content. */
export interface WorkspaceMessage {
  id: string;
  conversationId: string;
  /** Parent message id when this is a thread reply. */
  threadId?: string;
  /** Set for an ephemeral message: only this person sees it. */
  visibleTo?: string;
  postedAt: string;
  /** 1 for the first post; each update adds one. */
  version: number;
  updatedAt?: string;
  message: OutboundMessage;
}

export interface WorkspaceMessageWithReplies extends WorkspaceMessage {
  replies: WorkspaceMessage[];
}

/** What changed, published so every open page (in any web process) can refresh. */
export type WorkspaceChange =
  | { type: 'message'; conversationId: string; messageId: string; threadId?: string; visibleTo?: string }
  | { type: 'clock'; now: string }
  /** The playground was reset: every page starts over. */
  | { type: 'reset'; now: string };

interface Meta {
  conversationId: string;
  threadId?: string;
  visibleTo?: string;
  postedAt: string;
}

interface Version {
  at: string;
  message: OutboundMessage;
}

/** How many top-level messages a conversation view returns (the newest ones). */
export const VIEW_LIMIT = 200;

/**
 * The playground workspace in Redis: channels and DMs with messages, thread replies, message versions and
 * ephemeral messages. Keys live under `<keyPrefix>:playground:`; every write publishes a change on
 * `<keyPrefix>:playground:changes` so pages served by any web process update live.
 *
 * A message's versions are a Redis list (RPUSH is atomic), so concurrent updates never lose a version and
 * the version number is simply the list length.
 */
export class WorkspaceStore {
  private readonly base: string;
  readonly changesChannel: string;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    private readonly clock: Clock,
  ) {
    this.base = `${keyPrefix}:playground:`;
    this.changesChannel = `${this.base}changes`;
  }

  async add(input: {
    conversationId: string;
    message: OutboundMessage;
    threadId?: string;
    visibleTo?: string;
    /** A delivery key: a second post with the same key returns the first message instead of posting. */
    idempotencyKey?: string;
  }): Promise<WorkspaceMessage> {
    const seq = await this.redis.incr(this.key('seq'));
    const id = `pm-${seq}`;
    if (input.idempotencyKey !== undefined) {
      const claimed = await this.redis.set(this.key(`idem:${input.idempotencyKey}`), id, 'NX');
      if (claimed !== 'OK') {
        const earlier = await this.findByKey(input.idempotencyKey);
        if (earlier) return earlier;
        // The earlier attempt claimed the key but died before writing: this attempt writes it instead.
        await this.redis.set(this.key(`idem:${input.idempotencyKey}`), id);
      }
    }
    // A late reminder reads as of when it was due, not when the worker got to it.
    const now = this.clock.now().toISOString();
    const postedAt = input.message.dueAt && input.message.dueAt < now ? input.message.dueAt : now;
    const meta: Meta = { conversationId: input.conversationId, postedAt };
    if (input.threadId) meta.threadId = input.threadId;
    if (input.visibleTo) meta.visibleTo = input.visibleTo;
    const version: Version = { at: postedAt, message: input.message };
    const listKey = input.threadId
      ? this.key(`thread:${input.threadId}`)
      : this.key(`conv:${input.conversationId}`);
    await this.redis
      .multi()
      .set(this.key(`msg:${id}`), JSON.stringify(meta))
      .rpush(this.key(`versions:${id}`), JSON.stringify(version))
      .zadd(listKey, seq, id)
      .exec();
    await this.publish({
      type: 'message',
      conversationId: input.conversationId,
      messageId: id,
      ...(input.threadId ? { threadId: input.threadId } : {}),
      ...(input.visibleTo ? { visibleTo: input.visibleTo } : {}),
    });
    return { id, ...meta, version: 1, message: input.message };
  }

  /** Adds a version to an existing message. Returns false when there is no such message. */
  async update(messageId: string, message: OutboundMessage): Promise<boolean> {
    const meta = await this.meta(messageId);
    if (!meta) return false;
    const version: Version = { at: this.clock.now().toISOString(), message };
    await this.redis.rpush(this.key(`versions:${messageId}`), JSON.stringify(version));
    await this.publish({
      type: 'message',
      conversationId: meta.conversationId,
      messageId,
      ...(meta.threadId ? { threadId: meta.threadId } : {}),
      ...(meta.visibleTo ? { visibleTo: meta.visibleTo } : {}),
    });
    return true;
  }

  /** The message posted with this idempotency key, if it was written. */
  async findByKey(idempotencyKey: string): Promise<WorkspaceMessage | undefined> {
    const id = await this.redis.get(this.key(`idem:${idempotencyKey}`));
    return id ? this.get(id) : undefined;
  }

  async get(messageId: string): Promise<WorkspaceMessage | undefined> {
    const [message] = await this.load([messageId]);
    return message;
  }

  /** Every version of a message, oldest first (what the vote tally looked like over time). */
  async versions(messageId: string): Promise<Version[]> {
    const raw = await this.redis.lrange(this.key(`versions:${messageId}`), 0, -1);
    return raw.map((entry) => JSON.parse(entry) as Version);
  }

  /** The newest top-level messages of a conversation with their replies, as `viewer` may see them. */
  async view(conversationId: string, viewer: string): Promise<WorkspaceMessageWithReplies[]> {
    const ids = await this.redis.zrange(this.key(`conv:${conversationId}`), String(-VIEW_LIMIT), '-1');
    const parents = (await this.load(ids)).filter((message) => visible(message, viewer));
    const replyIds = await Promise.all(
      parents.map((parent) => this.redis.zrange(this.key(`thread:${parent.id}`), '0', '-1')),
    );
    return Promise.all(
      parents.map(async (parent, index) => ({
        ...parent,
        replies: (await this.load(replyIds[index])).filter((reply) => visible(reply, viewer)),
      })),
    );
  }

  async publish(change: WorkspaceChange): Promise<void> {
    await this.redis.publish(this.changesChannel, JSON.stringify(change));
  }

  private async meta(messageId: string): Promise<Meta | undefined> {
    const raw = await this.redis.get(this.key(`msg:${messageId}`));
    return raw ? (JSON.parse(raw) as Meta) : undefined;
  }

  private async load(ids: string[]): Promise<WorkspaceMessage[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) {
      pipeline.get(this.key(`msg:${id}`));
      pipeline.lindex(this.key(`versions:${id}`), -1);
      pipeline.llen(this.key(`versions:${id}`));
    }
    const results = (await pipeline.exec()) ?? [];
    const messages: WorkspaceMessage[] = [];
    ids.forEach((id, index) => {
      const [metaResult, latestResult, countResult] = results.slice(index * 3, index * 3 + 3);
      const rawMeta = metaResult?.[1] as string | null;
      const rawLatest = latestResult?.[1] as string | null;
      if (!rawMeta || !rawLatest) return;
      const meta = JSON.parse(rawMeta) as Meta;
      const latest = JSON.parse(rawLatest) as Version;
      const version = Number(countResult?.[1] ?? 1);
      messages.push({
        id,
        ...meta,
        version,
        ...(version > 1 ? { updatedAt: latest.at } : {}),
        message: latest.message,
      });
    });
    return messages;
  }

  private key(suffix: string): string {
    return this.base + suffix;
  }
}

function visible(message: WorkspaceMessage, viewer: string): boolean {
  return message.visibleTo === undefined || message.visibleTo === viewer;
}
