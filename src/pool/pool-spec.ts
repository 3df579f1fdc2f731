import type { Pool } from "@azure/arm-batch";
import type { AutoStorageModeState, BatchAccountSpec } from "../account/account-spec.js";
import type { LabelPair } from "../identity/label-pairs.js";
import type { UserAssignedIdentity } from "../identity/user-assigned-identity.js";
import type { Made } from "../util/made.js";

// Only in the types, like the brand of `made.ts`: nothing is added at run time.
declare const labelPairs: unique symbol;

/** Any account spec, whatever its type parameters. */
export type AnyAccountSpec = BatchAccountSpec<string, AutoStorageModeState, string>;

/**
 * A checked pool definition (from `pool(...).build()`) or a live pool read back with its identities
 * verified (`client.pools.get`). Jobs, tasks and `nodeCredential` take it and check identity uses
 * against `Ids`.
 *
 * @typeParam Name - the pool name.
 * @typeParam Account - the account spec (its autostorage mode and node identity).
 * @typeParam Ids - keys of the identities attached to the pool (`string` when known only at run time).
 * @typeParam Pairs - `[label, id]` of the labelled identities with literal ids its jobs and tasks are checked against: its account's, and those whose label the pool has (`never` when none or not known).
 */
export interface PoolSpec<Name extends string = string, Account extends AnyAccountSpec = AnyAccountSpec, Ids extends string = string, Pairs extends LabelPair = never> extends Made<"PoolSpec"> {
  /** The pool name. */
  readonly name: Name;
  /** The account the pool belongs to. */
  readonly account: Account;
  /**
   * The identity handles attached to the pool, as given: an identity given twice (by id and under a
   * label, or in two letter cases) is here twice, so that each label is checked; `toArm()` lists it once.
   */
  readonly identities: readonly UserAssignedIdentity<Ids>[];
  /** The `@azure/arm-batch` `Pool` model for `pool.create`. */
  toArm(): Pool;
  /**
   * Only in the types: the pool's `[label, id]` pairs, so a use of one of its labels with another
   * literal id does not compile. A method's parameter, so it does not restrict assignability (a spec
   * with pairs is still a `PoolSpec<Name, Account, Ids>`).
   */
  [labelPairs]?(pairs: Pairs): void;
}

/** @internal Key union of a pool spec's identities (property lookup, cheap). */
export type PoolIds<P extends PoolSpec<string, AnyAccountSpec, string>> = P["identities"][number]["key"];

/** @internal The label pairs of a pool spec (`never` for a spec typed by hand). */
// Distributes, as `AccountLabelPairs` does: a union of two pools has the pairs of both.
export type PoolLabelPairs<P extends PoolSpec<string, AnyAccountSpec, string>> = P extends unknown
  ? P[typeof labelPairs] extends ((pairs: infer X extends LabelPair) => void) | undefined
    ? X
    : never
  : never;

/** @internal Node identity key of an account spec (`never` when none). */
export type NodeKeyOf<A extends AnyAccountSpec> = [NonNullable<A["nodeIdentity"]>] extends [never]
  ? never
  : NonNullable<A["nodeIdentity"]> extends { readonly key: infer K extends string }
    ? K
    : never;
