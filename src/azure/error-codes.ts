/**
 * Azure's own error and failure codes, each with the public source it is read from. This is the
 * one list: the emulator emits only codes from it, `explain` and the doctor recognise only codes
 * from it, and the site table's failure column names codes from it.
 *
 * `source` is where the code (and, where given, status, category and message) is published.
 * `assumption` says what part is NOT from a public source and why we chose it. Data-plane
 * categories are given as they appear on the wire today (`ErrorCategory` enum `usererror` /
 * `servererror`, {@link DATA_PLANE_SPEC}); the older status-code page writes them `UserError`.
 */
import {
  ARM_BATCH_JS_TESTS,
  ARM_COMMON_ERRORS,
  ARM_RPC,
  BATCH_ISSUE_122,
  BATCH_STATUS_PAGE,
  DATA_PLANE_SPEC,
  DOTNET_CODES,
  IMDS_PAGE,
  MANAGEMENT_SPEC,
  MOUNT_PAGE,
  OUTPUT_FILES_PAGE,
  RBAC_TROUBLESHOOT,
  SEED,
  STORAGE_BLOB_CODES,
  STORAGE_COMMON_CODES,
} from "./sources.js";

/** Where Azure reports the code. */
export type AzurePlane =
  /** a data-plane HTTP error body (`{ code, message, values }`) */
  | "batch"
  /** a task's (or start/preparation/release task's) `executionInfo.failureInfo.code` */
  | "task"
  /** a compute node's `errors[].code` */
  | "node"
  /** the node agent's log (agent-debug.log) */
  | "node-log"
  /** an ARM error body (`{ error: { code, message, target } }`) */
  | "arm"
  /** an Azure Storage XML error (`x-ms-error-code`) */
  | "storage"
  /** the Instance Metadata Service token endpoint on a node (`{ error, error_description }`) */
  | "imds";

/** Data-plane `ErrorCategory`, lowercase on the wire. */
export type ErrorCategory = "usererror" | "servererror";

/** One published Azure error code. */
export interface AzureErrorFact {
  /** The code exactly as Azure sends it. */
  readonly code: string;
  readonly plane: AzurePlane;
  /** HTTP status, for request errors. */
  readonly status?: number;
  /** Data-plane failure category, for task and node failures. */
  readonly category?: ErrorCategory;
  /** Azure's message, where a source gives it. */
  readonly message?: string;
  /** The public source(s), with section. */
  readonly source: string;
  /** What is not from a source, and why we chose it; absent when everything above is sourced. */
  readonly assumption?: string;
}

const statusPage = (section: string): string => `${BATCH_STATUS_PAGE} (section "${section}")`;
const taskCodes = `${DOTNET_CODES} (class TaskFailureInformationCodes)`;
const batchCodes = `${DOTNET_CODES} (class BatchErrorCodeStrings)`;
const scheduling = statusPage("Job/Task Scheduling Error Codes");
const common = statusPage("Common REST API Error Codes");
const service = statusPage("Batch Service Error Codes");
const seedPackages = `${SEED}, section "Download application packages from a batch pool" › "Behavior scenarios"`;
const seedFiles = `${SEED}, section "Download task resource files from a batch pool" › "Behavior scenarios"`;
const armAuth = "ARM RPC gives the 401 and the error shape; the code and message are as ARM commonly returns them, not from a Microsoft list.";
const seedVerify = `${SEED}, section "Verify that your managed identity can access Azure resources"`;

