import { customerManagedKeyProblems, identityHandlesProblems, strictInput } from "../task/strict-inputs.js";
import type { BatchAccountCreateParameters } from "@azure/arm-batch";
import type { Except } from "../util/except.js";
import { TypedBatchError } from "../errors/typed-batch-error.js";
import type { UserAssignedIdentity } from "../identity/user-assigned-identity.js";
import type { LabelPair, LabelPairsOf, LabelPairsOfList } from "../identity/label-pairs.js";
import type { LabelsChecked, LabelUse, NewPairs } from "../rules/type-checks.js";
import type { AccountEncryptionIdentityRequiredError, AccountIdentityRequiredError } from "../rules/messages.js";
import { validateAccount } from "../rules/validate.js";
import { labelsOf } from "../identity/display-key.js";
import { accountHandles } from "../identity/labels-in-scope.js";
import { made, type Unbranded } from "../util/made.js";
import { checkedProperties } from "../util/reserved-properties.js";
import type { AccountIdentityType, AutoStorageModeState, BatchAccountSpec } from "./account-spec.js";

/** Account settings that are not about identity: the SDK's own type. */
export type AccountProperties = Except<BatchAccountCreateParameters, "identity" | "autoStorage" | "location" | "encryption">;

/** Options of {@link AccountBuilder.withCustomerManagedKey}. */
export interface CustomerManagedKeyOptions {
  /**
   * The key's URL, with or without version (e.g. `https://myvault.vault.azure.net/keys/batch`). The
   * account's system-assigned identity needs Key/Get, Key/Unwrap and Key/Wrap on it, and the vault
   * soft-delete and purge protection (BatchManagement.json 2025-06-01, KeyVaultProperties).
   */
  readonly keyIdentifier: string;
}

/** Options of {@link AccountBuilder.withAutoStorage}. */
export interface AutoStorageOptions<Mode extends "StorageKeys" | "BatchAccountManagedIdentity", NodeKey extends string, NodeId extends string = string> {
  /** Resource id of the storage account linked as autostorage. */
  readonly storageAccountId: string;
  /**
   * How the Batch service authenticates to autostorage. `BatchAccountManagedIdentity` needs an account identity.
   * @default "StorageKeys"
   */
  readonly authenticationMode?: Mode;
  /**
   * The user-assigned identity compute nodes use to reach autostorage (application packages,
   * autostorage resource files). It must also be attached to every pool that needs autostorage.
   * @default none: nodes cannot reach autostorage with an identity
   */
  readonly nodeIdentity?: UserAssignedIdentity<NodeKey, NodeId>;
}

/**
 * @internal The node identity, or the error when its label names another literal id among the
 * account's identities (`NoInfer`: the node identity's type is inferred from the options alone).
 */
export type NodeIdentityLabelChecked<K extends string, I extends string, IdPairs extends LabelPair> = [IdPairs] extends [never]
  ? unknown
  : { readonly nodeIdentity?: NoInfer<LabelUse<K, I, IdPairs, UserAssignedIdentity<K, I>>> };

/**
 * @internal The type of `build`: `Ok` (the method), or the error text. A property rather than a
 * `this` check, so the compiler reports it on `.build` itself, not on the whole chain before it.
 */
export type AccountBuildCheck<Ok, Name extends string, IdType extends AccountIdentityType, Mode extends AutoStorageModeState, Cmk extends boolean = false> =
  Mode extends "BatchAccountManagedIdentity"
    ? IdType extends "None"
      ? AccountIdentityRequiredError<Name>
      : CmkCheck<Ok, Name, IdType, Cmk>
    : CmkCheck<Ok, Name, IdType, Cmk>;

/**
 * @internal A customer-managed key needs the account's system-assigned identity (BatchManagement.json
 * 2025-06-01, KeySource "Microsoft.KeyVault").
 */
export type CmkCheck<Ok, Name extends string, IdType extends AccountIdentityType, Cmk extends boolean> = Cmk extends true
  ? IdType extends "SystemAssigned"
    ? Ok
    : AccountEncryptionIdentityRequiredError<Name>
  : Ok;

/**
 * @internal The state after a call sets it to `New`: the builder's widest state `Wide` (which its
 * implementation is checked against) stays wide.
 */
export type SetState<Current, New, Wide> = [Wide] extends [Current] ? Wide : New;

/**
 * An immutable Batch account builder: every method returns a new builder.
 *
 * @typeParam Name - the account name.
 * @typeParam IdType - the account's identity type so far.
 * @typeParam Mode - the autostorage authentication mode so far.
 * @typeParam NodeKey - the node identity key (`never` when none).
 * @typeParam Cmk - whether the account encrypts with a customer-managed key.
 * @typeParam IdPairs - `[label, id]` of the account's own labelled identities with literal ids.
 * @typeParam NodePair - `[label, id]` of the node identity when it is labelled and its id a literal.
 */
