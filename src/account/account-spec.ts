import type { BatchAccountCreateParameters } from "@azure/arm-batch";
import type { LabelPair } from "../identity/label-pairs.js";
import type { UserAssignedIdentity } from "../identity/user-assigned-identity.js";
import type { Made } from "../util/made.js";

// Only in the types, like the brand of `made.ts`: nothing is added at run time.
declare const accountLabelPairs: unique symbol;

/** Autostorage authentication, or `"None"` when the account has no autostorage. */
export type AutoStorageModeState = "StorageKeys" | "BatchAccountManagedIdentity" | "None";

/** The account's own identity type. */
export type AccountIdentityType = "None" | "SystemAssigned" | "UserAssigned";

/**
 * A checked Batch account definition, made by {@link batchAccount}`(...).build()`.
 *
 * @typeParam Name - the account name.
 * @typeParam Mode - the autostorage authentication mode.
 * @typeParam NodeKey - the key of the node identity reference (`never` when none).
 * @typeParam Pairs - `[label, id]` of the account's labelled identities (its own and the node
 *   identity) whose ids are literals (`never` when none or not known).
 */
export interface BatchAccountSpec<Name extends string = string, Mode extends AutoStorageModeState = AutoStorageModeState, NodeKey extends string = string, Pairs extends LabelPair = never> extends Made<"BatchAccountSpec"> {
  /** The account name. */
  readonly name: Name;
  /** The account's own identity type. */
  readonly identityType: AccountIdentityType;
  /** The account's user-assigned identities (empty unless `identityType` is `UserAssigned`). */
  readonly identities: readonly UserAssignedIdentity[];
  /** How the account (and its nodes) authenticate to autostorage. */
  readonly autoStorageMode: Mode;
  /** The user-assigned identity compute nodes use to reach autostorage (`autoStorage.nodeIdentityReference`). */
  readonly nodeIdentity: [NodeKey] extends [never] ? undefined : UserAssignedIdentity<NodeKey>;
  /** The `@azure/arm-batch` create parameters for `batchAccount.beginCreateAndWait`. */
  toArm(): BatchAccountCreateParameters;
  /**
   * Only in the types: the account's `[label, id]` pairs. Its pools start from them, so a pool
   * identity under one of these labels with another literal id does not compile (the guards check
   * a pool's identities and its account's under one set of labels). A method's parameter, so it
   * does not restrict assignability.
   */
  [accountLabelPairs]?(pairs: Pairs): void;
}

/**
 * @internal The label pairs of an account spec (`never` for a spec typed by hand). Distributes: a
 * union of two accounts (`prod ? a : b`) has the pairs of both.
 */
export type AccountLabelPairs<A extends BatchAccountSpec<string, AutoStorageModeState, string>> = A extends unknown
  ? A[typeof accountLabelPairs] extends ((pairs: infer X extends LabelPair) => void) | undefined
    ? X
    : never
  : never;
