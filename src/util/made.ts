/**
 * The brand on values only typed-batch makes: identity handles (`userAssignedIdentity(...)`), built
 * specs (`build()`, `autoPool(...)`) and verified live specs (`client.*.get(...)`). It is a property
 * keyed by a symbol that exists only in the types, so an object literal, however well shaped,
 * cannot stand for one and skip the checks its maker ran. Nothing is added at run time: the guards
 * check what a value says (ids, references), which is what refuses a forged object from JavaScript.
 */
declare const madeByTypedBatch: unique symbol;

/** The brand: `Kind` names what made the value. */
export interface Made<Kind extends string> {
  /** Only in the types; never present at run time. */
  readonly [madeByTypedBatch]: Kind;
}

/** A branded type without its brand: what a maker builds before branding it. */
export type Unbranded<T> = { [P in keyof T as P extends typeof madeByTypedBatch ? never : P]: T[P] };

/** Brands a value made by typed-batch (a type assertion; the value is returned as is). */
export function made<T extends Made<string>>(value: Unbranded<T>): T {
  return value as T;
}
