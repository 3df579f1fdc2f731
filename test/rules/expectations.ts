/**
 * What each case of `fixtures/cases.ts` must produce: at compile time (the identity/label/pool the
 * message names and the builder-voice fix) and at run time (the `TypedBatchError` code and path).
 * Read by `compiler-messages.test.ts` and `test/builders/twins.test.ts`.
 */
import type { FindingCode } from "typed-batch";
import { fixes } from "../../src/rules/messages.js";
import { displayKey } from "../../src/identity/display-key.js";
import { workerId } from "./fixtures/cases.js";

/** Messages name a literal-id identity by its last segment, in the types and at run time alike. */
const worker = displayKey(workerId);

export interface RuleCase {
  /** The rule, as the brief names it. */
  readonly rule: string;
  /** Function name in `fixtures/cases.ts`. */
  readonly name: string;
  /**
   * `typed-batch`: the diagnostics quote a typed-batch error text. `structural`: the mistake cannot be
   * written with the builders' types (the "by construction" rules), so TypeScript's own error names
   * the offending property.
   */
  readonly kind: "typed-batch" | "structural";
  /** Words the diagnostic must contain: the identity key/label, pool, account, job or property. */
  readonly names: readonly string[];
  /** The builder-voice fix the diagnostic must contain (typed-batch kind). */
  readonly fix?: string;
  /** The run-time twin: the first error's code and path, or `null` when no run-time twin exists. */
  readonly runtime: { readonly code: FindingCode; readonly path: string; readonly codes?: readonly FindingCode[] } | null;
}

const notInPool = (key: string) => fixes.identityNotInPool.builder(key);
const nodeNotInPool = fixes.nodeIdentityNotInPool.builder(worker);

