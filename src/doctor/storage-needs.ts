import type { Scenario } from "../errors/issue.js";
import { canonicalIdentityId } from "../identity/resource-id.js";
import { readOwn, readString } from "../rules/facts.js";
import { sitesOf, type SiteOwner } from "../rules/sites.js";
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

/** The parent pattern of an `identityReference` site, and what to read from it. */
function urlOf(parent: unknown): { url?: string; account?: string; access: "read" | "write" } {
  const containerUrl = readString(readOwn(parent, "containerUrl"));
  if (containerUrl !== undefined) return { url: containerUrl, access: "write" };
  const url = readString(readOwn(parent, "storageContainerUrl")) ?? readString(readOwn(parent, "httpUrl"));
  if (url !== undefined) return { url, access: "read" };
  const account = readString(readOwn(parent, "accountName"));
  return account === undefined ? { access: "read" } : { account, access: "read" };
}

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
          access: "read",
          path,
          what: packages ? "application packages" : "autostorage resource files",
          scenario: packages ? "application-packages#2" : "resource-files#2",
        });
        break; // one finding per site is enough: every item there uses the same identity and account
      }
    }
  }
  for (const site of sitesOf(owner, "identityReference")) {
    // Registries need AcrPull, not a storage role; they are not checked here.
    if (!site.sdkPath.endsWith(".identityReference") || /registr/i.test(site.sdkPath)) continue;
    const parentPattern = site.sdkPath.slice(0, -".identityReference".length);
    for (const { value, path } of walk(item, parentPattern, base, problems)) {
      const resourceId = readString(readOwn(readOwn(value, "identityReference"), "resourceId"));
      if (resourceId === undefined) continue;
      const found = urlOf(value);
      const storage = found.url !== undefined ? storageOfUrl(found.url, context) : found.account !== undefined ? resolveStorage(found.account, context) : undefined;
      if (storage === undefined) continue;
      out.push({ identity: canonicalIdentityId(resourceId), storage, access: found.access, path, what: site.title });
    }
  }
  return out;
}
