/**
 * Every rule message, written once.
 *
 * Each entry is a function whose return type is a template-literal type, so the same text is the
 * compile-time error (through the `*Message` types below, taken from the functions themselves),
 * the run-time guard issue, the {@link TypedBatchError} text, `diagnose`'s finding and the docs.
 * The `fix` functions come in two voices: `builder` (what to call) and `json` (what to edit).
 */

import type { ConflictDisplay, DisplayKey } from "../identity/display-key.js";

const idShape =
  "/subscriptions/{subscription-guid}/resourceGroups/{resource-group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}";

/** Message texts, keyed by rule. */
export const messages = {
  /** `INVALID_RESOURCE_ID`: the id is not a user-assigned identity resource id. */
  invalidResourceId: <Id extends string>(id: Id) =>
    `'${id}' is not a user-assigned identity resource id (expected ${idShape})` as const,
  /** Compile time only: a non-literal id was passed without a literal label. */
  labelRequired: () =>
    `the identity id is not a literal, so its type cannot name it: pass a literal label, e.g. userAssignedIdentity(id, "reader")` as const,
  /** Compile time only: the label is a `string`, not a literal. */
  labelMustBeLiteral: () => `the identity label must be a string literal, e.g. "reader"` as const,
  /** `IDENTITY_LABEL_CONFLICT`: one label, two different resource ids. */
  identityLabelConflict: <L extends string, A extends string, B extends string>(label: L, first: A, second: B) =>
    `label '${label}' names two different identities: '${first}' and '${second}'` as const,
  /** `ACCOUNT_USER_IDENTITY_MISSING_IDS`: `UserAssigned` with no identities. */
  accountUserIdentityMissingIds: <A extends string>(account: A) =>
    `account '${account}' has identity type UserAssigned but lists no identities (Azure answers MissingIdentityIds)` as const,
  /** `ACCOUNT_IDENTITY_REQUIRED`: `BatchAccountManagedIdentity` autostorage without an account identity. */
  accountIdentityRequired: <A extends string>(account: A) =>
    `account '${account}' authenticates to autostorage with BatchAccountManagedIdentity but has no identity` as const,
  /** `ACCOUNT_ENCRYPTION_IDENTITY_REQUIRED`: a customer-managed key without the system-assigned identity. */
  accountEncryptionIdentityRequired: <A extends string>(account: A) =>
    `account '${account}' encrypts with a customer-managed key (keySource Microsoft.KeyVault), which needs the account's system-assigned identity` as const,
  /** `ACCOUNT_ENCRYPTION_KEY_REQUIRED`: `Microsoft.KeyVault` without a key identifier. */
  accountEncryptionKeyRequired: <A extends string>(account: A) =>
    `account '${account}' sets keySource Microsoft.KeyVault without keyVaultProperties.keyIdentifier` as const,
  /** `POOL_DISK_ENCRYPTION_IDENTITY_REQUIRED`: a disk encryption key on a pool without identities. */
  poolDiskEncryptionIdentityRequired: <P extends string>(pool: P) =>
    `pool '${pool}' encrypts its disks with a customer-managed key but carries no identity to read the key with` as const,
  /** `POOL_IDENTITY_TYPE_UNSUPPORTED`: a pool identity that is not user-assigned. */
  poolIdentityTypeUnsupported: <P extends string, T extends string>(pool: P, type: T) =>
    `pool '${pool}' has identity type '${type}', but pools take user-assigned identities only` as const,
  /** `NODE_IDENTITY_REFERENCE_MISSING`: article scenario 3. */
  nodeIdentityReferenceMissing: <P extends string, A extends string>(pool: P, account: A) =>
    `pool '${pool}' needs autostorage, but account '${account}' has no node identity reference, so its nodes cannot reach autostorage` as const,
  /** `NODE_IDENTITY_NOT_IN_POOL`: article scenario 4. */
  nodeIdentityNotInPool: <I extends string, P extends string>(identity: I, pool: P) =>
    `node identity reference '${identity}' is not attached to pool '${pool}', which needs autostorage` as const,
  /** `IDENTITY_NOT_IN_POOL`: any other identity reference that is not on the pool. */
  identityNotInPool: <I extends string, P extends string>(identity: I, pool: P) =>
    `identity '${identity}' is not attached to pool '${pool}'` as const,
  /** `ACCOUNT_IDENTITY_REQUIRED` from `client.accounts.get`: an expected identity the live account does not carry. */
  accountIdentityMissing: <I extends string, A extends string>(identity: I, account: A) =>
    `identity '${identity}' is not an identity of account '${account}'` as const,
  /** `NODE_IDENTITY_REFERENCE_MISSING` from `client.accounts.get`: the live account's node identity reference is not the expected one. */
  accountNodeIdentityDiffers: <I extends string, A extends string, F extends string>(identity: I, account: A, found: F) =>
    `account '${account}' was expected to reference '${identity}' as its node identity, but its autostorage references ${found}` as const,
  /** `AUTO_POOL_IDENTITY_REFERENCE`: an identity used by a job on an auto-pool. */
  autoPoolIdentityReference: <I extends string, J extends string>(identity: I, job: J) =>
    `job '${job}' runs on an auto-pool, which cannot carry identities, yet it references identity '${identity}'` as const,
  /** `AUTO_POOL_IDENTITY_REFERENCE`: an identity inside an auto-pool specification itself. */
  autoPoolSpecificationIdentity: () =>
    `an auto-pool cannot carry identities, so its specification cannot reference one` as const,
  /** `RESOURCE_FILE_SOURCE`: not exactly one source. */
  resourceFileSource: (count: number) =>
    `a resource file needs exactly one of autoStorageContainerName, storageContainerUrl, httpUrl (found ${count})` as const,
  /** `RESOURCE_FILE_BLOB_PREFIX`: `blobPrefix` on an `httpUrl` file. */
  resourceFileBlobPrefix: () => `blobPrefix only applies to container resource files, not to httpUrl` as const,
  /** `RESOURCE_FILE_PATH_REQUIRED`: `httpUrl` without `filePath`. */
  resourceFilePathRequired: () => `an httpUrl resource file needs a filePath` as const,
  /** `RESOURCE_FILE_IDENTITY_ON_AUTOSTORAGE`: an identity on an autostorage container file (warning). */
  resourceFileIdentityOnAutoStorage: () =>
    `an autoStorageContainerName resource file carries no identity of its own: Batch uses the account's node identity reference` as const,
  /** `MOUNT_CREDENTIALS`: not exactly one blob mount credential. */
  mountCredentials: <N extends number>(count: N) =>
    `a blob file system mount needs exactly one of accountKey, sasKey, identityReference (found ${count})` as const,
  /** `UNKNOWN_POOL`: the job's pool is not in the files checked (warning). */
  unknownPool: <J extends string, P extends string>(job: J, pool: P) =>
    `job '${job}' runs on pool '${pool}', which is not among the files checked, so its identity references were not checked` as const,
  /** `INVALID_SHAPE`: a value of the wrong type or a missing required field. */
  invalidShape: (detail: string) => `invalid value: ${detail}` as const,
  /** `INVALID_SHAPE` at `commandLine`: a task (or job manager, preparation, release or start task) without a command line. */
  commandLineRequired: <W extends string>(what: W) => `${what} needs a commandLine` as const,
  /** `PERMISSION_MISSING`: live only, article scenario 2. */
  permissionMissing: <I extends string, S extends string>(identity: I, scope: S) =>
    `identity '${identity}' has no Storage Blob Data role on '${scope}' (nor on its resource group or subscription)` as const,
  /** `PERMISSION_MISSING` with what cannot be read or written (the doctor and the preflight). */
  permissionMissingFor: (identity: string, scope: string, what: string, access: "read" | "write", note = "") =>
    `${messages.permissionMissing(identity, scope)}${note}, so ${what} cannot be ${access === "write" ? "written" : "read"}`,
  /** `STORAGE_UNRESOLVED`: live only (warning). */
  storageUnresolved: (source: string, what: string, identity: string) =>
    `the storage account of '${source}' (used by ${what} with identity '${identity}') could not be resolved, so its role assignments were not checked`,
  /** `PERMISSION_UNKNOWN`: live only (warning). */
  permissionUnknown: (who: string, access: "read" | "write", storage: string, what: string, reason: string, note = "") =>
    `could not check whether ${who} can ${access} '${storage}'${note} for ${what}: ${reason}`,
  /** `PERMISSION_MISSING` for the account's own identity on autostorage (the 409 it prevents). */
  accountPermissionMissing: (who: string, storage: string) =>
    `${who} cannot write autostorage '${storage}': uploading an application package will fail with HTTP 409 AutoStorageNoPermission (the account's own identity, not a pool identity, writes packages; no article table row)`,
  /** `POOL_IDENTITY_STALE_NODES`: live only (warning). */
  poolIdentityStaleNodes: <P extends string>(pool: P) =>
    `pool '${pool}' changed its identities while nodes were running: those nodes keep the old identities until the pool shrinks to zero` as const,
  /** `UNKNOWN_BUNDLE_KEY`: a top-level key a bundle does not have. */
  unknownBundleKey: (key: string, hint: string) => `'${key}' is not a bundle key (account, pools, jobs, jobSchedules), so it would be ignored${hint}`,
  /** `VALUE_UNRESOLVED`: a value only known at deployment (warning). */
  valueUnresolved: (what: string, why: string) => `${what} cannot be known offline (${why}), so the rules that depend on it were not checked`,
  /** `CURRENT_STATE_UNKNOWN`: an update that keeps the identities Azure has, or a task without its job (warning). */
  currentStateUnknown: (what: string) => `${what}, so its identity references were not checked against the pool's identities`,
  /** `PLACEHOLDER_SUBSCRIPTION`: ids with `subid` (warning). */
  placeholderSubscription: (count: number) =>
    `${count} resource id${count === 1 ? " uses" : "s use"} the placeholder subscription 'subid' of Azure's REST examples; checked as if it were a subscription GUID`,
} as const;

