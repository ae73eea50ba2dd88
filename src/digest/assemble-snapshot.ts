import type { Card, PersonRef } from '../core/card';
import type { DigestChange, DigestProject, DigestSnapshot } from '../core/digest';
import type { AuditEvent, EngineStores, Review, VoteRecord } from '../core/engine/store-ports';
import type { PlatformName } from '../core/events';
import { gateFrom, type Flow } from '../core/flow';
import { checklistLink } from '../core/ethics-checklist';
import { findGaps, type GapReport } from '../core/gaps';
import { sightManyGaps } from '../core/gap-sightings';
import { componentLabel } from '../core/render/system-level';
import { cardFinder, systemLevelOf, type SystemLevel } from '../core/system-level';
import type { PeopleDirectory } from '../core/people';
import type { CardSource, FlowSource } from '../core/ports';

/** The stores the digest reads (H2's store ports); absent in the CLI preview, where only cards count. */
export type DigestStores = Pick<
  EngineStores,
  'reviews' | 'votes' | 'audit' | 'levels' | 'waivers' | 'gapSightings'
> &
  Partial<Pick<EngineStores, 'channelLanguages'>>;

export interface SnapshotSources {
  cards: CardSource;
  flows: FlowSource;
  stores?: DigestStores;
  people?: PeopleDirectory;
  /**
   * Who an open review waits on, from the engine (the same identity resolution as votes and reminders).
   * Without it (tests of the digest alone) the card's reviewers are matched to votes here.
   */
  waitingOn?: (reviewId: string, platform?: PlatformName) => Promise<string[] | undefined>;
}

export interface SnapshotRequest {
  now: Date;
  tz: string;
  /** Platform of the conversation the digest goes to: card people become mentions on it when known. */
  platform?: PlatformName;
  /** Start of "what changed" (exclusive); undefined for `portfolio` (no changes section). */
  changesSince?: Date;
}

/**
 * Gathers a `DigestSnapshot` from the cards and the engine's stores. Reads are bulk (all open reviews,
 * all recorded levels, the audit trail since the previous digest), never one query per project, so a
 * 5,000-card portfolio costs a handful of round trips.
 */
