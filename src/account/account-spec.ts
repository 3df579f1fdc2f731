import type { BatchAccountCreateParameters } from "@azure/arm-batch";
import type { UserAssignedIdentity } from "../identity/user-assigned-identity.js";
import type { Made } from "../util/made.js";

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
 */
export interface BatchAccountSpec<Name extends string = string, Mode extends AutoStorageModeState = AutoStorageModeState, NodeKey extends string = string> extends Made<"BatchAccountSpec"> {
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
}
