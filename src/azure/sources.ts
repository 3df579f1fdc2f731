/**
 * The public documents Azure's facts in `src/azure/` are read from. Each fact cites one of these
 * (plus a section or field) so that a reader can open the same text and check it.
 */

/** Microsoft Learn, "Batch Status and Error Codes" (REST reference for the Batch service). */
export const BATCH_STATUS_PAGE = "https://learn.microsoft.com/en-us/rest/api/batchservice/batch-status-and-error-codes";

/**
 * The Batch .NET SDK's published code lists (`BatchErrorCodeStrings`, `PoolResizeErrorCodes`,
 * `JobSchedulingErrorCodes`, `TaskFailureInformationCodes`), Microsoft.Azure.Batch 15.x.
 */
export const DOTNET_CODES =
  "Azure/azure-sdk-for-net@0f99f91b5abca4f7d8d92b16536f69beba3617f8 sdk/batch/Microsoft.Azure.Batch/src/Common/BatchErrorCodeStrings.cs";

/** Data-plane REST specification. */
export const DATA_PLANE_SPEC =
  "Azure/azure-rest-api-specs specification/batch/data-plane/Microsoft.Batch/stable/2024-07-01.20.0/BatchService.json";

/** Management-plane REST specification. */
export const MANAGEMENT_SPEC =
  "Azure/azure-rest-api-specs specification/batch/resource-manager/Microsoft.Batch/stable/2025-06-01/BatchManagement.json";

/** `@azure-rest/batch` reference, `BatchTaskFailureInfoOutput.category`: "usererror", "servererror". */
export const REST_BATCH_FAILURE_INFO = "https://learn.microsoft.com/en-us/javascript/api/@azure-rest/batch/batchtaskfailureinfooutput";

/** The seed article: "Use managed identities in an Azure Batch account or pool" (section named per fact). */
export const SEED = "seed article (use-managed-identities-azure-batch-account-pool)";

/** Microsoft Learn, "Persist task data to Azure Storage with the Batch service API", section "Diagnose file upload errors". */
export const OUTPUT_FILES_PAGE = "https://learn.microsoft.com/en-us/azure/batch/batch-task-output-files#diagnose-file-upload-errors";

/** Azure/Batch issue 122: a managed-identity registry pull refused, as a task reports it. */
export const BATCH_ISSUE_122 = "https://github.com/Azure/Batch/issues/122";

/**
 * Microsoft Learn, "Mount a virtual file system on a Batch pool", section "Troubleshoot mount issues":
 * "If a mount configuration fails, the compute node fails and the node state is set to Unusable"
 * (MicrosoftDocs/azure-docs articles/batch/virtual-file-mount.md).
 */
export const MOUNT_PAGE = "https://learn.microsoft.com/en-us/azure/batch/virtual-file-mount#troubleshoot-mount-issues";

/** Microsoft Learn, Azure Storage "Common REST API error codes". */
export const STORAGE_COMMON_CODES = "https://learn.microsoft.com/en-us/rest/api/storageservices/common-rest-api-error-codes";

/** Microsoft Learn, Azure Storage "Blob Storage error codes". */
export const STORAGE_BLOB_CODES = "https://learn.microsoft.com/en-us/rest/api/storageservices/blob-service-error-codes";

/** Microsoft Learn, "How to use managed identities for Azure resources on an Azure VM to acquire an access token", section "Error handling". */
export const IMDS_PAGE =
  "https://learn.microsoft.com/en-us/entra/identity/managed-identities-azure-resources/how-to-use-vm-token#error-handling";

/** Microsoft Learn, "Troubleshoot common Azure deployment errors" (ARM error codes). */
export const ARM_COMMON_ERRORS = "https://learn.microsoft.com/en-us/azure/azure-resource-manager/troubleshooting/common-deployment-errors";

/** Azure Resource Manager RPC: common API details (error response shape, api-version, auth). */
export const ARM_RPC = "Azure/azure-resource-manager-rpc v1.0/common-api-details.md";

/** Microsoft Learn, "Troubleshoot Azure RBAC". */
export const RBAC_TROUBLESHOOT = "https://learn.microsoft.com/en-us/azure/role-based-access-control/troubleshooting";

/** Microsoft Learn, "Authenticate Batch service solutions with Microsoft Entra ID" (resource `https://batch.core.windows.net/`). */
export const BATCH_AAD_PAGE = "https://learn.microsoft.com/en-us/azure/batch/batch-aad-auth";

/**
 * The ARM Batch SDK for JavaScript's live test suite (recorded against Azure): activating a
 * package version that was never uploaded is 409 `ApplicationPackageBlobNotFound`; a default
 * version that is not active is 409 `RequestedDefaultVersionNotActive`; deleting an application
 * that still has packages is 409 `ApplicationPackagesNotEmpty`.
 */
export const ARM_BATCH_JS_TESTS =
  "Azure/azure-sdk-for-js@be477b0b9c7e0340adc28767e4b8c34805a19bc7 sdk/batch/arm-batch/test/batchManagementClient.spec.ts";
