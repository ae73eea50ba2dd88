import { splitMentions } from '../../../core/messages';

/** A Teams mention entity, as Adaptive Cards list them under `msteams.entities`. */
export interface TeamsMention {
  type: 'mention';
  text: string;
  mentioned: { id: string; name: string };
}

/**
 * Collects mentions while a card is rendered: `<@29:abc>` becomes `<at>Priya Nair</at>` in the text and one
 * entity per person (Teams matches the `<at>` text against the entity to notify and highlight them).
 */
export class MentionCollector {
  private readonly byId = new Map<string, TeamsMention>();

  constructor(private readonly nameOf: (userId: string) => string) {}

  /** Plain text with mention tokens -> Teams text with `<at>` tags. */
  text(value: string): string {
    return splitMentions(value)
      .map((part) => ('userId' in part ? this.mention(part.userId) : part.text))
      .join('');
  }

  entities(): TeamsMention[] {
    return [...this.byId.values()];
  }

  private mention(userId: string): string {
    const name = this.nameOf(userId).replace(/[<>]/g, '');
    const text = `<at>${name}</at>`;
    if (!this.byId.has(userId))
      this.byId.set(userId, { type: 'mention', text, mentioned: { id: userId, name } });
    return text;
  }
}

/** Every user id mentioned in a set of strings (so names can be looked up before rendering). */
export function mentionedUserIds(texts: string[]): string[] {
  const ids = new Set<string>();
  for (const text of texts) {
    for (const part of splitMentions(text)) if ('userId' in part) ids.add(part.userId);
  }
  return [...ids];
}
