import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type Redis from 'ioredis';

/**
 * OAuth installations in Redis, one JSON value per workspace (or per Enterprise Grid org for org-wide
 * installs), plus a set of installed keys so the adapter can find a workspace for lookups that carry no
 * team. `app_uninstalled` and `tokens_revoked` call `deleteInstallation`.
 */
export class RedisInstallationStore implements InstallationStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  private key(query: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean }): string {
    if (query.isEnterpriseInstall && query.enterpriseId) return `org:${query.enterpriseId}`;
    if (!query.teamId)
      throw new Error('an installation query needs a team id (or an enterprise id for org installs)');
    return `team:${query.teamId}`;
  }

  private redisKey(id: string): string {
    return `${this.keyPrefix}:slack:installation:${id}`;
  }

  private get indexKey(): string {
    return `${this.keyPrefix}:slack:installations`;
  }

  async storeInstallation(installation: Installation): Promise<void> {
    const id = this.key({
      teamId: installation.team?.id,
      enterpriseId: installation.enterprise?.id,
      isEnterpriseInstall: installation.isEnterpriseInstall,
    });
    await this.redis
      .multi()
      .set(this.redisKey(id), JSON.stringify(installation))
      .sadd(this.indexKey, id)
      .exec();
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const installation = await this.find(query);
    if (!installation) throw new Error(`no Slack installation for ${this.key(query)}`);
    return installation;
  }

  /** Like fetchInstallation, but undefined instead of an error; falls back to the org install. */
  async find(query: {
    teamId?: string;
    enterpriseId?: string;
    isEnterpriseInstall?: boolean;
  }): Promise<Installation | undefined> {
    const ids = [this.key(query)];
    if (!query.isEnterpriseInstall && query.enterpriseId) ids.push(`org:${query.enterpriseId}`);
    for (const id of ids) {
      const raw = await this.redis.get(this.redisKey(id));
      if (raw) return JSON.parse(raw) as Installation;
    }
    return undefined;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const id = this.key(query);
    await this.redis.multi().del(this.redisKey(id)).srem(this.indexKey, id).exec();
  }

  /** Every installed workspace or org key (`team:T123`, `org:E123`). */
  async installedIds(): Promise<string[]> {
    return (await this.redis.smembers(this.indexKey)).sort();
  }

  async findById(id: string): Promise<Installation | undefined> {
    const raw = await this.redis.get(this.redisKey(id));
    return raw ? (JSON.parse(raw) as Installation) : undefined;
  }
}