/** Codes a task reports in `executionInfo.failureInfo` (also start, preparation and release tasks). */
export const TASK_FAILURES = {
  ApplicationPackageError: {
    code: "ApplicationPackageError",
    plane: "task",
    category: "usererror",
    message: "One or more application packages specified for the task are invalid",
    source: `${taskCodes}: "An error occurred when trying to deploy a required application package."`,
    assumption: "Category and message of the task-level code are not published; the message follows the node-level one in the seed article.",
  },
  BlobAccessDenied: {
    code: "BlobAccessDenied",
    plane: "task",
    category: "usererror",
    message: "Access for one of the specified Azure Blob(s) is denied.",
    source: `${scheduling}; ${taskCodes}`,
  },
  BlobDownloadMiscError: {
    code: "BlobDownloadMiscError",
    plane: "task",
    category: "servererror",
    message: "Miscellaneous error encountered while downloading one of the specified Azure Blob(s).",
    source: `${scheduling}; ${taskCodes}`,
  },
  BlobNotFound: {
    code: "BlobNotFound",
    plane: "task",
    category: "usererror",
    message: "One of the specified Azure Blob(s) is not found.",
    source: `${scheduling}; ${taskCodes}`,
  },
  ResourceContainerAccessDenied: {
    code: "ResourceContainerAccessDenied",
    plane: "task",
    category: "usererror",
    message: "Access for one of the specified Azure Blob container(s) is denied",
    source: `${seedFiles} (rows 2 and 3); ${taskCodes}: "Access to the Azure Storage resource file Container was denied."`,
    assumption: "The category is not in the seed or the SDK list; usererror as for BlobAccessDenied on the status-code page.",
  },
  ResourceContainerListMiscError: {
    code: "ResourceContainerListMiscError",
    plane: "task",
    category: "servererror",
    message: "Miscellaneous error encountered while listing one of the specified Azure Blob container(s)",
    source: `${seedFiles} (row 4); ${taskCodes}`,
    assumption: "The category is not published; servererror as for BlobDownloadMiscError on the status-code page.",
  },
  ResourceContainerNotFound: {
    code: "ResourceContainerNotFound",
    plane: "task",
    category: "usererror",
    message: "One of the specified Azure Blob container(s) is not found",
    source: `${taskCodes}: "The Azure Storage Container was not found."`,
    assumption: "Category and message are not published; written after BlobNotFound on the status-code page.",
  },
  FileUploadAccessDenied: {
    code: "FileUploadAccessDenied",
    plane: "task",
    category: "usererror",
    message: "Access for one of the specified Azure container(s) was denied while attempting to upload an output file",
    source: `${taskCodes}: "Access to the Azure Storage Container for uploading Output Files was denied."`,
    assumption: "Category and message are not published; written after FileUploadContainerNotFound on the output-files page.",
  },
  FileUploadContainerNotFound: {
    code: "FileUploadContainerNotFound",
    plane: "task",
    category: "usererror",
    message: "One of the specified Azure container(s) was not found while attempting to upload an output file",
    source: `${OUTPUT_FILES_PAGE}; ${taskCodes}`,
  },
  FileUploadMiscError: {
    code: "FileUploadMiscError",
    plane: "task",
    category: "servererror",
    message: "Miscellaneous error encountered while uploading one of the output files",
    source: `${taskCodes}: "The compute node hit an unexpected error when uploading Output Files."`,
    assumption: "Category and message are not published; servererror as for BlobDownloadMiscError.",
  },
  ContainerInvalidImage: {
    code: "ContainerInvalidImage",
    plane: "task",
    category: "usererror",
    message: "One or more container images specified are invalid",
    source: `${BATCH_ISSUE_122} (a registry pull refused to a pool's managed identity: Category UserError, this code and message, detail ContainerImage); ${taskCodes}: "The container image was invalid."`,
  },
  MountConfigurationError: {
    code: "MountConfigurationError",
    plane: "task",
    category: "usererror",
    message: "There was an error attempting to configure the specified mounts.",
    source: `${taskCodes}`,
    assumption: "Category not published; the message is the SDK constant's description.",
  },
  FailureExitCode: {
    code: "FailureExitCode",
    plane: "task",
    category: "usererror",
    message: "The task exited with an exit code representing a failure",
    source: `${taskCodes}: "The task process exited with a nonzero exit code."`,
    assumption: "Category and message are not published.",
  },
  TaskEnded: {
    code: "TaskEnded",
    plane: "task",
    category: "usererror",
    message: "Task was ended by user request.",
    source: `${scheduling}; ${taskCodes}`,
  },
} as const satisfies Record<string, AzureErrorFact>;

