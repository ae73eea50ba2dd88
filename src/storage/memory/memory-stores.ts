import type {
  AuditEvent,
  AuditLog,
  ChannelLanguage,
  ChannelLanguageStore,
  CreateReviewResult,
  EngineStores,
  LevelChange,
  LevelStore,
  RecordVoteResult,
  Review,
  ReviewPhase,
  ReviewStore,
  Snooze,
  SnoozeStore,
  VoteRecord,
  VoteStore,
  WaiverStore,
  ChannelSettingsStore,
  DelegationStore,
  ClickLedger,
} from '../../core/engine/store-ports';
import { sameVote } from '../../core/engine/store-ports';
import { scopeOf, type Delegation } from '../../core/delegation';
import type { Waiver } from '../../core/gap-types';
import { MemoryGapSightingStore } from './memory-gap-sightings';

/**
 * In-memory stores with the same semantics as the Redis ones (each method runs without awaiting in
 * between, so it is atomic in one process). For unit tests and the store contract suite.
 */
const copy = <T>(value: T): T => structuredClone(value);

export class MemoryReviewStore implements ReviewStore {
  private readonly reviews = new Map<string, Review>();

  async create(review: Review): Promise<CreateReviewResult> {
    const open = [...this.reviews.values()].find(
      (r) => r.projectId === review.projectId && r.phase !== 'closed',
    );
    if (open) return { created: false, review: copy(open) };
    this.reviews.set(review.id, copy(review));
    return { created: true, review: copy(review) };
  }
  async get(id: string): Promise<Review | undefined> {
    const review = this.reviews.get(id);
    return review && copy(review);
  }
  async openForProject(projectId: string): Promise<Review | undefined> {
    const open = [...this.reviews.values()].find((r) => r.projectId === projectId && r.phase !== 'closed');
    return open && copy(open);
  }
  async listOpen(): Promise<Review[]> {
    return [...this.reviews.values()].filter((r) => r.phase !== 'closed').map(copy);
  }
  async listClosed(options: { projectId?: string; limit?: number } = {}): Promise<Review[]> {
    return [...this.reviews.values()]
      .filter((r) => r.phase === 'closed' && (!options.projectId || r.projectId === options.projectId))
      .sort((a, b) => (b.closedAt ?? '').localeCompare(a.closedAt ?? ''))
      .slice(0, options.limit ?? Infinity)
      .map(copy);
  }
  async save(review: Review, expectedPhase: ReviewPhase): Promise<boolean> {
    const current = this.reviews.get(review.id);
    if (!current || current.phase !== expectedPhase) return false;
    this.reviews.set(review.id, copy(review));
    return true;
  }
}

export class MemoryVoteStore implements VoteStore {
  private readonly boxes = new Map<
    string,
    { votes: Map<string, VoteRecord>; closed: boolean; seq: number }
  >();

  private box(reviewId: string) {
    let box = this.boxes.get(reviewId);
    if (!box) this.boxes.set(reviewId, (box = { votes: new Map(), closed: false, seq: 0 }));
    return box;
  }
  async record(reviewId: string, vote: VoteRecord): Promise<RecordVoteResult> {
    const box = this.box(reviewId);
    const previous = box.votes.get(vote.voter.key);
    let status: RecordVoteResult['status'];
    if (box.closed) status = 'closed';
    else if (previous && sameVote(previous, vote)) status = 'unchanged';
    else {
      status = previous ? 'changed' : 'recorded';
      box.votes.set(vote.voter.key, copy(vote));
      box.seq += 1;
    }
    return {
      status,
      seq: status === 'recorded' || status === 'changed' ? box.seq : 0,
      ballot: { votes: [...box.votes.values()].map(copy), closed: box.closed },
    };
  }
  async votes(reviewId: string): Promise<VoteRecord[]> {
    return [...this.box(reviewId).votes.values()].map(copy);
  }
  async close(reviewId: string): Promise<VoteRecord[]> {
    const box = this.box(reviewId);
    box.closed = true;
    return [...box.votes.values()].map(copy);
  }
  async ballot(reviewId: string): Promise<{ votes: VoteRecord[]; closed: boolean }> {
    return { votes: await this.votes(reviewId), closed: this.box(reviewId).closed };
  }
}

export class MemoryAuditLog implements AuditLog {
  private readonly events: AuditEvent[] = [];
  private counter = 0;

  async append(event: AuditEvent): Promise<string> {
    const id = `${Date.parse(event.at)}-${this.counter++}`;
    this.events.push({ ...copy(event), id });
    return id;
  }
  async listByProject(projectId: string, limit?: number): Promise<AuditEvent[]> {
    const events = this.events.filter((event) => event.projectId === projectId);
    return (limit === undefined ? events : events.slice(-limit)).map(copy);
  }
  async listSince(since: Date, limit?: number): Promise<AuditEvent[]> {
    const events = this.events.filter((event) => Date.parse(event.at) >= since.getTime());
    return events.slice(0, limit ?? Infinity).map(copy);
  }
}

export class MemoryLevelStore implements LevelStore {
  private readonly histories = new Map<string, LevelChange[]>();

