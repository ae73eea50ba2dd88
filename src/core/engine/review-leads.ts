import type { DeliveryNotify } from '../engine-api';
import type { PlatformName } from '../events';
import { resolvePeople, type ResolvedPerson } from '../people-resolver';
import { notifyOf, type EngineContext } from './engine-context';
import type { Review } from './store-ports';

/** The people-directory role that makes someone a review lead (UX.md: "the review lead (@lee) is told"). */
export const LEAD_ROLE = 'lead';

/** Who hears of a review that stays stuck after the last reminder. */
export interface ReviewLeads {
  /** Mentions (or names, when not found on the platform) of the leads; empty: the requester is the lead. */
  leads: string[];
  /** The requester is one of the role leads. */
  requesterIsLead: boolean;
}

/**
 * The review lead(s): the directory members with the `lead` role, resolved on the review's platform like
 * card people (directory ids, then the platform's e-mail look-up); when the directory names none, the
 * person who requested the review. Only names people; who may do what is decided elsewhere.
 */
export async function reviewLeads(
  ctx: EngineContext,
  review: Review,
  platform: PlatformName,
): Promise<ReviewLeads> {
  const resolved = await resolveLeads(ctx, platform);
  if (resolved === undefined) return { leads: [], requesterIsLead: true };
  return {
    leads: resolved.map((person) => person.display),
    requesterIsLead: resolved.some(
      (person) =>
        person.key === review.requestedBy.key ||
        (person.userId !== undefined &&
          review.requestedBy.platform === platform &&
          person.userId === review.requestedBy.userId),
    ),
  };
}

/**
 * Who hears of a message that could not be delivered (or may not have gone out): the requester, and the
 * review leads found on the platform, by DM.
 */
export async function notifyWithLeads(
  ctx: EngineContext,
  review: Review,
  platform: PlatformName,
): Promise<DeliveryNotify> {
  const resolved = (await resolveLeads(ctx, platform)) ?? [];
  const leads = resolved.flatMap((person) => (person.userId ? [person.userId] : []));
  return { ...notifyOf(review), ...(leads.length > 0 ? { leads } : {}) };
}

/** The directory's leads resolved on a platform; undefined when the directory names none. */
async function resolveLeads(
  ctx: EngineContext,
  platform: PlatformName,
): Promise<ResolvedPerson[] | undefined> {
  const directoryLeads = ctx.deps.people.people.filter((person) => person.roles.includes(LEAD_ROLE));
  if (directoryLeads.length === 0) return undefined;
  return resolvePeople(
    // By e-mail when known (unique in the directory), else by directory id.
    directoryLeads.map((person) => ({ text: person.id, kind: 'name' as const, email: person.email })),
    platform,
    {
      people: ctx.deps.people,
      platformPeople: ctx.deps.platformPeople,
      defaultTz: ctx.deps.defaultTz,
      defaultLocale: ctx.deps.defaultLocale,
    },
  );
}
