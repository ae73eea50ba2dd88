import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDigest, digestPeriod, type PortfolioFilter } from '../../src/core/digest';
import { createEngine } from '../../src/core/engine';
import type { EngineStores } from '../../src/core/engine/store-ports';
import type { DeliveryPort, DeliveryRequest, DigestPort, Engine } from '../../src/core/engine-api';
import { platformOf, type Actor, type EngineReply, type PlatformName } from '../../src/core/events';
import type { OutboundMessage } from '../../src/core/messages';
import type { PeopleDirectory } from '../../src/core/people';
import type { Translate } from '../../src/core/ports';
import { assembleSnapshot, type SnapshotSources } from '../../src/digest/assemble-snapshot';
import { createFlowSource, loadDefaultFlow } from '../../src/flows';
import { catalogLanguages, defaultTranslator } from '../../src/i18n/translator';
import { loadPeople } from '../../src/people';
import { encodeConversationId as slackConversation } from '../../src/platforms/slack/conversation-id';
import { encodeConversationId as teamsConversation } from '../../src/platforms/teams/conversation-id';
import { createMemoryStores } from '../../src/storage/memory/memory-stores';
import { completeRetina, FakeScheduler, RecordingDelivery, TestClock, TextCards } from '../engine/harness';

/**
 * A scripted gate review through the real engine, whose messages feed the renderers' goldens: the
 * repository's example cards, people.yaml and default flow, the in-memory stores (or the caller's Redis
 * ones) and a clock the script moves. It runs review -> gaps -> reminders -> escalation -> card fixed ->
 * vote opens -> votes (one made stale by a card edit) -> outcome, plus the info commands, the digest and
 * the portfolio, and keeps each message the engine emitted under the name of its step. So renderer inputs
 * carry only what the engine really sends: button values it accepts, mentions of real platform ids.
 */

const ROOT = join(__dirname, '..', '..');
export const CARD_FILE = 'retina-lesion-detector.md';

/** The steps whose messages the renderers' goldens show, in ceremony order. */
export const GOLDEN_STEPS = [
  'gap-report',
  'error',
  'usage',
  'help',
  'nudge',
  'notice',
  'escalation',
  'vote',
  'vote-tally',
  'status',
  'vote-stale',
  'vote-closed',
  'outcome',
  'history',
  'digest',
  'portfolio',
] as const;
export type GoldenStep = (typeof GOLDEN_STEPS)[number];

/** Platform user ids of the people.yaml people, as each platform spells them. */
export const PLATFORM_IDS: Record<'slack' | 'teams', Record<string, string>> = {
  slack: { ana: 'UANA', sam: 'USAM', priya: 'UPRIYA', li: 'ULI', lee: 'ULEE', yarin: 'UYARIN', max: 'UMAX' },
  teams: {
    ana: '29:1ana-aad',
    sam: '29:1sam-aad',
    priya: '29:1priya-aad',
    li: '29:1li-aad',
    lee: '29:1lee-aad',
    yarin: '29:1yarin-aad',
    max: '29:1max-aad',
  },
};

/** The channel the review runs in, as each platform's adapter names it. */
export const CEREMONY_CHANNEL: Record<PlatformName, string> = {
  slack: slackConversation('T0GOLDEN', 'C0REVIEWS'),
  teams: teamsConversation('19:ml-reviews@thread.tacv2'),
  playground: 'playground:ml-reviews',
};

/** The review id the goldens show in place of the random one (same shape, so values still decode). */
export const GOLDEN_REVIEW_ID = 'rGOLDEN000000';

/** A real 1x1 PNG as the digest chart: renderers that decode or upload it get a valid image, goldens stay small. */
export const PNG_1PX =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** The repository's people.yaml, with each person's id on the goldens' Slack and Teams. */
export function ceremonyPeople(): PeopleDirectory {
  const directory = loadPeople(join(ROOT, 'people.yaml'));
  return {
    ...directory,
    people: directory.people.map((person) => ({
      ...person,
      slackId: PLATFORM_IDS.slack[person.id],
      teamsId: PLATFORM_IDS.teams[person.id],
    })),
  };
}

