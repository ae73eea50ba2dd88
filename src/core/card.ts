/**
 * The MLTRL card as the bot understands it. Produced by src/cards (markdown -> Card); read by the gap
 * checker, the engine and the digest. Every row and section sits under its stable key (SPEC section 3).
 */

/** Stable keys of the summary rows and detail sections. */
export const CARD_KEYS = [
  'tech-name',
  'current-level',
  'owners',
  'reviewers',
  'main-page',
  'requirements-docs',
  'code-repo',
  'ethics-checks',
  'coupled-components',
  'prior-cards',
  'tldr',
  'requirements',
  'model-info',
  'intended-use',
  'testing-status',
  'data-considerations',
  'caveats',
  'stage-debrief',
] as const;

export type CardKey = (typeof CARD_KEYS)[number];

export function isCardKey(value: string): value is CardKey {
  return (CARD_KEYS as readonly string[]).includes(value);
}

/** One summary row or one detail section, with its raw text (markdown, trimmed) and source line (1-based). */
export interface CardField {
  key: CardKey;
  /** The label as written on the card ("Req's, V&V docs"). */
  label: string;
  /** Raw content, trimmed. Empty string when the row or section is there but empty. */
  text: string;
  line: number;
}

/**
 * A row or section the bot has no key for, or a footnote definition (`[^1]: ...`, label `^1`, kind
 * `note`); kept so nothing on the card is lost.
 */
export interface ExtraField {
  label: string;
  text: string;
  line: number;
  kind: 'row' | 'section' | 'note';
}

/** How a person was written in an owner/reviewer cell. */
export type PersonRefKind = 'name' | 'handle' | 'email' | 'platform-id' | 'group';

/**
 * A group written in a reviewer cell: a Slack user group (`<!subteam^S0123|@ml-board>`) or a Teams tag
 * (`<at>ML Board</at>`). Directory groups (`@ethics-board`) are written as handles and recognised when
 * the people directory is at hand.
 */
export interface GroupRef {
  platform: 'slack' | 'teams';
  /** Slack user group id ("S0123"); Teams tags are known by name only. */
  id?: string;
  /** The group's handle or tag name ("ml-board", "ML Board"). */
  name?: string;
}

export interface PersonRef {
  /** Exactly as written, e.g. "Priya Nair <priya@example.org>". */
  text: string;
  kind: PersonRefKind;
  /** Display name when one was written ("Priya Nair"), else undefined. */
  name?: string;
  /** Handle without "@" ("sam"), when written as a handle. */
  handle?: string;
  email?: string;
  /** Raw platform user id from `<@U123ABC>`. */
  platformId?: string;
  /** A platform group (kind `group`). */
  group?: GroupRef;
  /** Which split row it came from ("R&D owner" -> "rnd", "Product reviewer" -> "product"). */
  role?: 'rnd' | 'product';
}

export interface DebriefQuestion {
  /** 1 to 4, in MLTRL's order: accomplished, punted, learned, tech debt. */
  number: number;
  question: string;
  answer: string;
  answered: boolean;
  line: number;
}

export interface Card {
  /** Path as given to the loader (relative to CARDS_DIR when loaded from a directory). */
  file: string;
  projectId: string;
  name: string;
  /** Stated level, 0-9. */
  level: number;
  title: string;
  titleLine: number;
  owners: PersonRef[];
  reviewers: PersonRef[];
  /** Every recognised row and section by key. Absent keys are absent from the card. */
  fields: Partial<Record<CardKey, CardField>>;
  extras: ExtraField[];
  /** The four debrief questions (absent ones are listed as unanswered, line of the section). */
  debrief: DebriefQuestion[];
  /** The card's `Flow` row, when it names a flow other than the default. */
  flowName?: string;
  /** Line of the `Flow` row, when there is one. */
  flowLine?: number;
  /** Short content hash (12 hex chars) of the file: votes bind to it. */
  revision: string;
  /** Revision of each field's text, so a change to one required section can be detected. */
  fieldRevisions: Partial<Record<CardKey, string>>;
}

/** A file that could not be read as a card, with a sentence a person understands. */
export interface CardError {
  file: string;
  line?: number;
  message: string;
  code:
    | 'unreadable'
    | 'not-a-card'
    | 'no-level'
    | 'bad-level'
    | 'duplicate-id'
    | 'too-large'
    | 'binary'
    | 'unknown-flow';
  /** What the message was built from (i18n key `cards:error.<code>`), so any surface can translate it. */
  params?: Record<string, string | number>;
}

export interface SkippedFile {
  file: string;
  reason: string;
}

/** What reading a card directory yields: cards, broken cards (errors), and files that are not cards. */
export interface CardSet {
  cards: Card[];
  errors: CardError[];
  skipped: SkippedFile[];
}