/** Codes a compute node reports in `errors[]`. No SDK publishes a list of node error codes. */
export const NODE_ERRORS = {
  ApplicationPackageError: {
    code: "ApplicationPackageError",
    plane: "node",
    message: "One or more application packages specified for the pool are invalid",
    source: `${seedPackages} (scenario 4: "Node has 1 error(s) ... Code: ApplicationPackageError")`,
  },
  MountConfigurationError: {
    code: "MountConfigurationError",
    plane: "node",
    message: "One or more mount configurations specified for the pool are invalid or failed to mount",
    source: `${MOUNT_PAGE} (a failed mount makes the node Unusable with a ComputeNodeError); code: ${taskCodes}`,
    assumption: "The page names no code; we use the SDK's published mount failure code. The message is ours.",
  },
  ContainerInvalidImage: {
    code: "ContainerInvalidImage",
    plane: "node",
    message: "One or more container images specified are invalid",
    source: `${BATCH_ISSUE_122}; ${taskCodes}`,
    assumption: "The public report is of a task; that a pool's image prefetch fails on the node with the same code is our assumption.",
  },
} as const satisfies Record<string, AzureErrorFact>;

/** What the node agent logs. */
export const NODE_LOG = {
  TvmJoinPoolInProgress: {
    code: "TvmJoinPoolInProgress",
    plane: "node-log",
    message: "pool not fully joined yet, health=Status.TvmJoinPoolInProgress",
    source: `${seedPackages} (scenario 3, agent-debug.log)`,
  },
} as const satisfies Record<string, AzureErrorFact>;