/** A person's platform user id (the playground uses the directory id). */
export function platformUserId(platform: PlatformName, personId: string): string {
  return platform === 'playground' ? personId : PLATFORM_IDS[platform][personId];
}

/** The repository's example cards (cards/*.md), as editable texts. */
function exampleCards(): TextCards {
  const cards = new TextCards();
  const folder = join(ROOT, 'cards');
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.md') && name !== 'README.md'))
    cards.set(file, readFileSync(join(folder, file), 'utf8'));
  return cards;
}

/**
 * The digest capability over the engine's own stores, as the digest service builds it (the same snapshot
 * and builder), without its Redis subscriptions: `digest now` posts this week's digest.
 */
class SnapshotDigest implements DigestPort {
  constructor(
    private readonly sources: SnapshotSources,
    private readonly delivery: DeliveryPort,
    private readonly clock: TestClock,
    private readonly t: Translate,
  ) {}

  private notice(text: string): OutboundMessage {
    return { kind: 'notice', text, blocks: [{ type: 'text', text }] };
  }
  async subscribe(): Promise<OutboundMessage> {
    return this.notice('subscribed');
  }
  async unsubscribe(): Promise<OutboundMessage> {
    return this.notice('unsubscribed');
  }
  async postNow(conversationId: string): Promise<OutboundMessage> {
    const now = this.clock.now();
    const tz = 'Europe/Berlin';
    const snapshot = await assembleSnapshot(this.sources, {
      now,
      tz,
      platform: platformOf(conversationId),
      changesSince: new Date(now.getTime() - 7 * 86_400_000),
    });
    const period = digestPeriod(now, tz, 'week', this.t, 'en');
    const message = buildDigest(
      snapshot,
      { mode: 'digest', period, locale: 'en', renderChart: () => PNG_1PX },
      this.t,
    )!;
    await this.delivery.send([
      { op: 'post', key: `digest-${conversationId}-${period.id}`, conversationId, message },
    ]);
    return this.notice('posted');
  }
  async portfolio(actor: Actor, filter?: PortfolioFilter): Promise<OutboundMessage> {
    const snapshot = await assembleSnapshot(this.sources, {
      now: this.clock.now(),
      tz: actor.tz ?? 'Europe/Berlin',
      platform: actor.platform,
    });
    const viewer = { handles: [`<@${actor.userId}>`, ...(actor.name ? [actor.name] : [])] };
    return buildDigest(
      snapshot,
      { mode: 'portfolio', locale: 'en', renderChart: () => PNG_1PX, filter, viewer },
      this.t,
    )!;
  }
}

export interface CeremonyRun {
  platform: PlatformName;
  channel: string;
  engine: Engine;
  stores: EngineStores;
  cards: TextCards;
  delivery: RecordingDelivery;
  clock: TestClock;
  people: PeopleDirectory;
  /** Every message the engine emitted that a step kept (posts, updates, DMs, private replies), by step. */
  messages: Map<string, OutboundMessage>;
  /** The review's random id, which `goldenMessage` replaces by GOLDEN_REVIEW_ID. */
  reviewId: string;
  /** The actor of a people.yaml person on this platform. */
  actor(personId: string): Actor;
}

export interface CeremonyOptions {
  platform?: PlatformName;
  /** Redis stores on a private redis-server; the in-memory ones by default. */
  stores?: EngineStores;
  /** Stop once the vote is open (tests that click the vote themselves). */
  until?: 'vote';
}

export interface CeremonyRig {
  engine: Engine;
  stores: EngineStores;
  cards: TextCards;
  scheduler: FakeScheduler;
  clock: TestClock;
  people: PeopleDirectory;
}

