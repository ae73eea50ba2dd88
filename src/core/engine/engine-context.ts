import type { WorkCalendar } from '../business-time';
import type { Actor, EngineReply, PlatformName } from '../events';
import type { Flow } from '../flow';
import { placeOf } from '../holidays';
import type { OutboundMessage } from '../messages';
import type { Person } from '../people';
import { actorKey, personForActor } from '../person-match';
import type { ResolvedPerson } from '../people-resolver';
import { renderLine, type RenderEnv } from '../render';
import type { EngineDeps } from './deps';
import type { AuditEvent, PersonKeyRef, Review } from './store-ports';

/**
 * Small helpers every engine use case shares: time, rendering environments for the channel / a person /
 * the actor, audit appends, and one-line replies.
 */
export class EngineContext {
  constructor(readonly deps: EngineDeps) {}

  now(): Date {
    return this.deps.clock.now();
  }

  /** Channel messages: the channel's language (`language use`), else the default; the default zone. */
  async channelEnv(conversationId: string): Promise<RenderEnv> {
    return {
      t: this.deps.t,
      locale: await this.channelLocale(conversationId),
      tz: this.deps.defaultTz,
      shared: true,
    };
  }

  async channelLocale(conversationId: string): Promise<string> {
    const chosen = await this.deps.stores.channelLanguages.get(conversationId);
    return chosen?.locale ?? this.deps.defaultLocale;
  }

  personEnv(person: Pick<ResolvedPerson, 'locale' | 'tz'>): RenderEnv {
    return { t: this.deps.t, locale: person.locale, tz: person.tz };
  }

  actorEnv(actor: Actor): RenderEnv {
    const person = personForActor(actor, this.deps.people);
    return {
      t: this.deps.t,
      locale: actor.locale ?? person?.locale ?? this.deps.defaultLocale,
      tz: actor.tz ?? person?.tz ?? this.deps.defaultTz,
    };
  }

  /**
   * Someone known only by platform id (the review's requester): the directory's language and zone, else
   * their platform profile's, else the defaults. For private messages to them.
   */
  async platformUserEnv(who: { platform: PlatformName; userId: string }): Promise<RenderEnv> {
    const person = personForActor(who, this.deps.people);
    let profile: { tz?: string; locale?: string } | undefined;
    if (!person?.locale || !person.tz) {
      profile = await this.deps.platformPeople?.[who.platform]?.profile(who.userId).catch(() => undefined);
    }
    return {
      t: this.deps.t,
      locale: person?.locale ?? profile?.locale ?? this.deps.defaultLocale,
      tz: person?.tz ?? profile?.tz ?? this.deps.defaultTz,
    };
  }

  actorRef(actor: Actor): PersonKeyRef {
    const person = personForActor(actor, this.deps.people);
    return {
      key: actorKey(actor, this.deps.people),
      platform: actor.platform,
      userId: actor.userId,
      name: actor.name ?? person?.name,
    };
  }

  /**
   * Working calendar of a person (their zone and hours; the flow's holidays, the company days off and the
   * public holidays of their people.yaml country). Without a person: the bot's zone, the flow's hours,
   * the flow's holidays and the company days for everyone.
   */
  calendar(
    flow: Flow,
    person?: Pick<ResolvedPerson, 'tz' | 'workingHours'> & { person?: Person },
  ): WorkCalendar {
    const holidays = this.deps.holidays;
    const place = placeOf(person?.person);
    return {
      tz: person?.tz ?? this.deps.defaultTz,
      workingHours: person?.workingHours ?? flow.workingHours,
      holidays: flow.holidays,
      ...(holidays && { isHoliday: (date: string) => holidays.isDayOff(date, place) }),
    };
  }

  /**
   * The calendar vote deadlines count in: the bot's zone (DEFAULT_TZ) and the flow's hours, with the
   * days off of the person who started the review (a deadline must not fall on their holiday).
   */
  deadlineCalendar(flow: Flow, review: Pick<Review, 'requestedBy'>): WorkCalendar {
    const requester = this.deps.people.people.find((person) => person.id === review.requestedBy.key);
    return this.calendar(flow, { tz: this.deps.defaultTz, workingHours: undefined, person: requester });
  }

  async audit(event: Omit<AuditEvent, 'at'> & { at?: string }): Promise<void> {
    await this.deps.stores.audit.append({ ...event, at: event.at ?? this.now().toISOString() });
  }

  /** An ephemeral one-liner from an i18n key, in the actor's language. */
  reply(
    actor: Actor,
    kind: OutboundMessage['kind'],
    key: string,
    params?: Record<string, unknown>,
  ): EngineReply {
    const env = this.actorEnv(actor);
    return { ephemeral: [renderLine(kind, env.t(`engine:${key}`, params, env.locale), env.locale)] };
  }

  refuse(actor: Actor, key: string, params?: Record<string, unknown>): EngineReply {
    return this.reply(actor, 'error', `refuse.${key}`, params);
  }
}

/** Job ids and delivery keys: letters, digits, '-' and '_' only (BullMQ forbids ':'). */
export function safeId(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80);
}

export const keys = {
  gapReport: (reviewId: string, revision: string) => `review-${reviewId}-gaps-${revision}`,
  vote: (reviewId: string) => `review-${reviewId}-vote`,
  voteUpdate: (reviewId: string, version: string | number) => `review-${reviewId}-vote-u${version}`,
  voteSummary: (reviewId: string) => `review-${reviewId}-vote-summary`,
  stale: (reviewId: string, revision: string) => `review-${reviewId}-stale-${revision}`,
  outcome: (reviewId: string) => `review-${reviewId}-outcome`,
  outcomeLine: (reviewId: string) => `review-${reviewId}-outcome-line`,
  nudge: (reviewId: string, target: string, round: number, personKey: string) =>
    `review-${reviewId}-nudge-${target}-r${round}-${safeId(personKey)}`,
  escalation: (reviewId: string, target: string) => `review-${reviewId}-escalate-${target}`,
  notMine: (reviewId: string, personKey: string) => `review-${reviewId}-notmine-${safeId(personKey)}`,
};

export const jobIds = {
  nudge: (reviewId: string, target: string, round: number, personKey: string) =>
    `nudge-${reviewId}-${target}-r${round}-${safeId(personKey)}`,
  escalation: (reviewId: string, target: string) => `escalate-${reviewId}-${target}`,
  deadline: (reviewId: string) => `deadline-${reviewId}`,
  tick: (reviewId: string) => `tick-${reviewId}`,
};

/** Who hears about a channel post that fails for good (bot not in channel): the review lead. */
export function notifyOf(review: Review): { platform: PlatformName; userId: string; conversationId: string } {
  return {
    platform: review.requestedBy.platform,
    userId: review.requestedBy.userId,
    conversationId: review.conversationId,
  };
}

export function platformFor(conversationId: string): PlatformName {
  const prefix = conversationId.slice(0, conversationId.indexOf(':'));
  return prefix === 'slack' || prefix === 'teams' ? prefix : 'playground';
}
