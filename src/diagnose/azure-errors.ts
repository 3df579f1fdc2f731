import { AZURE_ERRORS, type AzureErrorFact } from "../azure/index.js";
import { type Explanation, type ExplanationEntry, articleUrl } from "./explanation.js";

/**
 * What Azure says when a managed identity in Batch is set up wrong: error codes from the Batch
 * service and ARM, storage, IMDS on the node, and the node agent's log. The codes and Azure's
 * messages come from the one list in `src/azure` (with their public sources); the explanations
 * are ours, grounded in the seed article and the public source cited with each code.
 */

type Planes = typeof AZURE_ERRORS;

/**
 * An entry for the list's `plane`/`key`: the code is the list's key, and the code plus Azure's
 * message (when the list has one) identify it in a pasted log line.
 */
function listed<P extends keyof Planes>(
  plane: P,
  key: keyof Planes[P] & string,
  explanation: Omit<Explanation, "code">,
  more: { aliases?: readonly string[]; phrases?: readonly string[] } = {},
): ExplanationEntry {
  const fact = (AZURE_ERRORS[plane] as Record<string, AzureErrorFact>)[key];
  if (fact === undefined) throw new Error(`typed-batch: ${String(plane)}/${key} is not in src/azure`);
  const own = fact.code === key ? [key] : [];
  const message = fact.message !== undefined && fact.message.length > 24 ? [fact.message.replace(/\.$/, "")] : [];
  return { explanation: { code: key, ...explanation }, aliases: more.aliases ?? [], phrases: [...own, ...message, ...(more.phrases ?? [])] };
}

const imdsDocs = "https://learn.microsoft.com/en-us/entra/identity/managed-identities-azure-resources/how-to-use-vm-token";
const poolIdentityDocs = "https://learn.microsoft.com/en-us/azure/batch/managed-identity-pools";
const batchAuthDocs = "https://learn.microsoft.com/en-us/azure/batch/batch-aad-auth";

const recycle = "Identity changes reach only nodes created afterwards: resize the pool to 0 and back once it is fixed.";