/**
 * The real engine as the ceremony runs it: the example cards, people.yaml (with Slack and Teams ids), the
 * default flow, a digest over the same stores, the clock at Monday 23 Nov 2026 10:30 in Berlin. Other
 * tests use it to drive a platform adapter with the engine's real decisions (`delivery` sends the
 * messages; pass one that posts through the adapter's ChatPort).
 */
export function createCeremonyRig(
  delivery: DeliveryPort,
  options: { stores?: EngineStores } = {},
): CeremonyRig {
  const cards = exampleCards();
  const scheduler = new FakeScheduler();
  const clock = new TestClock(new Date('2026-11-23T09:30:00Z'));
  const stores = options.stores ?? createMemoryStores();
  const people = ceremonyPeople();
  const flow = loadDefaultFlow();
  const flows = createFlowSource([flow], flow);
  const t = defaultTranslator();
  const sources: SnapshotSources = { cards, flows, stores, people };
  const engine = createEngine({
    stores,
    cards,
    flows,
    people,
    digest: new SnapshotDigest(sources, delivery, clock, t),
    delivery,
    scheduler,
    clock,
    t,
    admins: ['lee'],
    defaultTz: 'Europe/Berlin',
    defaultLocale: 'en',
    languages: catalogLanguages(),
    onError: (error) => {
      throw error;
    },
  });
  sources.waitingOn = (reviewId, on) => engine.waitingOn!(reviewId, on);
  return { engine, stores, cards, scheduler, clock, people };
}

/** Runs the ceremony (see the file's comment). Deterministic but for the review id. */
export async function runCeremony(options: CeremonyOptions = {}): Promise<CeremonyRun> {
  const platform = options.platform ?? 'playground';
  const channel = CEREMONY_CHANNEL[platform];
  const delivery = new RecordingDelivery();
  const { engine, stores, cards, scheduler, clock, people } = createCeremonyRig(delivery, options);
  const actor = (id: string): Actor => ({
    platform,
    userId: platformUserId(platform, id),
    name: people.people.find((person) => person.id === id)?.name,
  });
  const messages = new Map<string, OutboundMessage>();
  const run: CeremonyRun = {
    platform,
    channel,
    engine,
    stores,
    cards,
    delivery,
    clock,
    people,
    messages,
    reviewId: '',
    actor,
  };

  const keep = (step: string, message: OutboundMessage | undefined) => {
    if (!message) throw new Error(`the ceremony step ${step} got no message from the engine`);
    messages.set(step, message);
  };
  const reply = (step: string, answer: EngineReply) => keep(step, answer.ephemeral[0]);
  const command = (who: string, text: string) =>
    engine.handle({ type: 'command', actor: actor(who), conversationId: channel, text });
  const delivered = (part: string): OutboundMessage => {
    const found: DeliveryRequest | undefined = delivery.find(part)[0];
    if (!found) throw new Error(`the engine delivered nothing with a key containing ${part}`);
    return found.message;
  };

  reply('review-started', await command('sam', 'review R07.2'));
  keep('gap-report', delivered('-gaps-'));
  run.reviewId = (await stores.reviews.openForProject('R07.2'))!.id;
  reply('error', await command('sam', 'review R7.2'));
  reply('usage', await command('ana', 'frobnicate'));
  reply('help', await command('ana', 'help'));

  // Reminders on the following working days; Ana snoozes once; the last reminder tells the review lead.
  for (let day = 1; day <= 42 && delivery.find('-escalate-').length === 0; day++) {
    clock.set(new Date(Date.UTC(2026, 10, 23 + day, 9, 30)).toISOString());
    await scheduler.runDue(engine, clock.now());
    if (day === 1) {
      keep('nudge', delivered('-nudge-owners-r1-ana'));
      reply('notice', await clickButton(run, actor('ana'), messages.get('nudge')!, 'snooze'));
    }
  }
  keep('escalation', delivered('-escalate-'));

  // Ana fixes the card; the card watcher's re-check opens the vote.
  clock.set('2027-01-11T08:00:00Z');
  cards.edit(CARD_FILE, completeRetina);
  await engine.cardsChanged([CARD_FILE]);
  keep('vote', delivered('-vote'));
  keep('card-summary', delivered('-vote-summary'));
  if (options.until === 'vote') return run;

  clock.set('2027-01-11T10:15:00Z');
  const changes = await clickButton(run, actor('priya'), currentVote(delivery), 'vote-request-changes', {
    reason: 'Testing status lacks the external validation set.',
  });
  reply('vote-recorded', changes);
  keep('vote-tally', changes.updated);
  reply('status', await command('ana', 'status R07.2'));

  // The owners answer in the card: Priya's request is now stale, and she is asked again.
  clock.set('2027-01-11T13:40:00Z');
  cards.edit(CARD_FILE, (text) =>
    text.replace('run nightly.', 'run nightly, plus an external validation set.'),
  );
  await engine.cardsChanged([CARD_FILE]);
  keep('vote-stale', delivered('-stale-'));
  clock.set('2027-01-12T08:05:00Z');
  await clickButton(run, actor('li'), currentVote(delivery), 'vote-approve');
  clock.set('2027-01-12T08:20:00Z');
  const decided = await clickButton(run, actor('priya'), currentVote(delivery), 'vote-approve');
  keep('vote-closed', decided.updated);
  keep('outcome', delivered('-outcome'));
  keep('outcome-line', delivered('-outcome-line'));
  reply('history', await command('ana', 'history R07.2'));

  clock.set('2027-01-15T15:00:00Z');
  await command('lee', 'digest now');
  keep('digest', delivered('digest-'));
  reply('portfolio', await command('li', 'portfolio'));
  return run;
}