export async function assembleSnapshot(
  sources: SnapshotSources,
  request: SnapshotRequest,
): Promise<DigestSnapshot> {
  const flow = sources.flows.defaultFlow();
  const cardSet = await sources.cards.loadAll();
  const { stores } = sources;
  const [levels, open, closed] = stores
    ? await Promise.all([stores.levels.all(), stores.reviews.listOpen(), stores.reviews.listClosed()])
    : [{} as Record<string, number>, [] as Review[], [] as Review[]];
  const openByProject = new Map(open.map((review) => [review.projectId, review]));
  const waitingOf = new Map(
    sources.waitingOn
      ? await Promise.all(
          open.map(
            async (review) => [review.id, await sources.waitingOn!(review.id, request.platform)] as const,
          ),
        )
      : [],
  );
  // Votes of every open vote in one go (pipelined by the client), not one round trip per project.
  const voting = stores ? open.filter((review) => review.phase === 'voting') : [];
  const votesOf = new Map(
    await Promise.all(
      voting.map(async (review) => [review.id, await stores!.votes.votes(review.id)] as const),
    ),
  );
  const lastActivity = latestActivity([...open, ...closed]);
  const display = personDisplay(sources.people, request.platform);

  const find = cardFinder(cardSet.cards);
  const levelOf = (card: Card) => levels[card.projectId] ?? card.level;
  const projects: DigestProject[] = [];
  const reporting: Array<Promise<void>> = [];
  const looks: Array<{ project: DigestProject; report: GapReport }> = [];
  for (const card of cardSet.cards) {
    const cardFlow = sources.flows.forCard(card);
    const owners = card.owners.map(display);
    const system = card.fields['coupled-components']
      ? systemLevelOf(card, { find, levelOf, placeholders: cardFlow.placeholders })
      : undefined;
    const project: DigestProject = {
      projectId: card.projectId,
      name: card.name,
      statedLevel: card.level,
      owners,
      ...(levels[card.projectId] !== undefined ? { recordedLevel: levels[card.projectId] } : {}),
      ...(cardFlow.name !== flow.name ? { settings: cardFlow.digest } : {}),
      ...(lastActivity.has(card.projectId) ? { lastActivityAt: lastActivity.get(card.projectId) } : {}),
      ...(stores && !lastActivity.has(card.projectId) && sources.cards.changedAt
        ? defined('cardChangedAt', await sources.cards.changedAt(card))
        : {}),
      ...(system && (system.components.length || system.unknown.length || system.cycles.length)
        ? { system: digestSystem(system) }
        : {}),
    };
    const review = openByProject.get(card.projectId);
    if (review && stores) {
      project.openReview = {
        gate: review.gate,
        phase: review.phase === 'voting' ? 'voting' : 'gaps',
        openedAt: review.openedAt,
        waitingOn:
          waitingOf.get(review.id) ??
          (review.phase === 'voting' ? pendingVoters(votesOf.get(review.id) ?? [], card, display) : owners),
        waitingSince: review.phase === 'voting' ? (review.voteOpenedAt ?? review.openedAt) : review.openedAt,
      };
    }
    if (stores) {
      const gate = review ? review.gate : gateFrom(cardFlow, levelOf(card));
      if (gate)
        reporting.push(
          currentReport(sources, stores, card, cardFlow, gate, system, request.now).then((report) => {
            if (report) looks.push({ project, report });
          }),
        );
    }
    projects.push(project);
  }
  // Every project's gaps are checked, then dated in one go: a few round trips, not one per project.
  await Promise.all(reporting);
  if (stores) await dateGaps(stores, looks, request.now);

  const changes =
    stores && request.changesSince
      ? await changesBetween(stores, request.changesSince, request.now, cardSet.cards)
      : [];
  return {
    now: request.now.toISOString(),
    tz: request.tz,
    holidays: flow.holidays,
    levels: flow.levels,
    settings: { ...flow.digest },
    projects,
    changes,
    brokenCards: cardSet.errors.length,
    historyAvailable: Boolean(stores),
  };
}

function digestSystem(system: SystemLevel): NonNullable<DigestProject['system']> {
  return {
    level: system.level,
    ...(system.heldBy ? { heldBy: componentLabel(system.heldBy) } : {}),
    unknown: system.unknown,
    cycles: system.cycles,
  };
}

function defined<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/** Latest of opened / vote opened / closed per project: review activity the stores know about. */
function latestActivity(reviews: Review[]): Map<string, string> {
  const latest = new Map<string, string>();
  for (const review of reviews) {
    for (const at of [review.openedAt, review.voteOpenedAt, review.closedAt]) {
      if (at && at > (latest.get(review.projectId) ?? '')) latest.set(review.projectId, at);
    }
  }
  return latest;
}

/**
 * The gap report of the project's current gate, as `status` finds it (waivers, system level and ethics
 * checklist included); undefined when the flow has no such gate or the card cannot be checked.
 */
async function currentReport(
  sources: SnapshotSources,
  stores: DigestStores,
  card: Card,
  flow: Flow,
  gate: { from: number; to: number },
  system: SystemLevel | undefined,
  now: Date,
): Promise<GapReport | undefined> {
  if (!gateFrom(flow, gate.from)) return undefined;
  const link = checklistLink(card);
  const [waivers, checklist] = await Promise.all([
    stores.waivers.list(card.projectId, gate, now),
    link && sources.cards.readLinked ? sources.cards.readLinked(card, link) : undefined,
  ]);
  try {
    return findGaps({ ...card, level: gate.from }, flow, {
      gateTo: gate.to,
      waivers,
      now,
      system,
      checklist,
    });
  } catch {
    // A card the gap checker cannot read is still listed, just without gap ages.
    return undefined;
  }
}

/**
 * Records this look at every project's gaps in one go and gives each project its required gaps, each
 * since its section was first seen missing.
 */
