import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { isCardError, parseCard } from '../../src/cards';
import type { ChecklistFile } from '../../src/core/ethics-checklist';
import type { Card, CardError, CardSet } from '../../src/core/card';
import { createEngine, type EngineDeps } from '../../src/core/engine';
import type { EngineStores } from '../../src/core/engine/store-ports';
import type {
  DeliveryPort,
  DeliveryRequest,
  DigestPort,
  Engine,
  EngineJob,
  JobSchedulerPort,
} from '../../src/core/engine-api';
import type { Actor } from '../../src/core/events';
import type { Flow } from '../../src/core/flow';
import type { HolidayCalendar } from '../../src/core/holidays';
import type { PeopleDirectory } from '../../src/core/people';
import type { CardSource, CardWriter, Clock, MessageLinks, Translate } from '../../src/core/ports';
import { loadDefaultFlow, createFlowSource } from '../../src/flows';
import { catalogLanguages, defaultTranslator } from '../../src/i18n/translator';
import { createMemoryStores } from '../../src/storage/memory/memory-stores';

/**
 * Cards held as text: editing the text changes the card and its revision, as editing a file would. Like
 * the real card sources, an unchanged text gives the same card object (the engine relies on it to reuse
 * a click's project context: src/core/engine/context-memo.ts).
 */
export class TextCards implements CardSource {
  readonly texts = new Map<string, string>();
  private readonly parsed = new Map<string, { text: string; card: Card | CardError }>();

  set(file: string, text: string): void {
    this.texts.set(file, text);
  }
  edit(file: string, change: (text: string) => string): void {
    this.texts.set(file, change(this.texts.get(file)!));
  }
  async loadAll(): Promise<CardSet> {
    const cards: Card[] = [];
    const errors: CardError[] = [];
    for (const [file, text] of this.texts) {
      const card = this.parse(file, text);
      if (!isCardError(card)) cards.push(card);
      else if (card.code !== 'not-a-card') errors.push(card);
    }
    return { cards, errors, skipped: [] };
  }
  private parse(file: string, text: string): Card | CardError {
    const known = this.parsed.get(file);
    if (known?.text === text) return known.card;
    const card = parseCard(text, file);
    this.parsed.set(file, { text, card });
    return card;
  }
  /** Linked files (ethics checklists) are other texts, by path relative to the card's folder. */
  async readLinked(card: Card, link: string): Promise<ChecklistFile> {
    const path = posix.normalize(posix.join(posix.dirname(card.file), link));
    const text = this.texts.get(path);
    return text === undefined
      ? { path: link, ok: false, problem: 'missing' }
      : { path: link, ok: true, text };
  }
  async find(projectId: string): Promise<Card | undefined> {
    const { cards } = await this.loadAll();
    return (
      cards.find((c) => c.projectId === projectId) ??
      cards.find((c) => c.projectId.toLowerCase() === projectId.toLowerCase())
    );
  }
}

/** Records every delivery request; a key already seen is not delivered again (like the real queue). */
export class RecordingDelivery implements DeliveryPort {
  readonly requests: DeliveryRequest[] = [];
  readonly delivered = new Map<string, DeliveryRequest>();

  async send(requests: DeliveryRequest[]): Promise<void> {
    for (const request of requests) {
      this.requests.push(request);
      if (!this.delivered.has(request.key)) this.delivered.set(request.key, request);
    }
  }
  /** Delivered requests whose key contains `part`. */
  find(part: string): DeliveryRequest[] {
    return [...this.delivered.values()].filter((request) => request.key.includes(part));
  }
  text(part: string): string {
    return this.find(part)
      .map((request) => request.message.text)
      .join('\n---\n');
  }
}

export class FakeScheduler implements JobSchedulerPort {
  readonly jobs = new Map<string, { job: EngineJob; at: Date }>();

  async schedule(job: EngineJob, at: Date): Promise<void> {
    this.jobs.set(job.id, { job, at });
  }
  async cancel(jobId: string): Promise<void> {
    this.jobs.delete(jobId);
  }
  /** Runs every job due at `now` (and jobs they schedule that are also due), oldest first. */
  async runDue(engine: Engine, now: Date): Promise<EngineJob[]> {
    const ran: EngineJob[] = [];
    for (let i = 0; i < 100; i++) {
      const due = [...this.jobs.values()].filter((entry) => entry.at <= now).sort((a, b) => +a.at - +b.at)[0];
      if (!due) break;
      this.jobs.delete(due.job.id);
      ran.push(due.job);
      await engine.runJob(due.job, due.at);
    }
    return ran;
  }
}