export const ruleCases: readonly RuleCase[] = [
  { rule: "malformed literal id", name: "malformedLiteralId", kind: "typed-batch", names: ["/subscriptions/not-a-guid/"], fix: fixes.invalidResourceId.builder(), runtime: { code: "INVALID_RESOURCE_ID", path: "id" } },
  { rule: "non-literal id without label", name: "nonLiteralIdWithoutLabel", kind: "typed-batch", names: ["label"], fix: fixes.labelRequired.builder(), runtime: null },
  { rule: "non-literal label", name: "nonLiteralLabel", kind: "typed-batch", names: ["label must be a string literal"], runtime: null },
  // Run-time twins in label-conflict.test.ts: the TypedBatchError names the full ids, the types their short forms.
  { rule: "one label, two literal ids, in one withIdentities call", name: "labelConflictInOneCall", kind: "typed-batch", names: ["shared", "alpha", "beta"], fix: fixes.identityLabelConflict.builder(), runtime: null },
  { rule: "one label, two literal ids, in two withIdentities calls", name: "labelConflictAcrossCalls", kind: "typed-batch", names: ["shared", "render/alpha", "other/alpha"], fix: fixes.identityLabelConflict.builder(), runtime: null },
  { rule: "one label, two literal ids, used before the other is attached", name: "labelConflictUsedBeforeAttached", kind: "typed-batch", names: ["shared", "alpha", "beta"], fix: fixes.identityLabelConflict.builder(), runtime: null },
  { rule: "one label, two literal ids, on the pool and in a task", name: "labelConflictPoolThenTask", kind: "typed-batch", names: ["shared", "alpha", "beta"], fix: fixes.identityLabelConflict.builder(), runtime: null },
  { rule: "one label, two literal ids, among the account's identities", name: "labelConflictAccountIdentities", kind: "typed-batch", names: ["shared", "alpha", "beta"], fix: fixes.identityLabelConflict.builder(), runtime: null },
  { rule: "one label, two literal ids, an account identity and the node identity", name: "labelConflictAccountThenNodeIdentity", kind: "typed-batch", names: ["shared", "alpha", "beta"], fix: fixes.identityLabelConflict.builder(), runtime: null },
  { rule: "one label, two literal ids, the node identity and an account identity", name: "labelConflictNodeIdentityThenAccount", kind: "typed-batch", names: ["shared", "alpha", "beta"], fix: fixes.identityLabelConflict.builder(), runtime: null },
  { rule: "one label, two literal ids, on the account and on its pool", name: "labelConflictAccountThenPool", kind: "typed-batch", names: ["shared", "alpha", "beta"], fix: fixes.identityLabelConflict.builder(), runtime: null },
  { rule: "one label, two literal ids, the node identity and a pool's registry", name: "labelConflictNodeIdentityThenPoolUse", kind: "typed-batch", names: ["shared", "alpha", "beta"], fix: fixes.identityLabelConflict.builder(), runtime: null },
  { rule: "one label, two literal ids, both also attached by id in the same call", name: "labelConflictAmongHandlesOfAttachedIds", kind: "typed-batch", names: ["shared", "alpha", "beta"], fix: fixes.identityLabelConflict.builder(), runtime: null },
  { rule: "one label, two literal ids, the pool's second handle for an identity and a task", name: "labelConflictSecondHandleThenTask", kind: "typed-batch", names: ["shared", "alpha", "beta"], fix: fixes.identityLabelConflict.builder(), runtime: null },
  { rule: "one label, two literal ids, in two calls of one task", name: "labelConflictTaskUses", kind: "typed-batch", names: ["shared", "alpha", "beta"], fix: fixes.identityLabelConflict.builder(), runtime: null },
  { rule: "one label, two literal ids, in a job's manager and preparation tasks", name: "labelConflictJobTasks", kind: "typed-batch", names: ["shared", "alpha", "beta"], fix: fixes.identityLabelConflict.builder(), runtime: null },
  { rule: "one label, two literal ids, in one argument (reported on build)", name: "labelConflictInOneArgument", kind: "typed-batch", names: ["shared", "alpha", "beta"], fix: fixes.identityLabelConflict.builder(), runtime: null },
  { rule: "one label, two literal ids, in a pool's registry and mount", name: "labelConflictPoolUses", kind: "typed-batch", names: ["shared", "alpha", "beta"], fix: fixes.identityLabelConflict.builder(), runtime: null },
  { rule: "account BatchAccountManagedIdentity without identity", name: "accountWithoutIdentity", kind: "typed-batch", names: ["acct-noid"], fix: fixes.accountIdentityRequired.builder(), runtime: { code: "ACCOUNT_IDENTITY_REQUIRED", path: "autoStorage.authenticationMode" } },
  { rule: "account customer-managed key without the system-assigned identity", name: "accountCustomerManagedKeyWithoutSystemIdentity", kind: "typed-batch", names: ["acct-cmk"], fix: fixes.accountEncryptionIdentityRequired.builder(), runtime: { code: "ACCOUNT_ENCRYPTION_IDENTITY_REQUIRED", path: "encryption.keySource" } },
  { rule: "pool start task resource file identity not attached", name: "poolStartTaskResourceFile", kind: "typed-batch", names: ["reader", "render"], fix: notInPool("reader"), runtime: { code: "IDENTITY_NOT_IN_POOL", path: "startTask.resourceFiles[0].identityReference" } },
  { rule: "start task container registry identity", name: "poolStartTaskRegistry", kind: "typed-batch", names: ["reader", "render"], fix: notInPool("reader"), runtime: { code: "IDENTITY_NOT_IN_POOL", path: "startTask.containerSettings.registry.identityReference" } },
  { rule: "pool container registry identity", name: "poolContainerRegistry", kind: "typed-batch", names: ["reader", "render"], fix: notInPool("reader"), runtime: { code: "IDENTITY_NOT_IN_POOL", path: "deploymentConfiguration.virtualMachineConfiguration.containerConfiguration.containerRegistries[0].identityReference" } },
  { rule: "blob mount identity", name: "poolBlobMount", kind: "typed-batch", names: ["reader", "render"], fix: notInPool("reader"), runtime: { code: "IDENTITY_NOT_IN_POOL", path: "mountConfiguration[0].azureBlobFileSystemConfiguration.identityReference" } },
  { rule: "blob mount with two credentials", name: "poolBlobMountTwoCredentials", kind: "typed-batch", names: ["accountKey", "identity"], fix: fixes.mountCredentials.builder(), runtime: { code: "MOUNT_CREDENTIALS", path: "mountConfiguration[0].azureBlobFileSystemConfiguration" } },
  { rule: "pool application packages, no node identity (scenario 3)", name: "poolApplicationPackagesNoNodeIdentity", kind: "typed-batch", names: ["render", "acct-nonode"], fix: fixes.nodeIdentityReferenceMissing.builder(), runtime: { code: "NODE_IDENTITY_REFERENCE_MISSING", path: "applicationPackages[0]" } },
  { rule: "node identity not on pool (scenario 4)", name: "poolNodeIdentityNotOnPool", kind: "typed-batch", names: [worker, "render"], fix: nodeNotInPool, runtime: { code: "NODE_IDENTITY_NOT_IN_POOL", path: "applicationPackages[0]" } },
  { rule: "pool start task autostorage file, node identity not on pool", name: "poolStartTaskAutoStorageFile", kind: "typed-batch", names: [worker, "render"], fix: nodeNotInPool, runtime: { code: "NODE_IDENTITY_NOT_IN_POOL", path: "startTask.resourceFiles[0]" } },
  { rule: "pool application packages then a start task (scenario 4)", name: "poolApplicationPackagesThenStartTask", kind: "typed-batch", names: [worker, "render"], fix: nodeNotInPool, runtime: { code: "NODE_IDENTITY_NOT_IN_POOL", path: "applicationPackages[0]" } },
  { rule: "several pool problems", name: "poolSeveralProblems", kind: "typed-batch", names: ["stranger", "render"], fix: notInPool("stranger"), runtime: { code: "NODE_IDENTITY_NOT_IN_POOL", path: "applicationPackages[0]", codes: ["NODE_IDENTITY_NOT_IN_POOL", "IDENTITY_NOT_IN_POOL"] } },
  { rule: "use before declare, never declared", name: "poolIdentityNeverDeclared", kind: "typed-batch", names: ["stranger", "render"], fix: notInPool("stranger"), runtime: { code: "IDENTITY_NOT_IN_POOL", path: "startTask.resourceFiles[0].identityReference" } },
  { rule: "use before declare, another identity declared", name: "poolIdentityDeclaredLaterButNotThisOne", kind: "typed-batch", names: ["stranger", "render"], fix: notInPool("stranger"), runtime: { code: "IDENTITY_NOT_IN_POOL", path: "deploymentConfiguration.virtualMachineConfiguration.containerConfiguration.containerRegistries[0].identityReference" } },
  { rule: "system-assigned identity passed to withIdentities", name: "poolSystemAssignedIdentity", kind: "structural", names: ["SystemAssigned", "UserAssigned"], runtime: { code: "INVALID_RESOURCE_ID", path: 'identity.userAssignedIdentities[""]' } },
  { rule: "job manager task resource file", name: "jobManagerResourceFile", kind: "typed-batch", names: ["stranger", "reader-only"], fix: notInPool("stranger"), runtime: { code: "IDENTITY_NOT_IN_POOL", path: "jobManagerTask.resourceFiles[0].identityReference" } },
  { rule: "job manager task output file", name: "jobManagerOutputFile", kind: "typed-batch", names: ["stranger", "reader-only"], fix: notInPool("stranger"), runtime: { code: "IDENTITY_NOT_IN_POOL", path: "jobManagerTask.outputFiles[0].destination.container.identityReference" } },
  { rule: "job manager task registry", name: "jobManagerRegistry", kind: "typed-batch", names: ["stranger", "reader-only"], fix: notInPool("stranger"), runtime: { code: "IDENTITY_NOT_IN_POOL", path: "jobManagerTask.containerSettings.registry.identityReference" } },
  { rule: "job manager task autostorage file (scenario resource-files#4)", name: "jobManagerAutoStorageFile", kind: "typed-batch", names: [worker, "reader-only"], fix: fixes.nodeIdentityNotInPool.builder(worker), runtime: { code: "NODE_IDENTITY_NOT_IN_POOL", path: "jobManagerTask.resourceFiles[0]" } },
  { rule: "job preparation task resource file", name: "jobPreparationResourceFile", kind: "typed-batch", names: ["stranger", "reader-only"], fix: notInPool("stranger"), runtime: { code: "IDENTITY_NOT_IN_POOL", path: "jobPreparationTask.resourceFiles[0].identityReference" } },
  { rule: "job preparation task registry", name: "jobPreparationRegistry", kind: "typed-batch", names: ["stranger", "reader-only"], fix: notInPool("stranger"), runtime: { code: "IDENTITY_NOT_IN_POOL", path: "jobPreparationTask.containerSettings.registry.identityReference" } },
  { rule: "job release task resource file", name: "jobReleaseResourceFile", kind: "typed-batch", names: ["stranger", "reader-only"], fix: notInPool("stranger"), runtime: { code: "IDENTITY_NOT_IN_POOL", path: "jobReleaseTask.resourceFiles[0].identityReference" } },
  { rule: "job release task registry", name: "jobReleaseRegistry", kind: "typed-batch", names: ["stranger", "reader-only"], fix: notInPool("stranger"), runtime: { code: "IDENTITY_NOT_IN_POOL", path: "jobReleaseTask.containerSettings.registry.identityReference" } },
  { rule: "auto-pool job with an identity", name: "jobAutoPoolIdentity", kind: "typed-batch", names: ["reader", "nightly"], fix: fixes.autoPoolIdentityReference.builder(), runtime: { code: "AUTO_POOL_IDENTITY_REFERENCE", path: "jobPreparationTask.resourceFiles[0].identityReference" } },
  { rule: "task resource file (container)", name: "taskContainerResourceFile", kind: "typed-batch", names: ["stranger", "render"], fix: notInPool("stranger"), runtime: { code: "IDENTITY_NOT_IN_POOL", path: "resourceFiles[0].identityReference" } },
  { rule: "task multi-instance common resource file", name: "taskMultiInstanceCommonResourceFile", kind: "typed-batch", names: ["stranger", "render"], fix: notInPool("stranger"), runtime: { code: "IDENTITY_NOT_IN_POOL", path: "multiInstanceSettings.commonResourceFiles[0].identityReference" } },
  { rule: "task multi-instance autostorage common file, node identity not on pool", name: "taskMultiInstanceAutoStorageFile", kind: "typed-batch", names: [worker, "reader-only"], fix: nodeNotInPool, runtime: { code: "NODE_IDENTITY_NOT_IN_POOL", path: "multiInstanceSettings.commonResourceFiles[0]" } },
  { rule: "task resource file (http)", name: "taskHttpResourceFile", kind: "typed-batch", names: ["stranger", "render"], fix: notInPool("stranger"), runtime: { code: "IDENTITY_NOT_IN_POOL", path: "resourceFiles[0].identityReference" } },
  { rule: "task output file", name: "taskOutputFile", kind: "typed-batch", names: ["stranger", "render"], fix: notInPool("stranger"), runtime: { code: "IDENTITY_NOT_IN_POOL", path: "outputFiles[0].destination.container.identityReference" } },
  { rule: "task container registry", name: "taskContainerRegistry", kind: "typed-batch", names: ["stranger", "render"], fix: notInPool("stranger"), runtime: { code: "IDENTITY_NOT_IN_POOL", path: "containerSettings.registry.identityReference" } },
  { rule: "task autostorage file without node identity (scenario resource-files#3)", name: "taskAutoStorageFileNoNodeIdentity", kind: "typed-batch", names: ["nonode", "acct-nonode"], fix: fixes.nodeIdentityReferenceMissing.builder(), runtime: { code: "NODE_IDENTITY_REFERENCE_MISSING", path: "resourceFiles[0]" } },
  { rule: "task autostorage file, node identity not on pool (scenario resource-files#4)", name: "taskAutoStorageFileNodeIdentityNotOnPool", kind: "typed-batch", names: [worker, "reader-only"], fix: nodeNotInPool, runtime: { code: "NODE_IDENTITY_NOT_IN_POOL", path: "resourceFiles[0]" } },
  { rule: "task application packages without node identity", name: "taskApplicationPackagesNoNodeIdentity", kind: "typed-batch", names: ["nonode", "acct-nonode"], fix: fixes.nodeIdentityReferenceMissing.builder(), runtime: { code: "NODE_IDENTITY_REFERENCE_MISSING", path: "applicationPackageReferences[0]" } },
  { rule: "task application packages, node identity not on pool", name: "taskApplicationPackagesNodeIdentityNotOnPool", kind: "typed-batch", names: [worker, "reader-only"], fix: nodeNotInPool, runtime: { code: "NODE_IDENTITY_NOT_IN_POOL", path: "applicationPackageReferences[0]" } },
  { rule: "task on an auto-pool job with an identity", name: "taskAutoPoolIdentity", kind: "typed-batch", names: ["reader", "nightly"], fix: fixes.autoPoolIdentityReference.builder(), runtime: { code: "AUTO_POOL_IDENTITY_REFERENCE", path: "outputFiles[0].destination.container.identityReference" } },
  { rule: "several task problems", name: "taskSeveralProblems", kind: "typed-batch", names: ["reader-only"], fix: notInPool("stranger"), runtime: { code: "NODE_IDENTITY_NOT_IN_POOL", path: "resourceFiles[1]", codes: ["NODE_IDENTITY_NOT_IN_POOL", "IDENTITY_NOT_IN_POOL", "IDENTITY_NOT_IN_POOL"] } },
  { rule: "task without withCommandLine", name: "taskWithoutCommandLine", kind: "typed-batch", names: ["a task needs a commandLine"], fix: fixes.commandLineRequired.builder(), runtime: { code: "INVALID_SHAPE", path: "commandLine" } },
  { rule: "resourceFile.fromHttpUrl without filePath", name: "httpUrlWithoutFilePath", kind: "structural", names: ["filePath"], runtime: { code: "RESOURCE_FILE_PATH_REQUIRED", path: "resourceFiles[0].filePath" } },
  { rule: "blobPrefix on fromHttpUrl options", name: "httpUrlWithBlobPrefix", kind: "structural", names: ["blobPrefix"], runtime: { code: "RESOURCE_FILE_BLOB_PREFIX", path: "resourceFiles[0].blobPrefix" } },
  { rule: "identity on fromAutoStorageContainer", name: "autoStorageFileWithIdentity", kind: "structural", names: ["identity"], runtime: null },
  { rule: "labelled use after an account that does not compile (no cascade)", name: "labelledUseAfterAccountError", kind: "typed-batch", names: ["acct-noid"], fix: fixes.accountIdentityRequired.builder(), runtime: { code: "ACCOUNT_IDENTITY_REQUIRED", path: "autoStorage.authenticationMode" } },
  // Two compile errors, while a run stops at the first throw: each rule's twin is tested on its own above.
  { rule: "a pool's use after an account that does not compile (the pool's own error names the identity)", name: "poolUseAfterAccountError", kind: "typed-batch", names: ["acct-noid", worker], fix: fixes.accountIdentityRequired.builder(), runtime: null },
  { rule: "misspelt builder method", name: "misspeltMethod", kind: "structural", names: ["withIdentity", "does not exist"], runtime: null },
];
