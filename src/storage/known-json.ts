import { deepFreeze } from '../core/deep-freeze';

/**
 * Values this process parsed lately from JSON it read, kept per key while the JSON stays the same: a
 * reviewer's clicks read the same review, card and profiles again and again, and parsing them again was
 * a noticeable part of a click (bench/README.md). A value is frozen, because every reader of the same
 * JSON shares it. Bounded: forgotten all at once when full (they are small and read again).
 */
export class KnownJson<T> {
  private readonly known = new Map<string, { json: string; value: T }>();

  constructor(private readonly max = 1000) {}

  /** The value stored as `json` under `key` (throws as JSON.parse does on JSON that does not parse). */
  parse(key: string, json: string): T {
    const known = this.known.get(key);
    if (known?.json === json) return known.value;
    const value = deepFreeze(JSON.parse(json) as T);
    if (this.known.size >= this.max) this.known.clear();
    this.known.set(key, { json, value });
    return value;
  }

  /** Whether `value` (read by this process) is the one it parsed from exactly `json`. */
  readAs(key: string, value: T, json: string): boolean {
    const known = this.known.get(key);
    return known !== undefined && known.value === value && known.json === json;
  }

  forget(key: string): void {
    this.known.delete(key);
  }
}