export interface AccountBuilder<Name extends string, IdType extends AccountIdentityType = "None", Mode extends AutoStorageModeState = "None", NodeKey extends string = never, Cmk extends boolean = false, IdPairs extends LabelPair = never, NodePair extends LabelPair = never> {
  /** Gives the account a system-assigned identity (it can never be used on a pool); it replaces user-assigned ones. */
  withSystemAssignedIdentity(): AccountBuilder<Name, "SystemAssigned", Mode, NodeKey, Cmk, never, NodePair>;
  /**
   * Gives the account one or more user-assigned identities (replacing any given before). A label
   * that names another literal id here or as the node identity does not compile.
   */
  withUserAssignedIdentities<const L extends readonly [UserAssignedIdentity, ...UserAssignedIdentity[]]>(
    ...identities: LabelsChecked<L, NodePair>
  ): AccountBuilder<Name, "UserAssigned", Mode, NodeKey, Cmk, NewPairs<NodePair | LabelPairsOfList<L>, LabelPairsOfList<L>>, NodePair>;
  /**
   * Encrypts the account's data with a customer-managed key in Key Vault (`keySource:
   * Microsoft.KeyVault`). `build()` does not compile unless the account has a system-assigned identity.
   * @example
   * ```ts
   * import { batchAccount } from "typed-batch";
   * batchAccount("acct", { location: "westeurope" })
   *   .withSystemAssignedIdentity()
   *   .withCustomerManagedKey({ keyIdentifier: "https://myvault.vault.azure.net/keys/batch" })
   *   .build();
   * ```
   * @see https://learn.microsoft.com/azure/batch/batch-customer-managed-key
   */
  withCustomerManagedKey(options: CustomerManagedKeyOptions): AccountBuilder<Name, IdType, Mode, NodeKey, true, IdPairs, NodePair>;
  /**
   * Links autostorage.
   * @example
   * ```ts
   * import { batchAccount, userAssignedIdentity } from "typed-batch";
   * const worker = userAssignedIdentity(process.env.WORKER_ID ?? "", "worker");
   * batchAccount("acct", { location: "westeurope" })
   *   .withSystemAssignedIdentity()
   *   .withAutoStorage({ storageAccountId: "/subscriptions/.../storageAccounts/st", authenticationMode: "BatchAccountManagedIdentity", nodeIdentity: worker })
   *   .build();
   * ```
   */
  withAutoStorage<const M extends "StorageKeys" | "BatchAccountManagedIdentity" = "StorageKeys", const K extends string = never, const I extends string = string>(
    options: AutoStorageOptions<M, K, I> & NodeIdentityLabelChecked<K, I, IdPairs>,
  ): AccountBuilder<Name, IdType, SetState<Mode, M, AutoStorageModeState>, SetState<NodeKey, K, string>, Cmk, IdPairs, NewPairs<IdPairs, LabelPairsOf<UserAssignedIdentity<K, I>>>>;
  /** Sets any other account property (the SDK's own type, minus identity, autostorage and encryption). */
  withProperties(properties: AccountProperties): AccountBuilder<Name, IdType, Mode, NodeKey, Cmk, IdPairs, NodePair>;
  /**
   * Checks every rule and returns the account spec.
   * Does not compile when autostorage uses `BatchAccountManagedIdentity` and the account has no
   * identity, or when a customer-managed key is set and the account has no system-assigned identity.
   * @throws {@link TypedBatchError} with every problem found, for code that bypassed the types.
   */
  readonly build: AccountBuildCheck<() => BatchAccountSpec<Name, Mode, NodeKey, IdPairs | NodePair>, Name, IdType, Mode, Cmk>;
}

/** Options of {@link batchAccount}. */
export interface BatchAccountOptions {
  /** Azure region, e.g. `westeurope`. */
  readonly location: string;
}

interface AccountState {
  readonly name: string;
  readonly location: string;
  readonly identityType: AccountIdentityType;
  readonly identities: readonly UserAssignedIdentity[];
  readonly autoStorage?: AutoStorageOptions<"StorageKeys" | "BatchAccountManagedIdentity", string>;
  readonly customerManagedKey?: CustomerManagedKeyOptions;
  readonly properties: AccountProperties;
}

/** The builder's widest type: any name, identity, autostorage and key; every check resolves to its method. */
type AnyAccountBuilder = AccountBuilder<string, AccountIdentityType, AutoStorageModeState, string, boolean>;

// Checked against the interface at its widest: every account's builder is this one with a narrower type.
class AccountBuilderImpl implements AnyAccountBuilder {
  readonly #state: AccountState;

