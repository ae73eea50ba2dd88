import type { DeliveryPort, DigestPort, JobSchedulerPort, PortfolioLinkPort } from '../engine-api';
import type { PlatformName } from '../events';
import type { HolidayCalendar } from '../holidays';
import type { PeopleDirectory } from '../people';
import type {
  CardSource,
  CardWriter,
  Clock,
  FlowSource,
  MessageLinks,
  PlatformPeople,
  Translate,
} from '../ports';
import type { EngineStores } from './store-ports';

/** Everything the engine needs, injected by the composition root (or by tests with fakes). */
export interface EngineDeps {
  stores: EngineStores;
  cards: CardSource;
  /** CARDS_WRITE_BACK: advanced and switchback outcomes are written into the card (after closing). */
  cardWriter?: CardWriter;
  /** Links to posted messages (the vote thread in a written-back decision record). */
  messageLinks?: MessageLinks;
  flows: FlowSource;
  people: PeopleDirectory;
  /** Per platform: e-mail look-up and profiles, for card people the directory does not know. */
  platformPeople?: Partial<Record<PlatformName, PlatformPeople>>;
  delivery: DeliveryPort;
  scheduler: JobSchedulerPort;
  clock: Clock;
  t: Translate;
  /** ADMINS: directory ids, handles, e-mails or platform ids. */
  admins: string[];
  defaultTz: string;
  /** Company days off and public holidays by place; without it only the flow's holidays count. */
  holidays?: HolidayCalendar;
  defaultLocale: string;
  /** Catalog languages (BCP 47 tags) `language use` accepts; without it any well-formed tag is taken. */
  languages?: readonly string[];
  /** Digest capability; without it `digest ...` and `portfolio` answer that digests are not set up. */
  digest?: DigestPort;
  /** Signed links to the portfolio page (Home's "Open the portfolio"); absent: no link is offered. */
  portfolioLinks?: PortfolioLinkPort;
  /** Turns the portfolio chart's SVG into PNG (base64) for Home; absent: text bars only. */
  renderChart?: (svg: string) => string | undefined;
  /** The project's docs (DOCS_URL): `help` links them, independent of `publicUrl`. */
  docsUrl?: string;
  /** Base URL for links (open card), when the bot is reachable. */
  publicUrl?: string;
  /** Told about unexpected errors that `handle` turned into an apology (for the log). */
  onError?: (error: unknown, context: string) => void;
  /**
   * Whether an error means the store did not answer (down, frozen, failing over): a click that fails so
   * is answered "could not record, try again" instead of the general apology.
   */
  isStoreUnavailable?: (error: unknown) => boolean;
}
