/**
 * typed-batch: Azure Batch pools, jobs and tasks whose managed-identity mistakes are compile
 * errors, with the same rules enforced at run time before anything is sent to Azure.
 *
 * @packageDocumentation
 * @module typed-batch
 */
export { userAssignedIdentity, isUserAssignedIdentity, type UserAssignedIdentity } from "./identity/user-assigned-identity.js";
export { canonicalIdentityId, sameResourceId, isUserAssignedIdentityId, type UserAssignedIdentityId } from "./identity/resource-id.js";
export { TypedBatchError } from "./errors/typed-batch-error.js";
export type { Finding, Scenario } from "./errors/issue.js";
export { redact } from "./errors/redact.js";
export { findingCodes, allFindingCodes, type FindingCode, type Severity } from "./rules/codes.js";
export { messages } from "./rules/messages.js";
export { identitySites, requestModels, siteExclusions, type RequestModel, type SiteExclusion, type IdentitySite, type SiteKind, type SiteOwner, type SiteCredential, type SiteFailure, type FailureSurface, type FailureCause } from "./rules/sites.js";
export { validateAccount, validatePool, validateJob, validateJobSchedule, validateTask, type ValidationResult, type AccountLike, type PoolLike, type JobLike } from "./rules/validate.js";
export { batchAccount, type AccountBuilder, type AccountProperties, type AutoStorageOptions, type BatchAccountOptions, type CustomerManagedKeyOptions } from "./account/account-builder.js";
export type { BatchAccountSpec, AutoStorageModeState, AccountIdentityType } from "./account/account-spec.js";
export { pool, type PoolBuilder } from "./pool/pool-builder.js";
export type { PoolSpec, AnyAccountSpec } from "./pool/pool-spec.js";
export type { IdentityOf } from "./pool/identity-of.js";
export type { PoolProperties, StartTaskInput, RegistryInput, BlobMountInput, ContainerSettingsInput, DeploymentInput } from "./pool/pool-inputs.js";
export { resourceFile, type ResourceFileSpec, type AutoStorageResourceFile, type ContainerUrlResourceFile, type HttpUrlResourceFile, type ContainerUrlOptions, type HttpUrlOptions } from "./task/resource-file.js";
export { outputFile, type ContainerOutputFile, type ContainerOutputOptions } from "./task/output-file.js";
export { job, type JobBuilder, type JobSpec, type PoolTarget, type ManagerTaskInput, type PreparationTaskInput, type ReleaseTaskInput, type JobProperties } from "./job/job-builder.js";
export { autoPool, type AutoPoolSpec, type AutoPoolOptions } from "./job/auto-pool.js";
export { jobSchedule, type JobScheduleBuilder, type JobScheduleSpec, type JobScheduleProperties, type JobSpecificationProperties } from "./job-schedule/job-schedule-builder.js";
export { task, type TaskBuilder, type TaskBuilderOf, type TaskSpec, type TaskProperties, type MultiInstanceInput, type ApplicationPackageReference } from "./task/task-builder.js";
export type { UploadCondition } from "./task/output-file.js";
export type { CommandLineSlot, UnsetMarker } from "./task/command-line.js";
export { createBatchClient, type BatchClient, type CreateBatchClientOptions, type GetAccountOptions, type GetPoolOptions, type ListOptions, type LiveAccountSpec, type UploadLogsOptions } from "./client/batch-client.js";
export type { AddManyOptions, AddManyResult, AddManyProgress } from "./client/add-many.js";
export { retryDefaults, type BackoffOptions, type RetryOptions } from "./client/retry.js";
export { nodeCredential } from "./node/node-credential.js";
export { verifyIdentity, type VerifyIdentityOptions, type VerifyIdentityResult, type VerifyStep } from "./node/verify-identity.js";
export type { DoctorOptions, DoctorProgress } from "./doctor/doctor.js";
export type { PreflightOptions } from "./client/preflight.js";
export type { CreatePoolOptions } from "./client/batch-client.js";
export { diagnose, explain, explainableCodes, describeScenario, type Bundle, type BundleJob, type Explanation } from "./diagnose/index.js";
export { AzureRequestError } from "./client/azure-request-error.js";