  constructor(state: AccountState) {
    this.#state = state;
    Object.freeze(this);
  }

  #with(patch: Partial<AccountState>): AccountBuilderImpl {
    return new AccountBuilderImpl({ ...this.#state, ...patch });
  }

  withSystemAssignedIdentity(): AccountBuilderImpl {
    return this.#with({ identityType: "SystemAssigned", identities: [] });
  }

  withUserAssignedIdentities(...identities: readonly UserAssignedIdentity[]): AccountBuilderImpl {
    strictInput(identities, "identities", identityHandlesProblems);
    return this.#with({ identityType: "UserAssigned", identities: Object.freeze([...identities]) });
  }

  withAutoStorage(options: AutoStorageOptions<"StorageKeys" | "BatchAccountManagedIdentity", string>): AccountBuilderImpl {
    return this.#with({ autoStorage: Object.freeze({ ...options }) });
  }

  withCustomerManagedKey(options: CustomerManagedKeyOptions): AccountBuilderImpl {
    strictInput(options, "customerManagedKey", customerManagedKeyProblems);
    return this.#with({ customerManagedKey: Object.freeze({ keyIdentifier: options.keyIdentifier }) });
  }

  withProperties(properties: AccountProperties): AccountBuilderImpl {
    const checked = checkedProperties(properties, {
      identity: ".withSystemAssignedIdentity() or .withUserAssignedIdentities(...)", autoStorage: ".withAutoStorage(...)", location: "batchAccount(name, { location })", encryption: ".withCustomerManagedKey(...)",
    });
    return this.#with({ properties: Object.freeze({ ...this.#state.properties, ...checked }) });
  }

  toArm(): BatchAccountCreateParameters {
    const state = this.#state;
    const identity: BatchAccountCreateParameters["identity"] =
      state.identityType === "UserAssigned"
        ? { type: "UserAssigned", userAssignedIdentities: Object.fromEntries(state.identities.map((i) => [i.resourceId, {}])) }
        : { type: state.identityType };
    const autoStorage = state.autoStorage;
    return {
      ...state.properties,
      location: state.location,
      identity,
      ...(state.customerManagedKey !== undefined && {
        encryption: { keySource: "Microsoft.KeyVault", keyVaultProperties: { keyIdentifier: state.customerManagedKey.keyIdentifier } },
      }),
      ...(autoStorage !== undefined && {
        autoStorage: {
          storageAccountId: autoStorage.storageAccountId,
          authenticationMode: autoStorage.authenticationMode ?? "StorageKeys",
          ...(autoStorage.nodeIdentity !== undefined && { nodeIdentityReference: { resourceId: autoStorage.nodeIdentity.resourceId } }),
        },
      }),
    };
  }

  build(): BatchAccountSpec {
    const state = this.#state;
    const arm = this.toArm();
    const labels = labelsOf(accountHandles({ identities: state.identities, nodeIdentity: state.autoStorage?.nodeIdentity }));
    const result = validateAccount(arm, { name: state.name, labels, voice: "builder" });
    if (!result.ok) throw new TypedBatchError(result.issues);
    return made<BatchAccountSpec>(Object.freeze({
      name: state.name,
      identityType: state.identityType,
      identities: state.identities,
      autoStorageMode: state.autoStorage === undefined ? "None" : (state.autoStorage.authenticationMode ?? "StorageKeys"),
      nodeIdentity: state.autoStorage?.nodeIdentity,
      toArm: () => structuredClone(arm),
    }) as Unbranded<BatchAccountSpec>);
  }
}

/**
 * Starts a Batch account definition.
 *
 * @param name - the account name.
 * @example
 * ```ts
 * import { batchAccount, userAssignedIdentity } from "typed-batch";
 * const worker = userAssignedIdentity(
 *   "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/worker");
 * const account = batchAccount("acct", { location: "westeurope" })
 *   .withSystemAssignedIdentity()
 *   .withAutoStorage({
 *     storageAccountId: "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.Storage/storageAccounts/renderstore",
 *     authenticationMode: "BatchAccountManagedIdentity",
 *     nodeIdentity: worker,
 *   })
 *   .build();
 * ```
 * @see https://learn.microsoft.com/rest/api/batchmanagement/batch-account/create
 */
export function batchAccount<const Name extends string>(name: Name, options: BatchAccountOptions): AccountBuilder<Name> {
  const builder: AnyAccountBuilder = new AccountBuilderImpl({ name, location: options.location, identityType: "None", identities: [], properties: {} });
  // The name and the identity state are a compile-time reading of the calls (TypeScript checks
  // that this type and the widest one overlap); build() checks the same rules at run time.
  return builder as AccountBuilder<Name>;
}
export { labelsOf } from "../identity/display-key.js";
