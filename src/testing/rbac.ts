/**
 * Built-in storage data roles and the data-plane permission check Azure
 * Storage performs for a bearer token's principal.
 */
import { canonicalId, lastSegment, scopeCovers } from "./ids.js";
import type { World } from "./state.js";

/** A built-in role definition the emulator knows. @internal */
export interface BuiltInRole {
  guid: string;
  roleName: string;
  description: string;
  dataActions: string[];
  /** Whether the role allows writing blobs. */
  write: boolean;
}

/** The storage blob data roles, with their real built-in GUIDs. @internal */
export const BUILT_IN_ROLES: readonly BuiltInRole[] = [
  {
    guid: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
    roleName: "Storage Blob Data Reader",
    description: "Read and list Azure Storage containers and blobs.",
    dataActions: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"],
    write: false,
  },
  {
    guid: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    roleName: "Storage Blob Data Contributor",
    description: "Read, write, and delete Azure Storage containers and blobs.",
    dataActions: [
      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete",
      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action",
      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
    ],
    write: true,
  },
  {
    guid: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
    roleName: "Storage Blob Data Owner",
    description: "Full access to Azure Storage blob containers and data, including assigning POSIX access control.",
    dataActions: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"],
    write: true,
  },
];

/** Resolves a role name, GUID or role definition id to a built-in role. @internal */
export function resolveRole(nameOrId: string): BuiltInRole | undefined {
  const key = lastSegment(nameOrId).toLowerCase();
  return BUILT_IN_ROLES.find((r) => r.guid === key || r.roleName.toLowerCase() === nameOrId.trim().toLowerCase());
}

/** Full role definition id at subscription scope. @internal */
export function roleDefinitionId(subscriptionId: string, guid: string): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
}

/**
 * Whether `principalId` may read (or write) blobs in `container` of the
 * storage account `storageAccountId`: a blob data role assigned at the
 * container, the account, its resource group or the subscription.
 * @internal
 */
export function hasBlobDataRole(
  world: World,
  principalId: string,
  storageAccountId: string,
  container: string | undefined,
  access: "read" | "write",
): boolean {
  const target =
    container === undefined
      ? canonicalId(storageAccountId)
      : `${canonicalId(storageAccountId)}/blobservices/default/containers/${container.toLowerCase()}`;
  const principal = principalId.toLowerCase();
  for (const assignment of world.roleAssignments.values()) {
    if (assignment.principalId.toLowerCase() !== principal) continue;
    const role = resolveRole(assignment.roleDefinitionId);
    if (!role || (access === "write" && !role.write)) continue;
    if (scopeCovers(assignment.scope, target)) return true;
  }
  return false;
}