export class TestClock implements Clock {
  constructor(public current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

export const directory: PeopleDirectory = {
  people: [
    {
      id: 'ana',
      name: 'Ana Lima',
      email: 'ana@example.org',
      handles: ['ana'],
      tz: 'Europe/Berlin',
      roles: [],
    },
    { id: 'sam', name: 'Sam Okoro', handles: ['sam'], tz: 'Europe/Berlin', roles: [] },
    {
      id: 'priya',
      name: 'Priya Nair',
      email: 'priya@example.org',
      handles: [],
      tz: 'Europe/Berlin',
      roles: [],
    },
    { id: 'li', name: 'Li Wei', handles: ['li'], tz: 'Asia/Shanghai', roles: [] },
    { id: 'lee', name: 'Lee Park', handles: ['lee'], roles: ['admin'] },
  ],
};

export const person = (id: string): Actor => ({ platform: 'playground', userId: id, name: id });

export function retinaCard(): string {
  return readFileSync(join(__dirname, '..', '..', 'cards', 'retina-lesion-detector.md'), 'utf8');
}

/** The retina card with everything the 3 -> 4 gate requires. */
export function completeRetina(text: string): string {
  return text
    .replace('(*link to repo and docs*)', 'https://git.example.org/ml/retina')
    .replace(
      '### Testing status\n',
      '### Testing status\n\nUnit tests and a held-out evaluation run nightly.\n',
    );
}

export interface Harness {
  engine: Engine;
  deps: EngineDeps;
  stores: EngineStores;
  cards: TextCards;
  delivery: RecordingDelivery;
  scheduler: FakeScheduler;
  clock: TestClock;
}

export function makeHarness(
  options: {
    stores?: EngineStores;
    start?: string;
    flow?: (flow: Flow) => Flow;
    people?: PeopleDirectory;
    digest?: DigestPort;
    /** Another translator (the pseudo-locale test's). */
    t?: Translate;
    cardWriter?: CardWriter;
    messageLinks?: MessageLinks;
    /** More flows beside the default one (cards and channels may choose them). */
    extraFlows?: Flow[];
    /** Company days off and public holidays (src/holidays); none by default. */
    holidays?: HolidayCalendar;
    /** Links to the portfolio page and the chart renderer (Home). */
    portfolioLinks?: EngineDeps['portfolioLinks'];
    renderChart?: EngineDeps['renderChart'];
    /** DOCS_URL, for `help`. */
    docsUrl?: string;
    /** PUBLIC_URL: Home links the chart picture instead of embedding it. */
    publicUrl?: string;
  } = {},
): Harness {
  const cards = new TextCards();
  cards.set('retina-lesion-detector.md', retinaCard());
  const delivery = new RecordingDelivery();
  const scheduler = new FakeScheduler();
  const clock = new TestClock(new Date(options.start ?? '2026-11-23T09:30:00Z')); // Monday 10:30 Berlin
  const stores = options.stores ?? createMemoryStores();
  const flow = (options.flow ?? ((f: Flow) => f))(loadDefaultFlow());
  const deps: EngineDeps = {
    stores,
    cards,
    flows: createFlowSource([flow, ...(options.extraFlows ?? [])], flow),
    people: options.people ?? directory,
    holidays: options.holidays,
    docsUrl: options.docsUrl,
    publicUrl: options.publicUrl,
    digest: options.digest,
    cardWriter: options.cardWriter,
    portfolioLinks: options.portfolioLinks,
    renderChart: options.renderChart,
    messageLinks: options.messageLinks,
    delivery,
    scheduler,
    clock,
    t: options.t ?? defaultTranslator(),
    admins: ['lee'],
    defaultTz: 'Europe/Berlin',
    defaultLocale: 'en',
    languages: catalogLanguages(),
    onError: (error) => {
      throw error;
    },
  };
  return { engine: createEngine(deps), deps, stores, cards, delivery, scheduler, clock };
}

export const CHANNEL = 'playground:ml-reviews';

export function command(h: Harness, who: string, text: string) {
  return h.engine.handle({ type: 'command', actor: person(who), conversationId: CHANNEL, text });
}

/** Clicks a button of the vote message as it stands now (its post, or its newest update). */
export async function click(
  h: Harness,
  who: string,
  actionId: string,
  options: { reason?: string; level?: number } = {},
) {
  const versions = h.delivery.requests.filter(
    (request) =>
      request.message.kind === 'vote' &&
      ((request.op === 'post' && request.key.endsWith('-vote')) ||
        (request.op === 'update' && request.of.endsWith('-vote'))),
  );
  const vote = versions.filter((request) => request.message.blocks.some((b) => b.type === 'actions')).pop();
  if (!vote) throw new Error('no vote message delivered');
  const actions = vote.message.blocks.flatMap((block) => (block.type === 'actions' ? block.actions : []));
  const action = actions.find((a) => a.actionId === actionId)!;
  const value =
    action.type === 'select'
      ? action.options.find((option) => option.value.split('|')[3] === String(options.level))!.value
      : action.value;
  return h.engine.handle({
    type: 'action',
    actor: person(who),
    conversationId: CHANNEL,
    actionId,
    value,
    reason: options.reason,
  });
}
