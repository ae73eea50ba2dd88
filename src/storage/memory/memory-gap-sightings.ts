import type { CardKey } from '../../core/card';
import type { GapSightingStore } from '../../core/engine/store-ports';

/** First sightings of gaps in memory, with the Redis store's semantics (for unit tests). */
export class MemoryGapSightingStore implements GapSightingStore {
  private readonly projects = new Map<string, Map<CardKey, string>>();

  async observe(
    projectId: string,
    open: readonly CardKey[],
    at: string,
  ): Promise<Partial<Record<CardKey, string>>> {
    const before = this.projects.get(projectId) ?? new Map<CardKey, string>();
    const after = new Map<CardKey, string>();
    for (const key of open) after.set(key, before.get(key) ?? at);
    if (after.size) this.projects.set(projectId, after);
    else this.projects.delete(projectId);
    return Object.fromEntries(after);
  }

  async observeMany(
    looks: ReadonlyArray<{ projectId: string; open: readonly CardKey[] }>,
    at: string,
  ): Promise<Array<Partial<Record<CardKey, string>>>> {
    const answers: Array<Partial<Record<CardKey, string>>> = [];
    for (const look of looks) answers.push(await this.observe(look.projectId, look.open, at));
    return answers;
  }

  async get(projectId: string): Promise<Partial<Record<CardKey, string>>> {
    return Object.fromEntries(this.projects.get(projectId) ?? []);
  }
}