/** How to fix each rule, in the voice of the builders and of plain JSON. */
export const fixes = {
  invalidResourceId: { builder: () => `pass a resource id of the form ${idShape}` as const, json: () => `use a resource id of the form ${idShape}` },
  labelRequired: { builder: () => `add a literal label as the second argument` as const, json: () => `` },
  identityLabelConflict: {
    builder: () => `give each identity its own label, or pass one handle for both uses` as const,
    json: () => `give each identity its own label`,
  },
  accountUserIdentityMissingIds: {
    builder: () => `pass at least one identity to .withUserAssignedIdentities(...)` as const,
    json: () => `list at least one identity in identity.userAssignedIdentities, or use type SystemAssigned`,
  },
  accountIdentityRequired: {
    builder: () => `call .withSystemAssignedIdentity() or .withUserAssignedIdentities(...) on the account` as const,
    json: () => `give the account an identity (SystemAssigned or UserAssigned), or use authenticationMode StorageKeys`,
  },
  accountEncryptionIdentityRequired: {
    builder: () => `call .withSystemAssignedIdentity() on the account` as const,
    json: () => `set the account's identity.type to SystemAssigned, or use keySource Microsoft.Batch`,
  },
  accountEncryptionKeyRequired: {
    builder: () => `pass keyIdentifier to .withCustomerManagedKey({ ... })` as const,
    json: () => `set encryption.keyVaultProperties.keyIdentifier to the key's URL`,
  },
  poolDiskEncryptionIdentityRequired: {
    builder: () => `` as const,
    json: () => `attach the identity named by customerManagedKey.identityReference to the pool's identity.userAssignedIdentities`,
  },
  poolIdentityTypeUnsupported: {
    builder: () => `attach user-assigned identities with .withIdentities(...)` as const,
    json: () => `set identity.type to UserAssigned and list user-assigned identities in identity.userAssignedIdentities`,
  },
  nodeIdentityReferenceMissing: {
    builder: () => `pass nodeIdentity to the account's .withAutoStorage({ ... }) and attach that identity to the pool with .withIdentities(...)` as const,
    json: () => `set autoStorage.nodeIdentityReference.resourceId on the account and list that identity in the pool's identity.userAssignedIdentities`,
  },
  nodeIdentityNotInPool: {
    builder: <I extends string>(identity: I) => `add it with .withIdentities(..., ${identity})` as const,
    json: (identity: string) => `add '${identity}' to the pool's identity.userAssignedIdentities`,
  },
  identityNotInPool: {
    builder: <I extends string>(identity: I) => `add it with .withIdentities(..., ${identity})` as const,
    json: (identity: string) => `add '${identity}' to the pool's identity.userAssignedIdentities, or reference an identity the pool has`,
  },
  accountIdentityMissing: {
    builder: () => `` as const,
    json: (identity: string) => `add '${identity}' to the account's identity.userAssignedIdentities, or expect an identity it has`,
  },
  accountNodeIdentityDiffers: {
    builder: () => `` as const,
    json: (identity: string) => `set the account's autoStorage.nodeIdentityReference.resourceId to '${identity}' (authenticationMode BatchAccountManagedIdentity), or expect the one it has`,
  },
  autoPoolIdentityReference: {
    builder: () => `run the job on a pool built with pool(...).withIdentities(...), or remove the identity` as const,
    json: () => `set poolInfo.poolId to a pool that carries the identity, or remove the identityReference`,
  },
  resourceFileSource: {
    builder: () => `use resourceFile.fromAutoStorageContainer, .fromContainerUrl or .fromHttpUrl` as const,
    json: () => `keep exactly one of autoStorageContainerName, storageContainerUrl, httpUrl`,
  },
  resourceFileBlobPrefix: { builder: () => `remove blobPrefix` as const, json: () => `remove blobPrefix, or use storageContainerUrl` },
  resourceFilePathRequired: { builder: () => `pass filePath` as const, json: () => `add filePath (the file's name on the node)` },
  resourceFileIdentityOnAutoStorage: {
    builder: () => `remove the identity; set the account's nodeIdentity instead` as const,
    json: () => `remove identityReference; set the account's autoStorage.nodeIdentityReference instead`,
  },
  mountCredentials: {
    builder: () => `pass exactly one of accountKey, sasKey, identity` as const,
    json: () => `keep exactly one of accountKey, sasKey, identityReference`,
  },
  unknownPool: { builder: () => `` as const, json: () => `check the pool's body together with this job (or add it to the bundle's pools)` },
  invalidShape: { builder: () => `` as const, json: () => `correct the value to the Azure REST API's shape` },
  commandLineRequired: { builder: () => `call .withCommandLine(...)` as const, json: () => `set commandLine to the command to run` },
  permissionMissing: {
    builder: () => `` as const,
    json: (identity: string, scope: string, access: "read" | "write" = "read") =>
      `assign ${access === "write" ? "Storage Blob Data Contributor (or Owner)" : "Storage Blob Data Reader (or Contributor/Owner)"} to '${identity}' on '${scope}'`,
  },
  storageUnresolved: { builder: () => `` as const, json: (identity: string) => `make sure '${identity}' has Storage Blob Data Reader on that storage account` },
  permissionUnknown: {
    builder: () => `` as const,
    json: (who: string) => `check the role assignments of ${who} by hand, or run the doctor as someone who can read them`,
  },
  accountPermissionMissing: {
    builder: () => `` as const,
    json: (who: string, storage: string) =>
      `assign Storage Blob Data Contributor (or Owner) to ${who} on '${storage}', or set autoStorage.authenticationMode to StorageKeys`,
  },
  poolIdentityStaleNodes: {
    builder: () => `` as const,
    json: () => `resize the pool to 0 nodes and back so new nodes get the new identities`,
  },
  unknownBundleKey: { builder: () => `` as const, json: () => `rename the key to the bundle key it was meant to be, or move it where it belongs (tasks go in jobs[].tasks)` },
  valueUnresolved: { builder: () => `` as const, json: () => `give the value literally (or a parameter with a value in --parameters) to have it checked` },
  currentStateUnknown: { builder: () => `` as const, json: () => `check the pool's body (or the job with its tasks) together with this file` },
  placeholderSubscription: { builder: () => `` as const, json: () => `use your subscription's GUID before deploying` },
} as const;