/** Batch data-plane request errors. */
export const BATCH_ERRORS = {
  AuthenticationFailed: {
    code: "AuthenticationFailed",
    plane: "batch",
    status: 401,
    message: "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly.",
    source: `https://github.com/AzureAD/microsoft-authentication-library-for-js/issues/1735 (status 401, this message, AuthenticationErrorDetail "The access token has been obtained from wrong audience or resource ..."); ${common} lists it as 403; ${batchCodes}`,
    assumption: "The status-code page says 403 and a captured response says 401; we answer 401, as observed.",
  },
  InvalidUri: { code: "InvalidUri", plane: "batch", status: 400, message: "The requested URI does not represent any resource on the server.", source: common },
  InvalidRequestBody: { code: "InvalidRequestBody", plane: "batch", status: 400, message: "The specified Request Body is not syntactically valid.", source: common },
  InvalidPropertyValue: { code: "InvalidPropertyValue", plane: "batch", status: 400, message: "The value provided for one of the properties in the request body is invalid.", source: common },
  MissingRequiredProperty: { code: "MissingRequiredProperty", plane: "batch", status: 400, message: "A required property was not specified in the request body.", source: common },
  InternalError: { code: "InternalError", plane: "batch", status: 500, message: "The server encountered an internal error. Please retry the request.", source: common },
  ServerBusy: { code: "ServerBusy", plane: "batch", status: 503, message: "The server is currently unable to receive requests. Please retry your request.", source: common },
  RequestBodyTooLarge: { code: "RequestBodyTooLarge", plane: "batch", status: 413, message: "The request body is too large and exceeds the maximum permissible limit.", source: common },
  ResourceNotFound: { code: "ResourceNotFound", plane: "batch", status: 404, message: "The specified resource does not exist.", source: common },
  TooManyRequests: {
    code: "TooManyRequests",
    plane: "batch",
    status: 429,
    message: "The server is throttling requests. Please retry after the time given in Retry-After.",
    source: "https://learn.microsoft.com/en-us/azure/batch/error-handling (\"Throttling-related errors, such as 429 or 503 status code HTTP responses with the Retry-after header\")",
    assumption: "The page gives the status, not the code or message.",
  },
  PoolNotFound: { code: "PoolNotFound", plane: "batch", status: 404, message: "The specified pool does not exist.", source: service },
  NodeNotFound: { code: "NodeNotFound", plane: "batch", status: 404, message: "The specified node does not exist.", source: service },
  JobNotFound: { code: "JobNotFound", plane: "batch", status: 404, message: "The specified job does not exist.", source: service },
  TaskNotFound: { code: "TaskNotFound", plane: "batch", status: 404, message: "The specified task does not exist.", source: service },
  FileNotFound: { code: "FileNotFound", plane: "batch", status: 404, message: "The specified file does not exist.", source: service },
  JobExists: { code: "JobExists", plane: "batch", status: 409, message: "The specified job already exists.", source: service },
  JobScheduleExists: { code: "JobScheduleExists", plane: "batch", status: 409, message: "The specified job schedule already exists.", source: service },
  JobScheduleNotFound: { code: "JobScheduleNotFound", plane: "batch", status: 404, message: "The specified job schedule does not exist.", source: service },
  TaskExists: { code: "TaskExists", plane: "batch", status: 409, message: "The specified task already exists.", source: service },
  JobCompleted: { code: "JobCompleted", plane: "batch", status: 409, message: "The specified job is already in a completed state.", source: service },
  JobPreparationTaskNotSpecified: { code: "JobPreparationTaskNotSpecified", plane: "batch", status: 409, message: "The specified job does not have job preparation task.", source: service },
  JobReleaseTaskNotSpecified: { code: "JobReleaseTaskNotSpecified", plane: "batch", status: 409, message: "The specified job does not have job release task.", source: service },
  InvalidApplicationPackageReferences: {
    code: "InvalidApplicationPackageReferences",
    plane: "batch",
    status: 409,
    message:
      "One or more application package references could not be satisfied. This occurs if the application id or version does not exist or is not active, or if the reference did not specify a version and there is no default version configured.",
    source: `${service}; ${batchCodes}`,
  },
  AccountNotFound: {
    code: "AccountNotFound",
    plane: "batch",
    status: 404,
    message: "The specified account does not exist.",
    source: "none found",
    assumption: "Batch account hosts are DNS names; a request to an unknown account never reaches Batch in Azure. The emulator serves many accounts on one host and needs an answer.",
  },
} as const satisfies Record<string, AzureErrorFact>;

