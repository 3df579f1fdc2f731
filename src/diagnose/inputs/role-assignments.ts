import { inheritedScopes, blobDataRoles } from "../../doctor/role-check.js";
import { storageNeeds } from "../../doctor/storage-needs.js";
import type { AccountFacts } from "../../rules/context.js";
import { readOwn } from "../../rules/facts.js";
import { finding } from "../../rules/finding.js";
import { fixes, messages } from "../../rules/messages.js";
import type { Deployment, FileFinding, PoolPart } from "./model.js";

/**
 * The article's row 2 offline: a pool identity that must read autostorage (application packages,
 * autostorage resource files) but has no Storage Blob Data role there. Said only where the
 * deployment says enough: the identity is created by the files checked (so no role assignment
 * made elsewhere can exist before it), every role assignment in them is known, and none grants a
 * blob data role on the storage account, its resource group or its subscription. The doctor
 * checks the same live. Source: the seed article, tables "application packages" and "resource
 * files", row 2; role GUIDs: Microsoft Learn, "Azure built-in roles" (Storage).
 */

function accountFor(pool: PoolPart, d: Deployment, only: AccountFacts | undefined): { facts: AccountFacts; storageId: string } | undefined {
  const accounts = d.accounts.filter((a) => pool.accountName === undefined || String(readOwn(a.value, "name") ?? "").toLowerCase() === pool.accountName.toLowerCase());
  const account = accounts.length === 1 ? accounts[0] : d.accounts.length === 1 ? d.accounts[0] : undefined;
  const storageId = readOwn(readOwn(readOwn(account?.value, "properties"), "autoStorage"), "storageAccountId");
  if (account === undefined || typeof storageId !== "string" || only === undefined) return undefined;
  return { facts: only, storageId };
}

/**
 * `PERMISSION_MISSING` findings for the pools of a deployment that declares identities and role assignments.
 *
 * @example
 * ```ts
 * for (const f of permissionFindings(deployment, account)) console.log(f.path, f.message);
 * ```
 */
export function permissionFindings(d: Deployment, only: AccountFacts | undefined): FileFinding[] {
  if (d.identities.length === 0 || d.roleAssignments.some((r) => r.identity === undefined || r.roleGuid === undefined || r.scope === undefined)) return [];
  const created = new Set(d.identities.map((i) => i.canonicalId));
  const out: FileFinding[] = [];
  for (const pool of d.pools) {
    const account = accountFor(pool, d, only);
    if (account === undefined || account.facts.nodeIdentity === undefined) continue;
    const base = pool.path === "" ? "properties" : `${pool.path}.properties`;
    const needs = storageNeeds("pool", readOwn(pool.value, "properties"), base, {
      autoStorageId: account.storageId,
      autoStorageMode: account.facts.autoStorageMode ?? "StorageKeys",
      nodeIdentity: account.facts.nodeIdentity.canonicalId,
      subscriptionId: "00000000-0000-0000-0000-000000000000",
      resourceGroup: "resource-group",
    });
    for (const need of needs) {
      if (need.storage.kind !== "resolved" || need.storage.assumed || !created.has(need.identity)) continue;
      const scopes = new Set(inheritedScopes(need.storage.id));
      const granted = d.roleAssignments.some((r) => r.identity === need.identity && r.scope !== undefined && scopes.has(r.scope) && (need.access === "read" ? blobDataRoles.has(r.roleGuid ?? "") : blobDataRoles.get(r.roleGuid ?? "")?.write === true));
      if (granted) continue;
      const path = pool.toFile === undefined ? need.path : pool.toFile(need.path);
      out.push({
        file: pool.file,
        ...finding(
          "PERMISSION_MISSING",
          path,
          messages.permissionMissingFor(need.identity, need.storage.id, need.what, need.access, " in the role assignments of the files checked"),
          fixes.permissionMissing.json(need.identity, need.storage.id, need.access),
          need.scenario,
        ),
      });
    }
  }
  return out;
}
