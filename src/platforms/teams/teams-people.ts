import type { ConnectorClient } from '@microsoft/agents-hosting';
import type { PlatformPeople, PlatformProfile } from '../../core/ports';
import type { Logger } from '../../logging/logger';
import type { TeamsConnector } from './teams-connector';
import type { StoredConversation, TeamsProfile, TeamsStore } from './teams-store';

/** How long a look-up's answer is vouched for by the store's version alone. */
const VERSION_MINUTE_MS = 60_000;

/** How many group rosters to ask before giving up on an address. */
const ROSTERS_TO_ASK = 5;

/** A Teams roster member as the Bot Connector returns it (`GET v3/conversations/{id}/members/{user}`). */
interface TeamsMember {
  id?: string;
  name?: string;
  aadObjectId?: string;
  email?: string;
  userPrincipalName?: string;
  tenantId?: string;
}

/**
 * Who a Teams user is: cached profiles in Redis, else the conversation rosters the bot is in. Teams lets a
 * roster be asked for one member by user id, AAD object id, e-mail or UPN, which is how card people
 * ("priya@example.org") become Teams users.
 */
export class TeamsPeople implements PlatformPeople {
  readonly platform = 'teams' as const;

  constructor(
    private readonly store: TeamsStore,
    private readonly connector: TeamsConnector,
    private readonly logger: Logger,
  ) {}

  async profile(userId: string): Promise<PlatformProfile | undefined> {
    return (await this.store.profile(userId)) ?? (await this.askRosters(userId));
  }

  /**
   * What profile and e-mail look-ups answer from changes only when the store writes it, or as its
   * entries expire (profiles after a day, remembered misses after ten minutes): the store's version and
   * the current minute, so a remembered answer is checked in full at least once a minute.
   */
  async answersVersion(): Promise<string> {
    return `${await this.store.peopleVersion()}@${Math.floor(Date.now() / VERSION_MINUTE_MS)}`;
  }

  async lookupByEmail(email: string): Promise<PlatformProfile | undefined> {
    const userId = await this.store.userIdByEmail(email);
    if (userId) return (await this.store.profile(userId)) ?? { userId, email };
    return this.askRosters(email);
  }

  /** A member of the conversation an activity came from (the actor), through the turn's own client. */
  async memberOf(
    client: ConnectorClient,
    conversationId: string,
    userId: string,
  ): Promise<TeamsProfile | undefined> {
    const cached = await this.store.profile(userId);
    if (cached) return cached;
    try {
      const member = (await client.getConversationMember(userId, conversationId)) as TeamsMember;
      return await this.remember(member);
    } catch (error) {
      this.logger.debug('teams: roster lookup failed', { userId, error });
      return undefined;
    }
  }

  private async askRosters(who: string): Promise<TeamsProfile | undefined> {
    if (await this.store.isKnownMiss(who)) return undefined;
    const conversations: StoredConversation[] = await this.store.groupConversations(ROSTERS_TO_ASK);
    for (const conversation of conversations) {
      try {
        const client = await this.connector.client(conversation);
        const member = (await client.getConversationMember(who, conversation.id)) as TeamsMember;
        const profile = await this.remember(member);
        if (profile) return profile;
      } catch (error) {
        this.logger.debug('teams: not in this roster', { conversation: conversation.id, error });
      }
    }
    await this.store.rememberMiss(who);
    return undefined;
  }

  private async remember(member: TeamsMember | undefined): Promise<TeamsProfile | undefined> {
    if (!member?.id) return undefined;
    const profile: TeamsProfile = { userId: member.id };
    if (member.name) profile.name = member.name;
    if (member.email) profile.email = member.email;
    else if (member.userPrincipalName?.includes('@')) profile.email = member.userPrincipalName;
    if (member.userPrincipalName) profile.userPrincipalName = member.userPrincipalName;
    if (member.aadObjectId) profile.aadObjectId = member.aadObjectId;
    if (member.tenantId) profile.tenantId = member.tenantId;
    await this.store.saveProfile(profile);
    return profile;
  }
}