/** @internal The Azure-side entries, most specific first. */
export const azureErrorEntries: readonly ExplanationEntry[] = [
  listed("arm", "AutoStorageNoPermission", {
    title: "The Batch account's own identity cannot write to its autostorage account (HTTP 409 on application package upload).",
    cause:
      "Autostorage authenticates with BatchAccountManagedIdentity, so Batch uses the account's identity (system- or user-assigned, not a pool identity) to store the package, and that identity has no data-plane role on the storage account. The portal only reports that the upload failed; the 409 is inside the response to the batch PUT request.",
    fix: "Give the Batch account's identity a Storage Blob Data role (Contributor or Owner) on the autostorage account, or set autoStorage.authenticationMode to StorageKeys. `typed-batch doctor` reads the role assignments for you.",
    see: articleUrl,
  }, { phrases: ["does not have permission to access auto storage"] }),
  listed("nodeLog", "TvmJoinPoolInProgress", {
    title: "Nodes never leave Starting: the node agent keeps logging that the pool is not fully joined.",
    cause:
      "The pool needs autostorage (it has application packages), autostorage uses BatchAccountManagedIdentity, and the account has no node identity reference, so the node has no identity to fetch the packages with and never finishes joining the pool. The agent-debug.log of such a node repeats \"pool not fully joined yet, health=Status.TvmJoinPoolInProgress\".",
    scenario: ["application-packages#3"],
    fix: `Set the account's autoStorage.nodeIdentityReference.resourceId to a user-assigned identity, and list the same identity in the pool's identity.userAssignedIdentities. ${recycle}`,
    see: articleUrl,
  }, { phrases: ["pool not fully joined yet"] }),
  listed("node", "ApplicationPackageError", {
    title: "Nodes go Unusable because the pool's application packages cannot be fetched.",
    cause:
      "The account's node identity reference names an identity that is not in the pool's identity list. The node cannot get a token for it, so none of the pool's application packages download and Batch marks the node Unusable (\"One or more application packages specified for the pool are invalid\"). A package id or version that does not exist gives the same code.",
    scenario: ["application-packages#4"],
    fix: `Add the node identity reference's identity to the pool's identity.userAssignedIdentities (or point the node identity reference at an identity the pool has). ${recycle}`,
    see: articleUrl,
  }, { phrases: ["One or more application packages specified for the pool are invalid"] }),
  listed("task", "ResourceContainerAccessDenied", {
    title: "A task could not read the blob container of one of its resource files.",
    cause:
      "Either the node identity reference is set and on the pool but that identity has no data-plane role on the storage account (article row 2, only a live check can see it), or the account has no node identity reference at all, so an autostorage container file has no identity to be read with (row 3).",
    scenario: ["resource-files#2", "resource-files#3"],
    fix: "If the account has no autoStorage.nodeIdentityReference, set one and add that identity to the pool (`typed-batch check` finds this offline). Otherwise give the identity Storage Blob Data Reader on the storage account (`typed-batch doctor` checks this).",
    see: articleUrl,
  }, { phrases: ["Access for one of the specified Azure Blob container(s) is denied"] }),
  listed("task", "ResourceContainerListMiscError", {
    title: "A task could not list the blob container of one of its resource files (an HTTP 400 underneath).",
    cause:
      "The identity used to read the container (the node identity reference for autostorage files, the file's identityReference for storageContainerUrl files) is not in the pool's identity list. IMDS on the node answers 400 to the token request and Batch reports a listing error.",
    scenario: ["resource-files#4"],
    fix: `Add that identity to the pool's identity.userAssignedIdentities, or reference an identity the pool has. ${recycle}`,
    see: articleUrl,
  }, { phrases: ["Miscellaneous error encountered while listing one of the specified Azure Blob container"] }),
  listed("storage", "AuthorizationPermissionMismatch", {
    title: "Storage answered 403: the token is valid but its identity has no data-plane role.",
    cause:
      "The node got a token for the identity, so the identity is on the pool, but the identity has no Storage Blob Data role on the account or container. Owner or Contributor on the storage account are management roles and do not allow reading blobs.",
    scenario: ["application-packages#2", "resource-files#2"],
    fix: "Assign Storage Blob Data Reader (or Contributor/Owner) to the identity on the storage account, its resource group or subscription; new role assignments can take a few minutes to apply. `typed-batch doctor` lists what is missing.",
    see: articleUrl,
  }, { phrases: ["not authorized to perform this operation using this permission"] }),
  listed("imds", "MultipleUserAssignedIdentities", {
    title: "IMDS answered 400: the pool has several identities and the token request did not say which one.",
    cause:
      "A token request on the node (IMDS, http://169.254.169.254/metadata/identity/oauth2/token) without mi_res_id or client_id only works when exactly one identity is attached. With more than one, IMDS refuses: \"Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request\".",
    fix: "Pass the identity's resource id as mi_res_id (or its client id as client_id) in the token request; in code, use nodeCredential(pool, identity), which pins the resource id. `typed-batch verify-identity --identity ID` does the request for you.",
    see: imdsDocs,
  }, { aliases: ["imds-400", "MultipleIdentities"], phrases: ["Multiple user assigned identities exist", "specify the clientId / resourceId"] }),
  listed("imds", "IdentityNotFound", {
    title: "IMDS answered 400 \"Identity not found\": the identity asked for is not on this node.",
    cause:
      "The mi_res_id or client_id of the token request names an identity that is not in the pool's identity list, or was added after this node was created (nodes keep the identities they started with), or the resource id is misspelled.",
    fix: `Add the identity to the pool's identity.userAssignedIdentities, or request one the pool has (compare the resource ids case-insensitively). ${recycle}`,
    see: imdsDocs,
  }, { aliases: ["imds-identity-not-found"], phrases: ["Identity not found"] }),
  listed("task", "BlobDownloadMiscError", {
    title: "A task could not download an httpUrl resource file.",
    cause:
      "For an httpUrl file with an identityReference, the usual cause is an identity that is not in the pool's identity list: the node gets no token (IMDS answers 400). An unreachable or malformed URL gives the same code.",
    fix: `Add the file's identityReference identity to the pool's identity.userAssignedIdentities, or reference one the pool has; then check the URL. ${recycle}`,
    see: poolIdentityDocs,
  }),
  listed("task", "BlobAccessDenied", {
    title: "Storage refused the download of an httpUrl resource file.",
    cause:
      "The identity of the file's identityReference got a token but has no Storage Blob Data role on the blob, or the file has no identity and the URL carries no valid SAS.",
    fix: "Give the identity Storage Blob Data Reader on the storage account or container, or set identityReference to an identity that has it (and that is on the pool).",
    see: poolIdentityDocs,
  }),
  listed("task", "ContainerInvalidImage", {
    title: "A task (or, for prefetched images, a node) could not pull a container image.",
    cause:
      "Batch reports a refused registry pull as an invalid image (\"One or more container images specified are invalid\", detail ContainerImage; Azure/Batch#122). With managed identities the usual cause is the registry's identityReference: it names an identity that is not on the pool (no token), or the identity has no AcrPull role on the registry. A wrong image name or tag gives the same code.",
    fix: `Add the identity to the pool's identity.userAssignedIdentities and give it AcrPull on the registry. ${recycle}`,
    see: poolIdentityDocs,
  }),
  listed("node", "MountConfigurationError", {
    title: "A node could not mount a file system and went Unusable.",
    cause:
      "For a blob file system mount with an identityReference: the identity is not on the pool or has no Storage Blob Data role on the container. A mount needs exactly one of accountKey, sasKey, identityReference.",
    fix: `Add the identity to the pool's identity.userAssignedIdentities and give it Storage Blob Data Reader (Contributor to write) on the container. ${recycle}`,
    see: poolIdentityDocs,
  }),
  listed("task", "FileUploadAccessDenied", {
    title: "Storage refused the upload of a task's output file.",
    cause:
      "The output file's destination.container.identityReference got a token (it is on the pool) but has no role that may write blobs in the container, or the container URL carries no SAS with write permission and no identity.",
    fix: "Give the identity Storage Blob Data Contributor on the container or its storage account (Reader is not enough to write). `typed-batch doctor` checks the role.",
    see: poolIdentityDocs,
  }),
  listed("task", "FileUploadContainerNotFound", {
    title: "The container an output file goes to does not exist.",
    cause: "Batch does not create the destination container of an output file; the containerUrl names one that is missing (or a different storage account).",
    fix: "Create the container before the task ends, or correct destination.container.containerUrl.",
    see: poolIdentityDocs,
  }),
  listed("task", "ResourceContainerNotFound", {
    title: "The blob container of a resource file does not exist.",
    cause: "The autoStorageContainerName or storageContainerUrl of a resource file names a container that is missing from the storage account.",
    fix: "Create the container (and upload the files), or correct the container name or URL.",
    see: poolIdentityDocs,
  }),
  listed("task", "BlobNotFound", {
    title: "The blob of an httpUrl resource file does not exist.",
    cause: "The httpUrl names a blob that is not in the container (or a container that is missing). Identity problems give other codes.",
    fix: "Upload the blob, or correct the httpUrl.",
    see: poolIdentityDocs,
  }),
  listed("batch", "InvalidApplicationPackageReferences", {
    title: "Batch refused a pool or task (HTTP 409): an application package reference cannot be satisfied.",
    cause:
      "The application id or version does not exist, is not activated (a version that was created but never uploaded and activated), or the reference names no version and the application has no default version.",
    fix: "Upload the package and activate the version (applicationPackageOperations.activate), set a default version, or reference a version that exists.",
    see: "https://learn.microsoft.com/en-us/azure/batch/batch-application-packages",
  }),
  listed("arm", "ApplicationPackageBlobNotFound", {
    title: "ARM refused to activate an application package version (HTTP 409): its package was never uploaded.",
    cause: "applicationPackageOperations.create only makes the record and returns a storageUrl; activate needs the .zip uploaded to that URL first.",
    fix: "Upload the package to the version's storageUrl (for example az storage blob upload --blob-url), then activate it.",
    see: "https://learn.microsoft.com/en-us/azure/batch/batch-application-packages",
  }),
  listed("task", "FileUploadMiscError", {
    title: "A task could not upload an output file.",
    cause:
      "The output file's destination.container.identityReference names an identity that is not on the pool (IMDS answers 400), or the identity cannot write to the container.",
    fix: "Add the identity to the pool's identity.userAssignedIdentities and give it Storage Blob Data Contributor on the container.",
    see: poolIdentityDocs,
  }),
  listed("batch", "AuthenticationFailed", {
    title: "The Batch service answered 401: the token was issued for the wrong audience.",
    cause:
      "Batch accepts only tokens whose audience is exactly https://batch.core.windows.net/ (with the trailing slash). A token for Resource Manager (management.azure.com), or one requested with the scope https://batch.core.windows.net/.default so that the slash is lost, is refused with AuthenticationFailed (\"obtained from wrong audience or resource\"). @azure/batch 10.x asks for the management scope unless told otherwise. Other AuthenticationFailed causes are an expired token or a wrong tenant.",
    fix: "Request the scope https://batch.core.windows.net//.default (two slashes). createBatchClient does this for you.",
    see: batchAuthDocs,
  }, { aliases: ["InvalidAuthenticationTokenAudience", "WrongAudience"], phrases: ["wrong audience or resource", "InvalidAuthenticationTokenAudience"] }),
  listed("arm", "MissingIdentityIds", {
    title: "ARM refused an identity of type UserAssigned that lists no identities.",
    cause: "identity.type is UserAssigned but identity.userAssignedIdentities is empty or missing.",
    fix: "List at least one user-assigned identity resource id in identity.userAssignedIdentities, or use type SystemAssigned (accounts only) or None.",
  }),
];
