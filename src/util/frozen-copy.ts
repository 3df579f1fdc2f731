/**
 * A deep, frozen copy of a builder input, so changing the caller's object after the call cannot
 * change the builder. Identity handles are copied as data; they carry no behaviour.
 */
export function frozenCopy<T>(value: T): T {
  return deepFreeze(structuredClone(value));
}

/** Freezes an object and everything reachable from it, in place. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
