/** Shared by the library and CLI tests of `explain`. */

/** Azure's codes and what the article says about each (`scenario` when a table row predicts it). */
export const azureCases = [
  { code: "AutoStorageNoPermission", scenario: undefined },
  { code: "ResourceContainerAccessDenied", scenario: ["resource-files#2", "resource-files#3"] },
  { code: "ResourceContainerListMiscError", scenario: ["resource-files#4"] },
  { code: "ApplicationPackageError", scenario: ["application-packages#4"] },
  { code: "AuthorizationPermissionMismatch", scenario: ["application-packages#2", "resource-files#2"] },
  { code: "TvmJoinPoolInProgress", scenario: ["application-packages#3"] },
  { code: "MultipleUserAssignedIdentities", scenario: undefined },
  { code: "IdentityNotFound", scenario: undefined },
  { code: "BlobDownloadMiscError", scenario: undefined },
  { code: "BlobAccessDenied", scenario: undefined },
  { code: "ContainerInvalidImage", scenario: undefined },
  { code: "MountConfigurationError", scenario: undefined },
  { code: "FileUploadMiscError", scenario: undefined },
  { code: "FileUploadAccessDenied", scenario: undefined },
  { code: "FileUploadContainerNotFound", scenario: undefined },
  { code: "InvalidApplicationPackageReferences", scenario: undefined },
  { code: "AuthenticationFailed", scenario: undefined },
] as const;