/** Azure Resource Manager errors (Microsoft.Batch, Microsoft.ManagedIdentity, Microsoft.Authorization). */
export const ARM_ERRORS = {
  AuthenticationFailed: { code: "AuthenticationFailed", plane: "arm", status: 401, message: "Authentication failed. The 'Authorization' header is missing.", source: ARM_RPC, assumption: armAuth },
  InvalidAuthenticationToken: { code: "InvalidAuthenticationToken", plane: "arm", status: 401, message: "The access token is invalid.", source: ARM_RPC, assumption: armAuth },
  ExpiredAuthenticationToken: { code: "ExpiredAuthenticationToken", plane: "arm", status: 401, message: "The access token expiry UTC time is earlier than current UTC time.", source: ARM_RPC, assumption: armAuth },
  InvalidAuthenticationTokenAudience: {
    code: "InvalidAuthenticationTokenAudience",
    plane: "arm",
    status: 401,
    message: "The access token has been obtained for wrong audience or resource.",
    source: "https://github.com/JetBrains/azure-tools-for-intellij/issues/16 (status 401, this code and message)",
  },
  MissingApiVersionParameter: { code: "MissingApiVersionParameter", plane: "arm", status: 400, message: "The api-version query parameter (?api-version=) is required for all requests.", source: ARM_RPC },
  SubscriptionNotFound: { code: "SubscriptionNotFound", plane: "arm", status: 404, message: "The subscription could not be found.", source: ARM_COMMON_ERRORS },
  ResourceNotFound: { code: "ResourceNotFound", plane: "arm", status: 404, message: "The Resource was not found.", source: ARM_COMMON_ERRORS },
  InvalidResourceType: { code: "InvalidResourceType", plane: "arm", status: 404, message: "The resource type could not be found.", source: ARM_COMMON_ERRORS },
  InvalidRequestContent: { code: "InvalidRequestContent", plane: "arm", status: 400, message: "The request content was invalid and could not be deserialized.", source: ARM_COMMON_ERRORS },
  InvalidParameter: { code: "InvalidParameter", plane: "arm", status: 400, source: ARM_COMMON_ERRORS },
  InvalidRequestBody: {
    code: "InvalidRequestBody",
    plane: "arm",
    status: 400,
    source: `${MANAGEMENT_SPEC} (BatchAccountRegenerateKeyParameters.keyName: enum Primary, Secondary)`,
    assumption: "The spec gives the enum; the code for a value outside it is ours.",
  },
  AccountNameInvalid: { code: "AccountNameInvalid", plane: "arm", status: 400, source: ARM_COMMON_ERRORS },
  MethodNotAllowed: { code: "MethodNotAllowed", plane: "arm", status: 405, source: ARM_RPC, assumption: "The code name is ours; ARM RPC gives the status." },
  InternalServerError: { code: "InternalServerError", plane: "arm", status: 500, source: ARM_RPC },
  PreconditionFailed: { code: "PreconditionFailed", plane: "arm", status: 412, message: "The condition specified using HTTP conditional header(s) is not met.", source: `${MANAGEMENT_SPEC} (If-Match on Pool_Create/Pool_Update); ${ARM_RPC}` },
  OperationNotFound: { code: "OperationNotFound", plane: "arm", status: 404, source: ARM_RPC, assumption: "The code for an unknown async operation id is not published." },
  MissingIdentityIds: {
    code: "MissingIdentityIds",
    plane: "arm",
    status: 400,
    message: "The identity ids must not be null or empty for 'UserAssigned' identity type.",
    source:
      "https://github.com/hashicorp/terraform-provider-azurerm/issues/17082 (ARM's answer: this code and message); https://github.com/microsoft/CromwellOnAzure/pull/765 (the same message when creating Batch resources)",
    assumption: "The code is reported from another resource provider; that Microsoft.Batch uses the same ARM identity validation is inferred from the CromwellOnAzure report (message only).",
  },
  InvalidIdentityId: { code: "InvalidIdentityId", plane: "arm", status: 400, source: MANAGEMENT_SPEC, assumption: "The spec gives the resource id shape; the code and message are ours." },
  InvalidIdentityIds: { code: "InvalidIdentityIds", plane: "arm", status: 400, source: MANAGEMENT_SPEC, assumption: "The spec allows user-assigned ids only with UserAssigned; the code and message are ours." },
  FailedIdentityOperation: { code: "FailedIdentityOperation", plane: "arm", status: 400, source: MANAGEMENT_SPEC, assumption: "A missing user-assigned identity: code and message are ours." },
  AccountIdentityRequired: {
    code: "AccountIdentityRequired",
    plane: "arm",
    status: 400,
    source: `${MANAGEMENT_SPEC} (AutoStorageAuthenticationMode BatchAccountManagedIdentity: "The Batch service will authenticate requests to auto-storage using the managed identity assigned to the Batch account")`,
    assumption: "The spec states the need; the code and message are ours.",
  },
  AutoStorageNoPermission: {
    code: "AutoStorageNoPermission",
    plane: "arm",
    status: 409,
    message: "The managed identity does not have permission to access auto storage account. Please use Azure RBAC to assign the managed identity access to auto storage.",
    source: `${SEED}, section "Use a managed identity to access your autostorage account" (HTTP 409, target BatchAccount)`,
  },
  AccountNotEnabledForAutoStorage: {
    code: "AccountNotEnabledForAutoStorage",
    plane: "arm",
    status: 409,
    message: "The Batch account does not have an auto storage account configured.",
    source: "Azure/BatchExplorer (Microsoft's Batch Explorer) constants APIErrorCodes.accountNotEnabledForAutoStorage",
    assumption: "Status and message are ours.",
  },
  ApplicationNotFound: { code: "ApplicationNotFound", plane: "arm", status: 404, message: "The specified application does not exist.", source: service },
  ApplicationPackageNotFound: { code: "ApplicationPackageNotFound", plane: "arm", status: 404, source: MANAGEMENT_SPEC, assumption: "The code is ours, after ApplicationNotFound." },
  ApplicationPackageAlreadyExists: { code: "ApplicationPackageAlreadyExists", plane: "arm", status: 409, source: MANAGEMENT_SPEC, assumption: "allowUpdates=false forbids overwriting (spec); the code is ours." },
  ApplicationPackageBlobNotFound: {
    code: "ApplicationPackageBlobNotFound",
    plane: "arm",
    status: 409,
    message: "The application package blob was not found. Upload the package to its storageUrl before activating it.",
    source: `${ARM_BATCH_JS_TESTS} ("should fail to activate application package": 409, this code); ${MANAGEMENT_SPEC} (ApplicationPackage_Activate: "This should be done after the ApplicationPackage was created and uploaded")`,
    assumption: "The message is ours; the test asserts only status and code.",
  },
  RequestedDefaultVersionNotActive: {
    code: "RequestedDefaultVersionNotActive",
    plane: "arm",
    status: 409,
    message: "The requested default version is not an active application package version.",
    source: `${ARM_BATCH_JS_TESTS} ("should fail to update application": 409, this code)`,
    assumption: "The message is ours.",
  },
  ApplicationPackagesNotEmpty: {
    code: "ApplicationPackagesNotEmpty",
    plane: "arm",
    status: 409,
    message: "The application has application packages; delete them first.",
    source: `${ARM_BATCH_JS_TESTS} ("should fail to delete application": 409, this code)`,
    assumption: "The message is ours.",
  },
  PoolNotFound: { code: "PoolNotFound", plane: "arm", status: 404, message: "The specified pool does not exist.", source: service },
  PoolExists: { code: "PoolExists", plane: "arm", status: 409, message: "The specified pool already exists.", source: service },
  MissingRequiredProperty: { code: "MissingRequiredProperty", plane: "arm", status: 400, message: "A required property was not specified in the request body.", source: common },
  InvalidApplicationPackageReferences: {
    code: "InvalidApplicationPackageReferences",
    plane: "arm",
    status: 409,
    message:
      "One or more application package references could not be satisfied. This occurs if the application id or version does not exist or is not active, or if the reference did not specify a version and there is no default version configured.",
    source: `${service}; ${MANAGEMENT_SPEC}`,
  },
  TooManyRequests: {
    code: "TooManyRequests",
    plane: "arm",
    status: 429,
    source: "https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/request-limits-and-throttling (HTTP 429 with Retry-After when a limit is reached)",
    assumption: "The page gives the status and header; the code and message are ours.",
  },
  ServerBusy: { code: "ServerBusy", plane: "arm", status: 503, source: ARM_RPC, assumption: "An injected fault; the code is borrowed from the Batch and Storage lists." },
  RequestBodyTooLarge: { code: "RequestBodyTooLarge", plane: "arm", status: 413, source: ARM_RPC, assumption: "An injected fault; the code is borrowed from the Batch and Storage lists." },
  RoleAssignmentExists: { code: "RoleAssignmentExists", plane: "arm", status: 409, message: "The role assignment already exists.", source: RBAC_TROUBLESHOOT },
  RoleDefinitionDoesNotExist: {
    code: "RoleDefinitionDoesNotExist",
    plane: "arm",
    source: RBAC_TROUBLESHOOT,
    assumption: "Status: 400 on a role assignment that names it, 404 on a read of the definition (ours).",
  },
  RoleAssignmentNotFound: { code: "RoleAssignmentNotFound", plane: "arm", status: 404, source: RBAC_TROUBLESHOOT },
  InvalidRoleAssignmentRequest: { code: "InvalidRoleAssignmentRequest", plane: "arm", status: 400, source: RBAC_TROUBLESHOOT, assumption: "The code is ours." },
} as const satisfies Record<string, AzureErrorFact>;