/** A step's message with the random review id made GOLDEN_REVIEW_ID, so goldens do not change per run. */
export function goldenMessage(run: CeremonyRun, step: string): OutboundMessage {
  const message = run.messages.get(step);
  if (!message) throw new Error(`the ceremony has no ${step} message`);
  return JSON.parse(JSON.stringify(message).replaceAll(run.reviewId, GOLDEN_REVIEW_ID)) as OutboundMessage;
}

/** The vote message as it stands now: its post, or its newest update that still has buttons. */
export function currentVote(delivery: RecordingDelivery): OutboundMessage {
  const versions = delivery.requests.filter(
    (request) =>
      request.message.kind === 'vote' &&
      ((request.op === 'post' && request.key.endsWith('-vote')) ||
        (request.op === 'update' && request.of.endsWith('-vote'))),
  );
  const vote = versions.filter((request) => sentValues(request.message).length > 0).pop();
  if (!vote) throw new Error('no vote message with buttons delivered');
  return vote.message;
}

/** Clicks a button of a message the engine sent, with the value the button carries. */
export async function clickButton(
  run: CeremonyRun,
  who: Actor,
  message: OutboundMessage,
  actionId: string,
  options: { reason?: string } = {},
): Promise<EngineReply> {
  const action = message.blocks
    .flatMap((block) => (block.type === 'actions' ? block.actions : []))
    .find((candidate) => candidate.actionId === actionId);
  if (!action || action.type !== 'button') throw new Error(`no ${actionId} button on the ${message.kind}`);
  return run.engine.handle({
    type: 'action',
    actor: who,
    conversationId: run.channel,
    actionId: action.actionId,
    value: action.value,
    reason: options.reason,
  });
}

/** The values a message's buttons and select options send back (link buttons send nothing). */
export function sentValues(message: OutboundMessage): string[] {
  return message.blocks
    .flatMap((block) => (block.type === 'actions' ? block.actions : []))
    .flatMap((action) =>
      action.type === 'select'
        ? action.options.map((option) => option.value)
        : action.url
          ? []
          : [action.value],
    );
}