/** The exact compile-time error text for a rule: `typed-batch: <message>; fix: <builder fix>`. */
export type TypeErrorText<M extends string, F extends string> = `typed-batch: ${M}; fix: ${F}`;

/** The run-time twin of {@link TypeErrorText}; used for builder errors so both read the same. */
export function typeErrorText<M extends string, F extends string>(message: M, fix: F): TypeErrorText<M, F> {
  return `typed-batch: ${message}; fix: ${fix}`;
}

declare const compileError: unique symbol;

/**
 * A compile-time error: what a builder's parameter becomes when the argument breaks a rule. It is
 * an object type keyed by a symbol that exists only in the types, so no value (least of all the
 * message string itself) satisfies it, and the compiler prints it as
 * `CompileError<"typed-batch: ...; fix: ...">`.
 */
export interface CompileError<Text extends string> {
  /** Only in the types. */
  readonly [compileError]: Text;
  /** Any other key: so an object literal is refused as a whole, at the argument, not at its first property. */
  readonly [key: string]: unknown;
}

/**
 * The error for a text. A conditional rather than a plain alias, so that error messages print the
 * interface with its text (`CompileError<"typed-batch: ...">`), not the alias naming the rule.
 */
type ErrorOf<Text extends string> = Text extends string ? CompileError<Text> : never;

