import type { Pool } from "@azure/arm-batch";
import type { AutoStorageModeState, BatchAccountSpec } from "../account/account-spec.js";
import type { UserAssignedIdentity } from "../identity/user-assigned-identity.js";
import type { Made } from "../util/made.js";

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
 */
export interface PoolSpec<Name extends string = string, Account extends AnyAccountSpec = AnyAccountSpec, Ids extends string = string> extends Made<"PoolSpec"> {
  /** The pool name. */
  readonly name: Name;
  /** The account the pool belongs to. */
  readonly account: Account;
  /** The identities attached to the pool. */
  readonly identities: readonly UserAssignedIdentity<Ids>[];
  /** The `@azure/arm-batch` `Pool` model for `pool.create`. */
  toArm(): Pool;
}

/** @internal Key union of a pool spec's identities (property lookup, cheap). */
export type PoolIds<P extends PoolSpec<string, AnyAccountSpec, string>> = P["identities"][number]["key"];

/** @internal Node identity key of an account spec (`never` when none). */
export type NodeKeyOf<A extends AnyAccountSpec> = [NonNullable<A["nodeIdentity"]>] extends [never]
  ? never
  : NonNullable<A["nodeIdentity"]> extends { readonly key: infer K extends string }
    ? K
    : never;