/** Azure Storage (Blob service) errors. */
export const STORAGE_ERRORS = {
  NoAuthenticationInformation: { code: "NoAuthenticationInformation", plane: "storage", status: 401, message: "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.", source: STORAGE_COMMON_CODES },
  InvalidAuthenticationInfo: { code: "InvalidAuthenticationInfo", plane: "storage", status: 401, message: "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.", source: STORAGE_COMMON_CODES },
  AuthenticationFailed: { code: "AuthenticationFailed", plane: "storage", status: 403, message: "Server failed to authenticate the request. Make sure the value of the Authorization header is formed correctly including the signature.", source: STORAGE_COMMON_CODES },
  AuthorizationPermissionMismatch: {
    code: "AuthorizationPermissionMismatch",
    plane: "storage",
    status: 403,
    message: "This request is not authorized to perform this operation using this permission.",
    source: `${seedVerify}; ${STORAGE_COMMON_CODES}`,
  },
  MissingRequiredHeader: { code: "MissingRequiredHeader", plane: "storage", status: 400, message: "An HTTP header that's mandatory for this request is not specified.", source: STORAGE_COMMON_CODES },
  InvalidQueryParameterValue: { code: "InvalidQueryParameterValue", plane: "storage", status: 400, message: "Value for one of the query parameters specified in the request URI is invalid.", source: STORAGE_COMMON_CODES },
  InvalidUri: { code: "InvalidUri", plane: "storage", status: 400, message: "The requested URI does not represent any resource on the server.", source: STORAGE_COMMON_CODES },
  ResourceNotFound: { code: "ResourceNotFound", plane: "storage", status: 404, message: "The specified resource does not exist.", source: STORAGE_COMMON_CODES },
  ContainerNotFound: { code: "ContainerNotFound", plane: "storage", status: 404, message: "The specified container does not exist.", source: STORAGE_BLOB_CODES },
  ContainerAlreadyExists: { code: "ContainerAlreadyExists", plane: "storage", status: 409, message: "The specified container already exists.", source: STORAGE_BLOB_CODES },
  BlobNotFound: { code: "BlobNotFound", plane: "storage", status: 404, message: "The specified blob does not exist.", source: STORAGE_BLOB_CODES },
  InternalError: { code: "InternalError", plane: "storage", status: 500, message: "The server encountered an internal error. Please retry the request.", source: STORAGE_COMMON_CODES },
  RequestBodyTooLarge: { code: "RequestBodyTooLarge", plane: "storage", status: 413, message: "The size of the request body exceeds the maximum size permitted.", source: STORAGE_COMMON_CODES },
  TooManyRequests: { code: "TooManyRequests", plane: "storage", status: 429, source: STORAGE_COMMON_CODES, assumption: "Storage throttles with 503 ServerBusy; 429 is an injected fault the emulator also offers on this plane." },
  ServerBusy: { code: "ServerBusy", plane: "storage", status: 503, message: "The server is currently unable to receive requests. Please retry your request.", source: STORAGE_COMMON_CODES },
} as const satisfies Record<string, AzureErrorFact>;

