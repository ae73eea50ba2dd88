import type { Card, CardError } from '../core/card';
import { cardError } from './card-error';

/**
 * Two cards may not share a project ID (compared case-insensitively, as `find` matches). The first card
 * (cards come in file-path order) keeps the ID; every later one is reported with its file and tech-name
 * line and left out.
 */
export function findDuplicateIds(cards: readonly Card[]): { cards: Card[]; errors: CardError[] } {
  const first = new Map<string, Card>();
  const kept: Card[] = [];
  const errors: CardError[] = [];
  for (const card of cards) {
    const id = card.projectId.toLowerCase();
    const owner = first.get(id);
    if (!owner) {
      first.set(id, card);
      kept.push(card);
      continue;
    }
    const line = card.fields['tech-name']?.line ?? card.titleLine;
    errors.push(
      cardError(
        card.file,
        'duplicate-id',
        {
          projectId: card.projectId,
          otherFile: owner.file,
          otherLine: owner.fields['tech-name']?.line ?? owner.titleLine,
        },
        line,
      ),
    );
  }
  return { cards: kept, errors };
}
