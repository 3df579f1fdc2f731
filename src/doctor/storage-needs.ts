import type { Scenario } from "../errors/issue.js";
import { canonicalIdentityId } from "../identity/resource-id.js";
import { readOwn, readString } from "../rules/facts.js";
import { holderPath, type IdentitySite, type SiteCredential, sitesOf, type SiteOwner } from "../rules/sites.js";
import { walk } from "../rules/walk.js";

/**
 * Which identity must read (or write) which storage account for a pool, a job or a task to work,
 * found through the site table. Shared by the doctor and the permission preflight, so both ask
 * the same questions of Azure RBAC.
 */

/**
 * Where a storage account was found and how sure we are of its resource id.
 *
 * @example
 * ```ts
 * const ref: StorageRef = { kind: "unresolved", source: "https://downloads.example.com/tool.bin" };
 * ```
 */
export type StorageRef =
  | { readonly kind: "resolved"; readonly id: string; readonly name: string; readonly assumed: boolean }
  | { readonly kind: "unresolved"; readonly source: string };

/**
 * One identity that must reach one storage account.
 *
 * @example
 * ```ts
 * for (const need of storageNeeds("task", body, "", context)) console.log(need.identity, need.access, need.what);
 * ```
 */
export interface StorageNeed {
  /** Canonical id of the identity that will authenticate. */
  readonly identity: string;
  /** The storage account. */
  readonly storage: StorageRef;
  /** `read` to download, `write` to upload. */
  readonly access: "read" | "write";
  /** Path of the item that needs it, under the base given. */
  readonly path: string;
  /** What needs it, in words (e.g. `application packages`). */
  readonly what: string;
  /** The article's row when this permission is missing. @default none (not an autostorage read) */
  readonly scenario?: Scenario;
}

/**
 * What the needs depend on: the account's autostorage and where unqualified storage accounts are assumed to live.
 *
 * @example
 * ```ts
 * const context: StorageContext = { subscriptionId, resourceGroup: "render", autoStorageId, autoStorageMode: "BatchAccountManagedIdentity" };
 * ```
 */
export interface StorageContext {
  /** `autoStorage.storageAccountId`, when autostorage is set. */
  readonly autoStorageId?: string;
  /** `autoStorage.authenticationMode`. */
  readonly autoStorageMode?: string;
  /** Canonical id of the node identity reference. */
  readonly nodeIdentity?: string;
  /** Subscription of the Batch account. */
  readonly subscriptionId: string;
  /** Resource group of the Batch account: storage accounts named only by URL are assumed to be there. */
  readonly resourceGroup: string;
}

const storageHost = /^([a-z0-9]{3,24})\.blob\.core\.windows\.net$/i;

/**
 * The storage account name of a blob URL: `<name>.blob.core.windows.net`, or the emulator's `https://127.0.0.1:port/blob/<name>/...`.
 *
 * @example
 * ```ts
 * storageAccountOfUrl("https://renderstore.blob.core.windows.net/inputs/a.txt"); // "renderstore"
 * ```
 */
export function storageAccountOfUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const azure = storageHost.exec(parsed.hostname);
  if (azure !== null) return azure[1]?.toLowerCase();
  const local = /^\/blob\/([a-z0-9]{3,24})(\/|$)/i.exec(parsed.pathname);
  if (local !== null && (parsed.hostname === "127.0.0.1" || parsed.hostname === "localhost")) return local[1]?.toLowerCase();
  return undefined;
}

/**
 * A storage account's resource id by name: the autostorage account when it matches, else the Batch account's resource group (assumed).
 *
 * @example
 * ```ts
 * resolveStorage("renderstore", { subscriptionId, resourceGroup: "render" }); // { kind: "resolved", assumed: true, ... }
 * ```
 */
export function resolveStorage(name: string, context: StorageContext): StorageRef {
  const auto = context.autoStorageId;
  if (auto !== undefined && (auto.split("/").pop() ?? "").toLowerCase() === name.toLowerCase()) {
    return { kind: "resolved", id: auto, name: name.toLowerCase(), assumed: false };
  }
  const id = `/subscriptions/${context.subscriptionId}/resourceGroups/${context.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${name.toLowerCase()}`;
  return { kind: "resolved", id, name: name.toLowerCase(), assumed: true };
}

function storageOfUrl(url: string, context: StorageContext): StorageRef {
  const name = storageAccountOfUrl(url);
  return name === undefined ? { kind: "unresolved", source: url } : resolveStorage(name, context);
}

/** The storage a site's item names, through the site's `storageFields` (a URL, or an account name for mounts). */
function storageOf(site: IdentitySite, holder: unknown, context: StorageContext): StorageRef | undefined {
  for (const field of site.storageFields ?? []) {
    const value = readString(readOwn(holder, field));
    if (value === undefined) continue;
    return field === "accountName" ? resolveStorage(value, context) : storageOfUrl(value, context);
  }
  return undefined;
}

const storageAccess: Partial<Record<SiteCredential, "read" | "write">> = { "storage data read": "read", "storage data write": "write" };

/**
 * Every storage permission `item` relies on.
 *
 * @param owner `pool` for an ARM `Pool` (SDK model), `job` or `task` for the data-plane bodies.
 * @param base path prefix of the item (e.g. `pools["render"]`).
 * @example
 * ```ts
 * const needs = storageNeeds("pool", armPool, 'pools["render"]', { subscriptionId, resourceGroup, autoStorageId, autoStorageMode, nodeIdentity });
 * ```
 */
export function storageNeeds(owner: SiteOwner, item: unknown, base: string, context: StorageContext): StorageNeed[] {
  const out: StorageNeed[] = [];
  const problems: { path: string; expected: "object" | "array" }[] = [];
  // Autostorage is read with the node identity reference only under BatchAccountManagedIdentity.
  if (context.autoStorageMode === "BatchAccountManagedIdentity" && context.autoStorageId !== undefined && context.nodeIdentity !== undefined) {
    const storage: StorageRef = { kind: "resolved", id: context.autoStorageId, name: (context.autoStorageId.split("/").pop() ?? "").toLowerCase(), assumed: false };
    for (const site of sitesOf(owner, "autoStorage")) {
      for (const { value, path } of walk(item, site.sdkPath, base, problems)) {
        if (site.when === "autoStorageContainerName" && readString(readOwn(value, "autoStorageContainerName")) === undefined) continue;
        const packages = site.when === undefined;
        out.push({
          identity: context.nodeIdentity,
          storage,
          access: storageAccess[site.credential] ?? "read",
          path,
          what: packages ? "application packages" : "autostorage resource files",
          scenario: packages ? "application-packages#2" : "resource-files#2",
        });
        break; // one finding per site is enough: every item there uses the same identity and account
      }
    }
  }
  for (const site of sitesOf(owner, "identityReference")) {
    // Registries need AcrPull and keys a Key Vault permission, not a storage role: the table says which.
    const access = storageAccess[site.credential];
    if (access === undefined) continue;
    for (const { value, path } of walk(item, holderPath(site.sdkPath), base, problems)) {
      const resourceId = readString(readOwn(readOwn(value, "identityReference"), "resourceId"));
      if (resourceId === undefined) continue;
      const storage = storageOf(site, value, context);
      if (storage === undefined) continue;
      out.push({ identity: canonicalIdentityId(resourceId), storage, access, path, what: site.title });
    }
  }
  return out;
}