  async get(projectId: string): Promise<number | undefined> {
    return this.histories.get(projectId)?.at(-1)?.level;
  }
  async recordEntry(projectId: string, level: number, at: string): Promise<void> {
    if (!this.histories.has(projectId)) this.histories.set(projectId, [{ level, at, kind: 'entry' }]);
  }
  async record(projectId: string, change: LevelChange): Promise<void> {
    const history = this.histories.get(projectId) ?? [];
    history.push(copy(change));
    this.histories.set(projectId, history);
  }
  async history(projectId: string): Promise<LevelChange[]> {
    return (this.histories.get(projectId) ?? []).map(copy);
  }
  async all(): Promise<Record<string, number>> {
    const levels: Record<string, number> = {};
    for (const [projectId, history] of this.histories)
      if (history.length) levels[projectId] = history.at(-1)!.level;
    return levels;
  }
  async some(projectIds: readonly string[]): Promise<Record<string, number>> {
    const all = await this.all();
    return Object.fromEntries(projectIds.filter((id) => id in all).map((id) => [id, all[id]]));
  }
}

export class MemorySnoozeStore implements SnoozeStore {
  private readonly snoozes = new Map<string, Snooze>();

  async set(snooze: Snooze): Promise<void> {
    this.snoozes.set(snooze.projectId, copy(snooze));
  }
  async get(projectId: string, now: Date): Promise<Snooze | undefined> {
    const snooze = this.snoozes.get(projectId);
    return snooze && Date.parse(snooze.until) > now.getTime() ? copy(snooze) : undefined;
  }
}

export class MemoryWaiverStore implements WaiverStore {
  private readonly waivers = new Map<string, Map<string, Waiver>>();

  async add(projectId: string, gate: { from: number; to: number }, waiver: Waiver): Promise<void> {
    const id = `${projectId}|${gate.from}|${gate.to}`;
    const map = this.waivers.get(id) ?? new Map<string, Waiver>();
    map.set(waiver.key, copy(waiver));
    this.waivers.set(id, map);
  }
  async list(projectId: string, gate: { from: number; to: number }, now: Date): Promise<Waiver[]> {
    const map = this.waivers.get(`${projectId}|${gate.from}|${gate.to}`);
    return [...(map?.values() ?? [])].filter((w) => Date.parse(w.until) > now.getTime()).map(copy);
  }
  async remove(projectId: string, gate: { from: number; to: number }, key: string): Promise<boolean> {
    return this.waivers.get(`${projectId}|${gate.from}|${gate.to}`)?.delete(key) ?? false;
  }
}

export class MemoryChannelLanguageStore implements ChannelLanguageStore {
  private readonly languages = new Map<string, ChannelLanguage>();

  async get(conversationId: string): Promise<ChannelLanguage | undefined> {
    const language = this.languages.get(conversationId);
    return language && copy(language);
  }
  async set(conversationId: string, language: ChannelLanguage | undefined): Promise<void> {
    if (language) this.languages.set(conversationId, copy(language));
    else this.languages.delete(conversationId);
  }
}

export class MemoryChannelSettingsStore implements ChannelSettingsStore {
  private readonly flows = new Map<string, string>();
  async flow(conversationId: string): Promise<string | undefined> {
    return this.flows.get(conversationId);
  }
  async setFlow(conversationId: string, name: string | undefined): Promise<void> {
    if (name === undefined) this.flows.delete(conversationId);
    else this.flows.set(conversationId, name);
  }
}

export class MemoryDelegationStore implements DelegationStore {
  private readonly delegations = new Map<string, Delegation>();

  async set(delegation: Delegation): Promise<void> {
    this.delegations.set(`${delegation.from}|${scopeOf(delegation)}`, copy(delegation));
  }
  async remove(from: string, scope?: string): Promise<Delegation[]> {
    const removed: Delegation[] = [];
    for (const [id, delegation] of this.delegations) {
      if (delegation.from !== from || (scope !== undefined && scopeOf(delegation) !== scope)) continue;
      this.delegations.delete(id);
      removed.push(delegation);
    }
    return removed;
  }
  async all(): Promise<Delegation[]> {
    return [...this.delegations.values()].map(copy);
  }
}

/** The last click per scope, without expiry (unit tests are short). */
export class MemoryClickLedger implements ClickLedger {
  private readonly last = new Map<string, string>();

  async repeated(scope: string, fingerprint: string): Promise<boolean> {
    const previous = this.last.get(scope);
    this.last.set(scope, fingerprint);
    return previous === fingerprint;
  }
  async forget(scope: string): Promise<void> {
    this.last.delete(scope);
  }
}

export function createMemoryStores(): EngineStores {
  return {
    channels: new MemoryChannelSettingsStore(),
    reviews: new MemoryReviewStore(),
    votes: new MemoryVoteStore(),
    audit: new MemoryAuditLog(),
    levels: new MemoryLevelStore(),
    snoozes: new MemorySnoozeStore(),
    waivers: new MemoryWaiverStore(),
    channelLanguages: new MemoryChannelLanguageStore(),
    gapSightings: new MemoryGapSightingStore(),
    delegations: new MemoryDelegationStore(),
    clicks: new MemoryClickLedger(),
  };
}
