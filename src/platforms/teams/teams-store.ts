import type Redis from 'ioredis';
import type { OutboundMessage } from '../../core/messages';
import type { PlatformProfile, PostedMessage, UpdateOrder } from '../../core/ports';
import { LuaScript } from '../../storage/redis/lua-script';
import { GetBatcher } from '../../storage/redis/get-batcher';
import { KnownCards } from './known-cards';
import { KnownJson } from '../../storage/known-json';
import { StoreVersion } from '../../storage/redis/store-version';

/** Everything needed to reach a conversation later (proactive messages): the Bot Framework reference. */
export interface StoredConversation {
  /** Teams conversation id without a `;messageid=` suffix. */
  id: string;
  serviceUrl: string;
  tenantId?: string;
  conversationType: string;
  /** The bot as this conversation knows it (`28:<app id>`). */
  botId: string;
  botName?: string;
  /** The user of a personal (1:1) conversation. */
  userId?: string;
}

export interface TeamsProfile extends PlatformProfile {
  aadObjectId?: string;
  userPrincipalName?: string;
  tenantId?: string;
}

/** The latest version of a posted card, so a Teams client's refresh gets the current tally. */
export interface StoredCard {
  conversationId: string;
  message: OutboundMessage;
}

const RECENT_SAVE_MS = 60_000;
const RECENT_SAVE_MAX = 10_000;
const PROFILE_TTL_SECONDS = 24 * 3600;
const MISS_TTL_SECONDS = 600;
const CARD_TTL_SECONDS = 90 * 24 * 3600;
const POSTED_TTL_SECONDS = 7 * 24 * 3600;

// KEYS: card, the delivery's newest update number for the message. ARGV: card JSON, TTL, this update's number.
const SAVE_IN_ORDER = new LuaScript(`
if tonumber(redis.call('GET', KEYS[2]) or '0') > tonumber(ARGV[3]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
`);