/**
 * IMDS token endpoint errors. IMDS puts a generic OAuth code in `error`; the keys here name the
 * distinct `error_description`s, and `code` is what IMDS sends.
 */
export const IMDS_ERRORS = {
  MultipleUserAssignedIdentities: {
    code: "invalid_request",
    plane: "imds",
    status: 400,
    message: "Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request",
    source: `${seedVerify} (400 Bad Request with several pool identities and none named); ${IMDS_PAGE}`,
    assumption: "The seed shows the status; the error_description wording is from public reports, not a Microsoft page.",
  },
  IdentityNotFound: {
    code: "invalid_request",
    plane: "imds",
    status: 400,
    message: "Identity not found",
    source: IMDS_PAGE,
    assumption: "The page lists 400 for an identity the VM does not have; the exact description is assumed.",
  },
  MissingMetadataHeader: {
    code: "invalid_request",
    plane: "imds",
    status: 400,
    message: "Required metadata header not specified",
    source: IMDS_PAGE,
  },
  MissingResource: {
    code: "invalid_request",
    plane: "imds",
    status: 400,
    message: "Required audience parameter not specified",
    source: IMDS_PAGE,
    assumption: "Exact description assumed.",
  },
  TooManyRequests: {
    code: "TooManyRequests",
    plane: "imds",
    status: 429,
    source: IMDS_PAGE,
    assumption: "IMDS throttles with 429 (page, \"Retry guidance\"); the error body fields of an injected fault are ours.",
  },
  ServerBusy: { code: "ServerBusy", plane: "imds", status: 503, source: IMDS_PAGE, assumption: "Injected fault; body fields are ours." },
  RequestBodyTooLarge: { code: "RequestBodyTooLarge", plane: "imds", status: 413, source: IMDS_PAGE, assumption: "Injected fault; IMDS token requests have no body, so it never fires there." },
} as const satisfies Record<string, AzureErrorFact>;

