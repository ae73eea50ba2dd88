import type { ResolvedPerson } from '../people-resolver';
import { renderLine } from '../render';
import { keys, type EngineContext } from './engine-context';
import type { ProjectContext } from './project-context';
import type { Review, ReviewOwner } from './store-ports';

/**
 * What a review remembers of its card so that a card which disappears can still be talked about: the
 * owners (to name and mention them in the pause notice), the file it lives in (a rename within the same
 * project follows it), and whether the review is paused because the card was gone.
 */

export function ownersOf(people: ResolvedPerson[]): ReviewOwner[] {
  return people.map((person) => ({
    key: person.key,
    name: person.name,
    ...(person.userId ? { userId: person.userId } : {}),
  }));
}

/** How a stored owner is written in a message: a mention when their platform id is known, else the name. */
export function ownerMention(owner: ReviewOwner): string {
  return owner.userId ? `<@${owner.userId}>` : owner.name;
}

function sameOwners(a: ReviewOwner[] | undefined, b: ReviewOwner[]): boolean {
  return (
    a !== undefined &&
    a.length === b.length &&
    a.every((owner, index) => {
      const other = b[index]!;
      return owner.key === other.key && owner.name === other.name && owner.userId === other.userId;
    })
  );
}

/**
 * The card could be read: store its owners and file when they changed, and end a pause (the card is
 * back), saying so once in the thread. Returns the review to carry on with (saved, or as it was when
 * another process saved first).
 */
export async function keepReviewCurrent(
  ctx: EngineContext,
  review: Review,
  pc: ProjectContext,
): Promise<Review> {
  const owners = ownersOf(pc.owners);
  const back = review.cardGoneSince !== undefined;
  if (sameOwners(review.owners, owners) && review.cardFile === pc.card.file && !back) return review;
  const { cardGoneSince: _ended, ...rest } = review;
  const updated: Review = { ...rest, owners, cardFile: pc.card.file };
  if (!(await ctx.deps.stores.reviews.save(updated, review.phase))) return review;
  if (back) await sayCardBack(ctx, updated, pc);
  return updated;
}

async function sayCardBack(ctx: EngineContext, review: Review, pc: ProjectContext): Promise<void> {
  const env = await ctx.channelEnv(review.conversationId);
  const text = env.t(
    'engine:cardSource.back',
    { id: review.projectId, file: pc.card.file, revision: pc.card.revision },
    env.locale,
  );
  await ctx.deps.delivery.send([
    {
      op: 'post',
      key: `review-${review.id}-card-back-${review.cardGoneCount ?? 1}`,
      conversationId: review.conversationId,
      threadOf: threadOf(review),
      message: renderLine('notice', text, env.locale),
    },
  ]);
}

/** The review's thread: the vote message while voting, else the gap report. */
export function threadOf(review: Review): string {
  return review.phase === 'voting' ? keys.vote(review.id) : keys.gapReport(review.id, review.cardRevision);
}
