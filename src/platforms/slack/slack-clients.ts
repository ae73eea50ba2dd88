import { WebClient, type WebClientOptions } from '@slack/web-api';
import type Redis from 'ioredis';
import { PermanentDeliveryError } from '../../core/errors';
import { traceSlackFetch } from '../../observability/trace-calls';
import { createNodeHttpFetch } from './node-http-fetch';
import type { RedisInstallationStore } from './redis-installation-store';

/**
 * Web API clients for outbound calls. Rate limits are the delivery queue's business: a 429 rejects at
 * once (RateLimitedError after `toDeliveryError`) instead of pausing the client for minutes, and the
 * client itself does not retry (the queue does, with back-off).
 */
export function deliveryClientOptions(
  slackApiUrl: string | undefined,
  logger: WebClientOptions['logger'],
  /** The HTTP time-out; `platformCallTimeoutMs(DELIVERY_CLAIM_TIMEOUT_MS)` keeps it inside the worker's. */
  timeoutMs = 15000,
): WebClientOptions {
  return {
    // With tracing on, a span per Web API call (method name, status, Slack's error code).
    fetch: traceSlackFetch(createNodeHttpFetch()),
    slackApiUrl: slackApiUrl ? slackApiUrl.replace(/\/?$/, '/') : undefined,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: timeoutMs,
    logger,
  };
}

export interface SlackClientsOptions {
  redis: Redis;
  keyPrefix: string;
  clientOptions: WebClientOptions;
  /** Single workspace: the bot token. */
  botToken?: string;
  /** Several workspaces: tokens come from OAuth installations. */
  installations?: RedisInstallationStore;
}

const USER_TEAM_TTL_SECONDS = 30 * 24 * 3600;

/** Finds the right token (and so the right client) for a workspace, a user, or "any workspace". */
export class SlackClients {
  private readonly byToken = new Map<string, WebClient>();
  private singleTeamId?: Promise<string>;
  private readonly rememberedTeams = new Map<string, string>();

  constructor(private readonly options: SlackClientsOptions) {}

  private client(token: string): WebClient {
    let client = this.byToken.get(token);
    if (!client) {
      client = new WebClient(token, this.options.clientOptions);
      this.byToken.set(token, client);
    }
    return client;
  }

  async forTeam(teamId: string): Promise<WebClient> {
    if (this.options.botToken) return this.client(this.options.botToken);
    const installation = await this.options.installations?.find({ teamId });
    const token = installation?.bot?.token;
    if (!token)
      throw new PermanentDeliveryError('no_installation', `the Slack app is not installed in ${teamId}`);
    return this.client(token);
  }

  /** The workspace of a user: learned from their requests, else the only (or first) workspace. */
  async teamOfUser(userId: string): Promise<string> {
    const known = await this.options.redis.get(this.userTeamKey(userId));
    if (known) return known;
    const teams = await this.teamIds();
    if (teams.length === 0)
      throw new PermanentDeliveryError('no_installation', 'the Slack app is not installed anywhere');
    return teams[0];
  }

  async rememberUserTeam(userId: string, teamId: string): Promise<void> {
    // Written once per user and process (and again after a restart): the TTL is long, the hot path short.
    if (this.rememberedTeams.get(userId) === teamId) return;
    await this.options.redis.set(this.userTeamKey(userId), teamId, 'EX', USER_TEAM_TTL_SECONDS);
    if (this.rememberedTeams.size >= 10_000) this.rememberedTeams.clear();
    this.rememberedTeams.set(userId, teamId);
  }

  /** Workspaces this bot can talk to. */
  async teamIds(): Promise<string[]> {
    if (this.options.botToken) return [await this.singleTeam()];
    const ids = (await this.options.installations?.installedIds()) ?? [];
    return ids.filter((id) => id.startsWith('team:')).map((id) => id.slice('team:'.length));
  }

  private singleTeam(): Promise<string> {
    this.singleTeamId ??= this.client(this.options.botToken!)
      .auth.test()
      .then((result) => String(result.team_id))
      .catch((error: unknown) => {
        this.singleTeamId = undefined;
        throw error;
      });
    return this.singleTeamId;
  }

  private userTeamKey(userId: string): string {
    return `${this.options.keyPrefix}:slack:user-team:${userId}`;
  }
}