/** Every list, by plane. */
export const AZURE_ERRORS = {
  task: TASK_FAILURES,
  node: NODE_ERRORS,
  nodeLog: NODE_LOG,
  batch: BATCH_ERRORS,
  arm: ARM_ERRORS,
  storage: STORAGE_ERRORS,
  imds: IMDS_ERRORS,
} as const;

/** A fact with the key it is filed under. */
export interface KeyedAzureErrorFact extends AzureErrorFact {
  /** The key in its plane's list (equals `code` except for IMDS descriptions). */
  readonly key: string;
}

/** All facts, flattened. */
export function allAzureErrors(): KeyedAzureErrorFact[] {
  return Object.values(AZURE_ERRORS).flatMap((list) =>
    Object.entries(list as Record<string, AzureErrorFact>).map(([key, fact]) => ({ key, ...fact })),
  );
}

/** Every key or code the list knows (what `explain` and the doctor may match on). */
export function isKnownAzureCode(codeOrKey: string): boolean {
  return allAzureErrors().some((f) => f.code === codeOrKey || f.key === codeOrKey);
}

/** ARM codes, as a type. */
export type ArmErrorCode = keyof typeof ARM_ERRORS;
/** Batch data-plane request error codes, as a type. */
export type BatchErrorCode = keyof typeof BATCH_ERRORS;
/** Storage error codes, as a type. */
export type StorageErrorCode = keyof typeof STORAGE_ERRORS;
/** Task failure codes, as a type. */
export type TaskFailureCode = keyof typeof TASK_FAILURES;
/** Node error codes, as a type. */
export type NodeErrorCode = keyof typeof NODE_ERRORS;
/** Any key in the list. */
export type AzureErrorKey = { [P in keyof typeof AZURE_ERRORS]: keyof (typeof AZURE_ERRORS)[P] }[keyof typeof AZURE_ERRORS];

/** Data-plane wire enum values quoted by the emulator, with their source. */
export const WIRE_ENUMS = {
  errorCategory: { values: ["usererror", "servererror"], source: `${DATA_PLANE_SPEC} (ErrorCategory)` },
  taskExecutionResult: { values: ["success", "failure"], source: `${DATA_PLANE_SPEC} (TaskExecutionResult)` },
  allocationState: { values: ["steady", "resizing", "stopping"], source: `${DATA_PLANE_SPEC} (AllocationState)` },
} as const;
