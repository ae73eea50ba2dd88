/**
 * Freezes a value and everything it holds, for objects that several readers share (a parsed card, a
 * remembered message): a reader that tried to change one would throw instead of changing it for all.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

const jsonOfFrozen = new WeakMap<object, string>();

/** JSON.stringify of a value, written once per frozen object (it cannot change). */
export function jsonOf(value: unknown): string {
  if (typeof value !== 'object' || value === null || !Object.isFrozen(value)) return JSON.stringify(value);
  let json = jsonOfFrozen.get(value);
  if (json === undefined) jsonOfFrozen.set(value, (json = JSON.stringify(value)));
  return json;
}
