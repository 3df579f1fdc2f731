/**
 * Every finding and guard-issue code typed-batch emits, with its severity and a one-line meaning.
 *
 * This table is the single list of codes: the guards, `diagnose`, `explain`, the CLI and the docs
 * all read it, so a code cannot exist in one place and not another.
 */
export const findingCodes = {
  INVALID_RESOURCE_ID: {
    severity: "error",
    summary: "A user-assigned identity id that is not a well-formed ARM resource id.",
  },
  IDENTITY_LABEL_CONFLICT: {
    severity: "error",
    /** Only the builders can find it: it depends on handles and labels, which plain JSON has not. */
    builderOnly: true,
    summary: "One label given to two different identity resource ids: messages and the types could not tell them apart.",
  },
  ACCOUNT_USER_IDENTITY_MISSING_IDS: {
    severity: "error",
    summary: "The account identity is `UserAssigned` but lists no identities (Azure answers `MissingIdentityIds`).",
  },
  ACCOUNT_IDENTITY_REQUIRED: {
    severity: "error",
    summary: "Autostorage uses `BatchAccountManagedIdentity` on an account that has no identity.",
  },
  ACCOUNT_ENCRYPTION_IDENTITY_REQUIRED: {
    severity: "error",
    summary: "Account encryption with `keySource: Microsoft.KeyVault` on an account whose identity is not `SystemAssigned` (BatchManagement.json 2025-06-01, KeySource).",
  },
  ACCOUNT_ENCRYPTION_KEY_REQUIRED: {
    severity: "error",
    summary: "Account encryption with `keySource: Microsoft.KeyVault` without `keyVaultProperties.keyIdentifier` (BatchManagement.json 2025-06-01, KeySource).",
  },
  POOL_DISK_ENCRYPTION_IDENTITY_REQUIRED: {
    severity: "error",
    summary: "A pool disk encryption customer-managed key on a pool without identities (BatchManagement.json 2025-06-01, DiskEncryptionConfiguration.customerManagedKey).",
  },
  POOL_IDENTITY_TYPE_UNSUPPORTED: {
    severity: "error",
    summary: "A pool identity type other than `UserAssigned` or `None`: pools take user-assigned identities only.",
  },
  NODE_IDENTITY_REFERENCE_MISSING: {
    severity: "error",
    summary: "A pool needs autostorage under `BatchAccountManagedIdentity` and the account has no node identity reference (article scenario 3).",
  },
  NODE_IDENTITY_NOT_IN_POOL: {
    severity: "error",
    summary: "The account's node identity reference is not on a pool that needs autostorage (article scenario 4).",
  },
  IDENTITY_NOT_IN_POOL: {
    severity: "error",
    summary: "An `identityReference` names an identity that is not attached to the pool it runs on.",
  },
  AUTO_POOL_IDENTITY_REFERENCE: {
    severity: "error",
    summary: "An identity reference in a job that runs on an auto-pool, which cannot carry identities.",
  },
  RESOURCE_FILE_SOURCE: {
    severity: "error",
    summary: "A resource file without exactly one of `autoStorageContainerName`, `storageContainerUrl`, `httpUrl`.",
  },
  RESOURCE_FILE_BLOB_PREFIX: {
    severity: "error",
    summary: "`blobPrefix` on an `httpUrl` resource file (it only applies to the container kinds).",
  },
  RESOURCE_FILE_PATH_REQUIRED: {
    severity: "error",
    summary: "An `httpUrl` resource file without `filePath`.",
  },
  RESOURCE_FILE_IDENTITY_ON_AUTOSTORAGE: {
    severity: "warning",
    summary: "An `identityReference` on an `autoStorageContainerName` file: Batch ignores it and uses the node identity reference.",
  },
  MOUNT_CREDENTIALS: {
    severity: "error",
    summary: "A blob file system mount without exactly one of `accountKey`, `sasKey`, `identityReference`.",
  },
  UNKNOWN_POOL: {
    severity: "warning",
    summary: "A job's pool is not among the files checked (nor in the bundle), so its identity references were not checked.",
  },
  INVALID_SHAPE: {
    severity: "error",
    summary: "A value does not have the shape the Azure API takes (wrong type, missing required field).",
  },
  PERMISSION_MISSING: {
    severity: "error",
    live: true,
    summary: "An identity lacks a data role on the storage it must read (article scenario 2): live (the doctor), or offline from the role assignments of an ARM template or Terraform plan that creates the identity.",
  },
  STORAGE_UNRESOLVED: {
    severity: "warning",
    live: true,
    summary: "Live only: a storage URL or account name could not be resolved to a storage account, so its role assignments were not checked.",
  },
  PERMISSION_UNKNOWN: {
    severity: "warning",
    live: true,
    summary: "Live only: role assignments could not be read (the caller may lack Microsoft.Authorization/roleAssignments/read), so a data role was not checked.",
  },
  NODE_FAILURE: {
    severity: "error",
    live: true,
    summary: "Live only: nodes are Unusable, failed their start task or are stuck in Starting for an identity reason the current configuration does not explain.",
  },
  TASK_FAILURE: {
    severity: "error",
    live: true,
    summary: "Live only: recent tasks failed with an identity or storage error the current configuration does not explain.",
  },
  POOL_IDENTITY_STALE_NODES: {
    severity: "warning",
    live: true,
    summary: "Live only: the pool's identities changed while nodes were running; those nodes keep the old list.",
  },
  UNKNOWN_BUNDLE_KEY: {
    severity: "error",
    summary: "A bundle's top-level key that is not `account`, `pools`, `jobs` or `jobSchedules` (a typo, or `tasks` outside their job): it would be ignored.",
  },
  VALUE_UNRESOLVED: {
    severity: "warning",
    summary: "A value `check` cannot know offline (a template expression it does not evaluate, a Terraform value known only after apply): the rules that depend on it were not checked.",
  },
  CURRENT_STATE_UNKNOWN: {
    severity: "warning",
    summary: "An update (PATCH) body that leaves the pool's identities as they are in Azure, or a task given without its job: the identities it runs with are unknown offline, so its references were not checked.",
  },
  PLACEHOLDER_SUBSCRIPTION: {
    severity: "warning",
    summary: "Resource ids with the placeholder subscription `subid` of Azure's REST examples: checked as if it were a subscription GUID.",
  },
} as const satisfies Record<string, { severity: "error" | "warning"; summary: string; live?: true; builderOnly?: true }>;

/** A stable code carried by every finding, guard issue and {@link TypedBatchError}. */
export type FindingCode = keyof typeof findingCodes;

/** Whether a finding blocks (`error`) or only informs (`warning`). */
export type Severity = "error" | "warning";

/** All finding codes, in table order. */
export const allFindingCodes = Object.keys(findingCodes) as FindingCode[];

/** True for codes only the live doctor can emit (they depend on Azure's state, not on the JSON). */
export function isLiveOnly(code: FindingCode): boolean {
  return (findingCodes[code] as { live?: true }).live === true;
}

/** True for codes only the builders can emit (they depend on handles and labels, which plain JSON has not). */
export function isBuilderOnly(code: FindingCode): boolean {
  return (findingCodes[code] as { builderOnly?: true }).builderOnly === true;
}