/** Redis keys of the Teams platform, all under `<keyPrefix>:teams:`. */
export class TeamsStore {
  private readonly base: string;
  /** Conversations saved lately by this process (id -> JSON, time), so busy turns do not rewrite them. */
  private readonly recentlySaved = new Map<string, { json: string; at: number }>();
  /** The profile, e-mail and card reads of a turn, batched (see GetBatcher). */
  private readonly reads: GetBatcher;
  private readonly knownCards = new KnownCards();
  /** Profiles read again unchanged (the clicker's, the names on a card) are not parsed again; frozen. */
  private readonly knownProfiles = new KnownJson<TeamsProfile>();
  /** The token of what profile and e-mail look-ups answer from (see peopleVersion). */
  private readonly people: StoreVersion;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
  ) {
    this.base = `${keyPrefix}:teams`;
    this.reads = new GetBatcher(redis);
    this.people = new StoreVersion(redis, `${this.base}:people-version`, this.reads);
  }

  async saveConversation(conversation: StoredConversation): Promise<void> {
    const multi = this.redis
      .multi()
      .set(`${this.base}:conv:${conversation.id}`, JSON.stringify(conversation));
    if (conversation.tenantId) {
      multi.sadd(`${this.base}:tenants`, conversation.tenantId);
      multi.set(
        `${this.base}:tenant:${conversation.tenantId}`,
        JSON.stringify({
          serviceUrl: conversation.serviceUrl,
          botId: conversation.botId,
          botName: conversation.botName,
        }),
      );
    }
    if (conversation.conversationType === 'personal' && conversation.userId) {
      multi.set(`${this.base}:dm:${conversation.userId}`, conversation.id);
    } else {
      multi.sadd(`${this.base}:groups`, conversation.id);
    }
    await multi.exec();
  }

  /**
   * Saves the reference of a conversation the bot was addressed in, unless this process saved the same
   * reference in the last minute (installs and removals always go to Redis).
   */
  async touchConversation(conversation: StoredConversation, now = Date.now()): Promise<void> {
    const json = JSON.stringify(conversation);
    const recent = this.recentlySaved.get(conversation.id);
    if (recent && recent.json === json && now - recent.at < RECENT_SAVE_MS) return;
    await this.saveConversation(conversation);
    if (this.recentlySaved.size >= RECENT_SAVE_MAX) this.recentlySaved.clear();
    this.recentlySaved.set(conversation.id, { json, at: now });
  }

  async conversation(id: string): Promise<StoredConversation | undefined> {
    return parse(await this.redis.get(`${this.base}:conv:${id}`));
  }

  /** The bot was removed (or the conversation is gone): forget how to reach it. */
  async dropConversation(id: string): Promise<void> {
    this.recentlySaved.delete(id);
    const stored = await this.conversation(id);
    const multi = this.redis.multi().del(`${this.base}:conv:${id}`).srem(`${this.base}:groups`, id);
    if (stored?.userId) multi.del(`${this.base}:dm:${stored.userId}`);
    await multi.exec();
  }

  async personalConversationOf(userId: string): Promise<StoredConversation | undefined> {
    const id = await this.redis.get(`${this.base}:dm:${userId}`);
    return id ? this.conversation(id) : undefined;
  }

  /** Where to create new conversations in a tenant (any tenant when none is given). */
  async tenant(
    tenantId?: string,
  ): Promise<{ tenantId: string; serviceUrl: string; botId: string } | undefined> {
    let id = tenantId;
    if (!id) {
      id = (await this.redis.srandmember(`${this.base}:tenants`)) ?? undefined;
      if (!id) return undefined;
    }
    const found = parse<{ serviceUrl: string; botId: string }>(
      await this.redis.get(`${this.base}:tenant:${id}`),
    );
    return found ? { tenantId: id, ...found } : undefined;
  }

  /** Group conversations (channels, group chats) whose rosters can answer who someone is. */
  async groupConversations(limit: number): Promise<StoredConversation[]> {
    const ids = (await this.redis.srandmember(`${this.base}:groups`, limit)) as string[];
    const found = await Promise.all(ids.map((id) => this.conversation(id)));
    return found.filter((conversation): conversation is StoredConversation => conversation !== undefined);
  }

  async saveProfile(profile: TeamsProfile): Promise<void> {
    const multi = this.redis
      .multi()
      .set(`${this.base}:user:${profile.userId}`, JSON.stringify(profile), 'EX', PROFILE_TTL_SECONDS);
    if (profile.aadObjectId) {
      multi.set(
        `${this.base}:aad:${profile.aadObjectId.toLowerCase()}`,
        profile.userId,
        'EX',
        PROFILE_TTL_SECONDS,
      );
    }
    for (const address of [profile.email, profile.userPrincipalName]) {
      if (address)
        multi.set(`${this.base}:email:${address.toLowerCase()}`, profile.userId, 'EX', PROFILE_TTL_SECONDS);
    }
    await this.people.bump(multi).exec();
  }

  async profile(userId: string): Promise<TeamsProfile | undefined> {
    return this.profileOf(userId, await this.reads.get(`${this.base}:user:${userId}`));
  }

  private profileOf(userId: string, json: string | null): TeamsProfile | undefined {
    if (!json) return undefined;
    try {
      return this.knownProfiles.parse(userId, json);
    } catch {
      return undefined;
    }
  }

  async profiles(userIds: string[]): Promise<Map<string, TeamsProfile>> {
    const found = new Map<string, TeamsProfile>();
    if (userIds.length === 0) return found;
    const values = await this.redis.mget(userIds.map((id) => `${this.base}:user:${id}`));
    values.forEach((value, index) => {
      const profile = this.profileOf(userIds[index], value);
      if (profile) found.set(userIds[index], profile);
    });
    return found;
  }

  /** Teams user ids (29:...) of AAD object ids, where known (people.yaml may give either). */
  async userIdsByAadObjectId(ids: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (ids.length === 0) return found;
    const values = await this.redis.mget(ids.map((id) => `${this.base}:aad:${id.toLowerCase()}`));
    values.forEach((value, index) => {
      if (value) found.set(ids[index], value);
    });
    return found;
  }

  async userIdByEmail(email: string): Promise<string | undefined> {
    return (await this.reads.get(`${this.base}:email:${email.toLowerCase()}`)) ?? undefined;
  }

  /** Remember a failed roster lookup for a while, so an unknown address does not cost a call per message. */
  async rememberMiss(what: string): Promise<void> {
    const multi = this.redis
      .multi()
      .set(`${this.base}:miss:${what.toLowerCase()}`, '1', 'EX', MISS_TTL_SECONDS);
    await this.people.bump(multi).exec();
  }

  /**
   * Moves on every write of what profile and e-mail look-ups answer from (saveProfile, rememberMiss), in
   * the same transaction, in every process. What the look-ups answer can also change as those entries
   * expire, which no write marks: TeamsPeople.answersVersion adds the minute for that.
   */
  async peopleVersion(): Promise<string> {
    return this.people.token();
  }

  async isKnownMiss(what: string): Promise<boolean> {
    return (await this.redis.exists(`${this.base}:miss:${what.toLowerCase()}`)) === 1;
  }

  /**
   * Saves the latest version of a posted card. `read` is the version this turn read: when the new one is
   * exactly it, nothing is written (a repeated click on an unchanged card).
   */
  async saveCard(messageId: string, card: StoredCard, read?: StoredCard): Promise<void> {
    const json = this.knownCards.json(messageId, card);
    if (read && this.knownCards.readAs(messageId, read, json)) return;
    this.knownCards.forget(messageId);
    await this.redis.set(`${this.base}:card:${messageId}`, json, 'EX', CARD_TTL_SECONDS);
  }

  /**
   * Saves the card a delivery update sent, unless a newer update of the message was queued meanwhile
   * (checked in the same script): the click that queued it saves its own newer card.
   */
  async saveCardInOrder(messageId: string, card: StoredCard, order: UpdateOrder): Promise<void> {
    this.knownCards.forget(messageId);
    await SAVE_IN_ORDER.run(
      this.redis,
      [`${this.base}:card:${messageId}`, order.seqKey],
      [JSON.stringify(card), CARD_TTL_SECONDS, order.seq],
    );
  }

  /** The card as stored (frozen: it may be shared with other turns that read the same version). */
  async card(messageId: string): Promise<StoredCard | undefined> {
    const json = await this.reads.get(`${this.base}:card:${messageId}`);
    if (!json) return undefined;
    return this.knownCards.parse(messageId, json);
  }

  async savePosted(idempotencyKey: string, posted: PostedMessage): Promise<void> {
    await this.redis.set(
      `${this.base}:posted:${idempotencyKey}`,
      JSON.stringify(posted),
      'EX',
      POSTED_TTL_SECONDS,
    );
  }

  async posted(idempotencyKey: string): Promise<PostedMessage | undefined> {
    return parse(await this.redis.get(`${this.base}:posted:${idempotencyKey}`));
  }

  /** Written just before a post with this key goes to the Bot Connector (see TeamsChatPort.findPosted). */
  async markSending(idempotencyKey: string): Promise<void> {
    await this.redis.set(`${this.base}:sending:${idempotencyKey}`, '1', 'EX', POSTED_TTL_SECONDS);
  }

  async wasSending(idempotencyKey: string): Promise<boolean> {
    return (await this.redis.exists(`${this.base}:sending:${idempotencyKey}`)) === 1;
  }
}

function parse<T>(value: string | null): T | undefined {
  if (!value) return undefined;
  try {
    return JSON.parse(value) as T;
  } catch {
    return undefined;
  }
}
