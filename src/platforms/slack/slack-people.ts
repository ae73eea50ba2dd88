import type Redis from 'ioredis';
import type { PlatformPeople, PlatformProfile } from '../../core/ports';
import type { Logger } from '../../logging/logger';
import type { SlackClients } from './slack-clients';

const PROFILE_TTL_SECONDS = 6 * 3600;
/** "Nobody with that e-mail" is remembered briefly, so a typo in a card does not cost a call per message. */
const MISS_TTL_SECONDS = 600;
const RECENT_TTL_MS = 60_000;
const RECENT_MAX = 10_000;
const NOT_FOUND = new Set(['users_not_found', 'user_not_found']);

interface UserInfo {
  id?: string;
  name?: string;
  real_name?: string;
  tz?: string;
  locale?: string;
  deleted?: boolean;
  profile?: { email?: string; real_name?: string; display_name?: string };
}

function toProfile(user: UserInfo): PlatformProfile | undefined {
  if (!user.id) return undefined;
  return {
    userId: user.id,
    name: user.real_name || user.profile?.real_name || user.profile?.display_name || user.name || undefined,
    email: user.profile?.email,
    tz: user.tz,
    locale: user.locale,
  };
}

function isNotFound(error: unknown): boolean {
  const reason = (error as { data?: { error?: string } })?.data?.error;
  return reason !== undefined && NOT_FOUND.has(reason);
}

/**
 * Slack users for resolving card people and their time zones: `users.lookupByEmail` and `users.info`
 * (with locale), cached in Redis so a busy channel does not spend the Web API's tier limits.
 */
export class SlackPeople implements PlatformPeople {
  readonly platform = 'slack' as const;

  constructor(
    private readonly clients: SlackClients,
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly logger: Logger,
  ) {}

  private key(kind: string, id: string): string {
    return `${this.keyPrefix}:slack:${kind}:${id}`;
  }

  /** Look-ups in flight, so a burst of requests from one person costs one users.info call. */
  private readonly inFlight = new Map<string, Promise<PlatformProfile | undefined>>();

  /**
   * A minute of memory in front of Redis: every command and click reads the caller's profile, and a
   * busy channel should not pay a Redis round trip for each.
   */
  private readonly recent = new Map<string, { profile: PlatformProfile | undefined; until: number }>();

  async profile(userId: string, teamId?: string): Promise<PlatformProfile | undefined> {
    const remembered = this.recent.get(userId);
    if (remembered && remembered.until > Date.now()) return remembered.profile;
    let pending = this.inFlight.get(userId);
    if (!pending) {
      pending = this.loadProfile(userId, teamId).finally(() => this.inFlight.delete(userId));
      this.inFlight.set(userId, pending);
    }
    const profile = await pending;
    if (this.recent.size >= RECENT_MAX) this.recent.clear();
    this.recent.set(userId, { profile, until: Date.now() + RECENT_TTL_MS });
    return profile;
  }

  private async loadProfile(userId: string, teamId?: string): Promise<PlatformProfile | undefined> {
    const cached = await this.redis.get(this.key('profile', userId));
    if (cached) return cached === '-' ? undefined : (JSON.parse(cached) as PlatformProfile);
    const team = teamId ?? (await this.clients.teamOfUser(userId));
    const client = await this.clients.forTeam(team);
    try {
      const result = await client.users.info({ user: userId, include_locale: true });
      const profile = toProfile((result.user ?? {}) as UserInfo);
      await this.remember(userId, profile);
      return profile;
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.redis.set(this.key('profile', userId), '-', 'EX', MISS_TTL_SECONDS);
      return undefined;
    }
  }

  async lookupByEmail(email: string): Promise<PlatformProfile | undefined> {
    const normalized = email.trim().toLowerCase();
    const cached = await this.redis.get(this.key('email', normalized));
    if (cached === '-') return undefined;
    if (cached) return this.profile(cached);
    for (const teamId of await this.clients.teamIds()) {
      const client = await this.clients.forTeam(teamId);
      try {
        const result = await client.users.lookupByEmail({ email: normalized });
        const profile = toProfile((result.user ?? {}) as UserInfo);
        if (!profile) continue;
        await this.remember(profile.userId, profile);
        await this.redis.set(this.key('email', normalized), profile.userId, 'EX', PROFILE_TTL_SECONDS);
        await this.clients.rememberUserTeam(profile.userId, teamId);
        return profile;
      } catch (error) {
        if (!isNotFound(error)) {
          this.logger.warn('slack: users.lookupByEmail failed', { error });
          throw error;
        }
      }
    }
    await this.redis.set(this.key('email', normalized), '-', 'EX', MISS_TTL_SECONDS);
    return undefined;
  }

  /**
   * Members of a user group (`<!subteam^S0123|@ml-board>`), asked of every installed workspace until one
   * knows it. A refusal (a missing `usergroups:read` scope, an unknown group) throws with Slack's reason
   * as `code`, which the vote message shows.
   */
  async groupMembers(group: { id?: string }): Promise<string[]> {
    if (!group.id) throw Object.assign(new Error('no user group id'), { code: 'no_such_subteam' });
    let reason = 'no_such_subteam';
    for (const teamId of await this.clients.teamIds()) {
      const client = await this.clients.forTeam(teamId);
      try {
        const result = await client.usergroups.users.list({ usergroup: group.id });
        return (result.users ?? []).filter((id): id is string => typeof id === 'string');
      } catch (error) {
        reason = (error as { data?: { error?: string } })?.data?.error ?? 'request_failed';
        this.logger.warn('slack: usergroups.users.list failed', { usergroup: group.id, reason });
      }
    }
    throw Object.assign(new Error(`Slack user group ${group.id}: ${reason}`), { code: reason });
  }

  private async remember(userId: string, profile: PlatformProfile | undefined): Promise<void> {
    await this.redis.set(
      this.key('profile', userId),
      profile ? JSON.stringify(profile) : '-',
      'EX',
      profile ? PROFILE_TTL_SECONDS : MISS_TTL_SECONDS,
    );
  }
}
