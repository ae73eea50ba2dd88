/** A person from the people directory (people.yaml). Every field but id and name is optional. */
export interface Person {
  /** Stable id used inside the bot and the playground ("ana"). */
  id: string;
  name: string;
  email?: string;
  /** Other ways cards refer to them ("sam", "ana.lima"). */
  handles: string[];
  slackId?: string;
  teamsId?: string;
  /** IANA time zone. */
  tz?: string;
  workingHours?: { start: string; end: string };
  locale?: string;
  /** Where their public holidays come from (date-holidays): ISO country, optional state and region. */
  country?: string;
  state?: string;
  region?: string;
  /** Roles such as "admin", "qa", "product", used by flows (extra voters, veto roles). */
  roles: string[];
  /** Days away (yyyy-mm-dd, both included, in their zone): reminders skip them and go to their delegate. */
  away?: { from: string; until: string };
}

export interface PeopleDirectory {
  people: Person[];
  /**
   * Directory groups (people.yaml `groups:`): group name -> member person ids. Cards name them as
   * reviewers (`@ethics-board`); flows require an approval from one; Slack user groups and Teams tags
   * with the same name fall back to them.
   */
  groups?: Record<string, string[]>;
}
