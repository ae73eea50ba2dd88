import { delegationOf, isAway, type Delegation } from '../delegation';
import { resolvePeople, type ResolvedPerson } from '../people-resolver';
import type { EngineContext } from './engine-context';
import type { ProjectContext } from './project-context';

/** Where one person's reminder goes: to them, or to their delegate on their behalf. */
export interface ReminderRoute {
  to: Pick<ResolvedPerson, 'key' | 'name' | 'tz' | 'locale' | 'workingHours'> & { userId: string };
  /** Set when the reminder goes to a delegate: whose reminder it is, and the delegation in force. */
  onBehalfOf?: { person: ResolvedPerson; delegation: Delegation };
}

/**
 * A person's reminder goes to their delegate while a delegation is in force (and the delegate is not
 * away themselves); else to them, unless their `away` days cover now, when it is skipped (the next
 * round still comes, and the lead still hears after the last one).
 */
export async function reminderRoute(
  ctx: EngineContext,
  pc: ProjectContext,
  person: ResolvedPerson,
  delegations: Delegation[],
): Promise<ReminderRoute | undefined> {
  const now = ctx.now();
  const delegation = delegationOf(delegations, person.key, pc.card.projectId, now);
  if (delegation) {
    const delegate = await delegateOn(ctx, pc, delegation);
    if (delegate?.userId && !isAway(delegate.person, now, ctx.deps.defaultTz))
      return { to: { ...delegate, userId: delegate.userId }, onBehalfOf: { person, delegation } };
  }
  if (!person.userId || isAway(person.person, now, ctx.deps.defaultTz)) return undefined;
  return { to: { ...person, userId: person.userId } };
}

/** The delegate on the review's platform: a directory person as card people are, else their platform id. */
export async function delegateOn(
  ctx: EngineContext,
  pc: ProjectContext,
  delegation: Delegation,
): Promise<ResolvedPerson | undefined> {
  const { deps } = ctx;
  const directoryPerson = deps.people.people.find((p) => p.id === delegation.to.key);
  if (directoryPerson) {
    const [resolved] = await resolvePeople(
      [{ text: directoryPerson.id, kind: 'name', email: directoryPerson.email }],
      pc.platform,
      {
        people: deps.people,
        platformPeople: deps.platformPeople,
        defaultTz: deps.defaultTz,
        defaultLocale: deps.defaultLocale,
      },
    );
    return resolved;
  }
  if (delegation.to.platform !== pc.platform) return undefined;
  const name = delegation.to.name ?? delegation.to.userId;
  return {
    key: delegation.to.key,
    ref: { text: name, kind: 'platform-id', platformId: delegation.to.userId },
    userId: delegation.to.userId,
    display: `<@${delegation.to.userId}>`,
    name,
    tz: deps.defaultTz,
    locale: deps.defaultLocale,
    roles: [],
    via: 'platform-id',
  };
}
