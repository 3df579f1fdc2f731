import type { AuthorizationManagementClient } from "@azure/arm-authorization";

/**
 * Whether an identity holds a Storage Blob Data role on a storage account, read from Azure RBAC.
 * One implementation for `client.doctor` and the permission preflight of `pools.create` and
 * `tasks.addMany`: requests are cached per principal and scope, so checking twenty pools that
 * share an identity costs one request.
 */

/**
 * The built-in blob data role definition GUIDs and whether each allows writing.
 *
 * @example
 * ```ts
 * blobDataRoles.get("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"); // { name: "Storage Blob Data Reader", write: false }
 * ```
 */
export const blobDataRoles: ReadonlyMap<string, { readonly name: string; readonly write: boolean }> = new Map([
  ["2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", { name: "Storage Blob Data Reader", write: false }],
  ["ba92f5b4-2d11-453d-a403-e96b0029c9fe", { name: "Storage Blob Data Contributor", write: true }],
  ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b", { name: "Storage Blob Data Owner", write: true }],
]);

/**
 * What the role check found for one principal on one storage account.
 *
 * @example
 * ```ts
 * const verdict: RoleVerdict = { status: "granted", role: "Storage Blob Data Reader", scope: storageAccountId };
 * ```
 */
export type RoleVerdict =
  | { readonly status: "granted"; readonly role: string; readonly scope: string }
  | { readonly status: "missing" }
  | { readonly status: "unknown"; readonly reason: string };

/**
 * What reading role assignments needs: the one `@azure/arm-authorization` call we make.
 *
 * @example
 * ```ts
 * const reader: RoleAssignmentReader = new AuthorizationManagementClient(credential, subscriptionId);
 * ```
 */
export type RoleAssignmentReader = Pick<AuthorizationManagementClient, "roleAssignments">;

/**
 * Options of {@link RoleChecker.check}.
 *
 * @example
 * ```ts
 * await roles.check(principalId, storageAccountId, { access: "write" });
 * ```
 */
export interface RoleCheckOptions {
  /**
   * `read` for downloads (any blob data role), `write` for uploads (Contributor or Owner).
   * @default "read"
   */
  readonly access?: "read" | "write";
  /** Cancels the request. */
  readonly signal?: AbortSignal;
}

/**
 * The scopes a role assignment can be inherited from: the storage account, its resource group, its subscription (lower case).
 *
 * @example
 * ```ts
 * inheritedScopes("/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/a");
 * // ["/subscriptions/s/resourcegroups/g/providers/microsoft.storage/storageaccounts/a", "/subscriptions/s/resourcegroups/g", "/subscriptions/s"]
 * ```
 */
export function inheritedScopes(storageAccountId: string): string[] {
  const m = /^(\/subscriptions\/[^/]+)(\/resourceGroups\/[^/]+)?/i.exec(storageAccountId);
  if (m === null) return [storageAccountId.toLowerCase()];
  const subscription = (m[1] ?? "").toLowerCase();
  const group = m[2] === undefined ? undefined : `${subscription}${m[2].toLowerCase()}`;
  return [storageAccountId.toLowerCase().replace(/\/+$/, ""), ...(group === undefined ? [] : [group]), subscription];
}

function lastSegment(id: string): string {
  return (id.split("/").pop() ?? "").toLowerCase();
}

/** Reads an error's HTTP status and code without depending on an SDK's error class. */
function describeFailure(error: unknown): string {
  const e = error as { statusCode?: number; code?: string; message?: string };
  const status = e.statusCode === undefined ? "" : `HTTP ${e.statusCode} `;
  return `${status}${e.code ?? ""}`.trim() || (e.message ?? "request failed");
}

/**
 * Reads role assignments for a principal at a storage account (and the scopes above it).
 *
 * @example
 * ```ts
 * import { AuthorizationManagementClient } from "@azure/arm-authorization";
 * import { DefaultAzureCredential } from "@azure/identity";
 * const roles = new RoleChecker(new AuthorizationManagementClient(new DefaultAzureCredential(), subscriptionId));
 * const verdict = await roles.check(principalId, storageAccountId, { access: "read" });
 * if (verdict.status === "missing") console.log("assign Storage Blob Data Reader");
 * ```
 */
export class RoleChecker {
  readonly #client: RoleAssignmentReader;
  readonly #cache = new Map<string, Promise<{ roleGuid: string; scope: string }[] | { error: string }>>();

  /** @param client an `AuthorizationManagementClient` (or anything with its `roleAssignments`). */
  constructor(client: RoleAssignmentReader) {
    this.#client = client;
  }

  /** Role assignments of `principalId` that apply at `scope`, one request per principal and scope. */
  #assignments(principalId: string, scope: string, signal?: AbortSignal): Promise<{ roleGuid: string; scope: string }[] | { error: string }> {
    const key = `${principalId.toLowerCase()}|${scope.toLowerCase()}`;
    let pending = this.#cache.get(key);
    if (pending === undefined) {
      pending = (async () => {
        try {
          const found: { roleGuid: string; scope: string }[] = [];
          // atScope(): assignments at this scope and above it; assignedTo(): also through group membership.
          const filter = `atScope() and assignedTo('${principalId}')`;
          for await (const a of this.#client.roleAssignments.listForScope(scope, { filter, ...(signal && { abortSignal: signal }) })) {
            // Some services ignore part of a filter: check the principal ourselves.
            if (a.principalId !== undefined && a.principalId.toLowerCase() !== principalId.toLowerCase()) continue;
            found.push({ roleGuid: lastSegment(a.roleDefinitionId ?? ""), scope: (a.scope ?? "").toLowerCase().replace(/\/+$/, "") });
          }
          return found;
        } catch (error) {
          if (signal?.aborted) throw error;
          return { error: describeFailure(error) };
        }
      })();
      this.#cache.set(key, pending);
    }
    return pending;
  }

  /**
   * Whether `principalId` holds a blob data role on `storageAccountId`, directly or inherited from
   * its resource group or subscription.
   */
  async check(principalId: string, storageAccountId: string, options: RoleCheckOptions = {}): Promise<RoleVerdict> {
    const assignments = await this.#assignments(principalId, storageAccountId, options.signal);
    if ("error" in assignments) return { status: "unknown", reason: `role assignments could not be read (${assignments.error})` };
    const scopes = new Set(inheritedScopes(storageAccountId));
    for (const a of assignments) {
      const role = blobDataRoles.get(a.roleGuid);
      if (role === undefined || !scopes.has(a.scope)) continue;
      if (options.access === "write" && !role.write) continue;
      return { status: "granted", role: role.name, scope: a.scope };
    }
    return { status: "missing" };
  }
}