// Type-level views of the messages, taken from the functions so the texts cannot drift.
/** @internal */ export type InvalidResourceIdError<Id extends string> = ErrorOf<TypeErrorText<ReturnType<typeof messages.invalidResourceId<Id>>, ReturnType<typeof fixes.invalidResourceId.builder>>>;
/** @internal */ export type LabelRequiredError = ErrorOf<TypeErrorText<ReturnType<typeof messages.labelRequired>, ReturnType<typeof fixes.labelRequired.builder>>>;
/** @internal */ export type LabelMustBeLiteralError = ErrorOf<`typed-batch: ${ReturnType<typeof messages.labelMustBeLiteral>}`>;
/** @internal */ export type IdentityLabelConflictError<L extends string, A extends string, B extends string> = ErrorOf<TypeErrorText<ReturnType<typeof messages.identityLabelConflict<L, ConflictDisplay<A, B>[0], ConflictDisplay<A, B>[1]>>, ReturnType<typeof fixes.identityLabelConflict.builder>>>;
/** @internal */ export type AccountUserIdentityMissingIdsError<A extends string> = ErrorOf<TypeErrorText<ReturnType<typeof messages.accountUserIdentityMissingIds<A>>, ReturnType<typeof fixes.accountUserIdentityMissingIds.builder>>>;
/** @internal */ export type AccountIdentityRequiredError<A extends string> = ErrorOf<TypeErrorText<ReturnType<typeof messages.accountIdentityRequired<A>>, ReturnType<typeof fixes.accountIdentityRequired.builder>>>;
/** @internal */ export type AccountEncryptionIdentityRequiredError<A extends string> = ErrorOf<TypeErrorText<ReturnType<typeof messages.accountEncryptionIdentityRequired<A>>, ReturnType<typeof fixes.accountEncryptionIdentityRequired.builder>>>;
/** @internal */ export type NodeIdentityReferenceMissingError<P extends string, A extends string> = ErrorOf<TypeErrorText<ReturnType<typeof messages.nodeIdentityReferenceMissing<P, A>>, ReturnType<typeof fixes.nodeIdentityReferenceMissing.builder>>>;
/** @internal */ export type NodeIdentityNotInPoolError<I extends string, P extends string> = ErrorOf<TypeErrorText<ReturnType<typeof messages.nodeIdentityNotInPool<DisplayKey<I>, P>>, ReturnType<typeof fixes.nodeIdentityNotInPool.builder<DisplayKey<I>>>>>;
/** @internal */ export type IdentityNotInPoolError<I extends string, P extends string> = ErrorOf<TypeErrorText<ReturnType<typeof messages.identityNotInPool<DisplayKey<I>, P>>, ReturnType<typeof fixes.identityNotInPool.builder<DisplayKey<I>>>>>;
/** @internal */ export type AutoPoolIdentityReferenceError<I extends string, J extends string> = ErrorOf<TypeErrorText<ReturnType<typeof messages.autoPoolIdentityReference<DisplayKey<I>, J>>, ReturnType<typeof fixes.autoPoolIdentityReference.builder>>>;
/** @internal */ export type AutoPoolSpecificationIdentityError = ErrorOf<TypeErrorText<ReturnType<typeof messages.autoPoolSpecificationIdentity>, ReturnType<typeof fixes.autoPoolIdentityReference.builder>>>;
/** @internal */ export type CommandLineRequiredError = ErrorOf<TypeErrorText<ReturnType<typeof messages.commandLineRequired<"a task">>, ReturnType<typeof fixes.commandLineRequired.builder>>>;
/** @internal */ export type MountCredentialsError<N extends number> = ErrorOf<TypeErrorText<ReturnType<typeof messages.mountCredentials<N>>, ReturnType<typeof fixes.mountCredentials.builder>>>;