async function dateGaps(
  stores: DigestStores,
  looks: ReadonlyArray<{ project: DigestProject; report: GapReport }>,
  now: Date,
): Promise<void> {
  const dated = await sightManyGaps(
    stores.gapSightings,
    looks.map(({ project, report }) => ({ projectId: project.projectId, report })),
    now,
  );
  looks.forEach(({ project }, index) => {
    project.gaps = dated[index].required.map((gap) => ({
      key: gap.key,
      label: gap.label,
      since: gap.firstSeen ?? now.toISOString(),
    }));
  });
}

/** Card reviewers who have not voted yet (owners never vote on their own gate). */
function pendingVoters(votes: VoteRecord[], card: Card, display: (person: PersonRef) => string): string[] {
  const voted = (person: PersonRef) =>
    votes.some(
      ({ voter }) =>
        (person.platformId !== undefined && person.platformId === voter.userId) ||
        (person.handle !== undefined && person.handle.toLowerCase() === voter.key.toLowerCase()) ||
        (person.name !== undefined && person.name === voter.name),
    );
  return card.reviewers.filter((person) => !voted(person)).map(display);
}

/** Advances, switchbacks, reviews opened and closed in (since, until], from the audit trail. */
async function changesBetween(
  stores: DigestStores,
  since: Date,
  until: Date,
  cards: Card[],
): Promise<DigestChange[]> {
  const names = new Map(cards.map((card) => [card.projectId, card.name]));
  const events = await stores.audit.listSince(since);
  const wanted = (event: AuditEvent) =>
    (event.type === 'review-started' || event.type === 'closed' || event.type === 'cancelled') &&
    Date.parse(event.at) > since.getTime() &&
    Date.parse(event.at) <= until.getTime();
  // A cancellation may be written as 'cancelled' and as 'closed': count the review once.
  const closed = new Set(events.filter((event) => event.type === 'closed').map((event) => event.reviewId));
  const relevant = events.filter(
    (event) => wanted(event) && !(event.type === 'cancelled' && event.reviewId && closed.has(event.reviewId)),
  );
  const ids = [...new Set(relevant.map((event) => event.reviewId).filter((id): id is string => Boolean(id)))];
  const reviews = new Map(
    await Promise.all(ids.map(async (id) => [id, await stores.reviews.get(id)] as const)),
  );
  const changes: DigestChange[] = [];
  for (const event of relevant) {
    const review = event.reviewId ? reviews.get(event.reviewId) : undefined;
    const base = {
      projectId: event.projectId,
      name: names.get(event.projectId) ?? event.projectId,
      at: event.at,
    };
    if (event.type === 'review-started') {
      changes.push({ ...base, kind: 'review-opened', from: review?.gate.from, to: review?.gate.to });
      continue;
    }
    const outcome =
      event.type === 'cancelled'
        ? 'cancelled'
        : (review?.outcome ?? String(event.data?.outcome ?? 'cancelled'));
    if ((outcome === 'advanced' || outcome === 'switchback') && review) {
      changes.push({
        ...base,
        kind: outcome,
        from: review.gate.from,
        to: review.outcomeLevel ?? review.gate.to,
      });
    } else {
      changes.push({ ...base, kind: 'review-closed', from: review?.gate.from, to: review?.gate.to, outcome });
    }
  }
  return changes;
}

/**
 * How a card person appears in the digest: a mention on the digest's platform when the card or the
 * people directory gives their id there, else "@handle", their name or the text as written.
 */
function personDisplay(people: PeopleDirectory | undefined, platform: PlatformName | undefined) {
  return (person: PersonRef): string => {
    if (person.platformId) return `<@${person.platformId}>`;
    const entry = people?.people.find(
      (candidate) =>
        (person.email && candidate.email?.toLowerCase() === person.email.toLowerCase()) ||
        (person.handle && (candidate.id === person.handle || candidate.handles.includes(person.handle))) ||
        (person.name && candidate.name === person.name),
    );
    const platformId =
      platform === 'slack'
        ? entry?.slackId
        : platform === 'teams'
          ? entry?.teamsId
          : platform === 'playground'
            ? entry?.id
            : undefined;
    if (platformId) return `<@${platformId}>`;
    if (person.handle) return `@${person.handle}`;
    return entry?.name ?? person.name ?? person.email ?? person.text;
  };
}
