import { canonicalIdentityId } from "../../identity/resource-id.js";
import { blobDataRoles } from "../../doctor/role-check.js";
import { finding } from "../../rules/finding.js";
import { fixes, messages } from "../../rules/messages.js";
import { isObject } from "./batch-bodies.js";
import { type Deployment, emptyDeployment, prefixMap } from "./model.js";
import { unresolvedValue } from "./unresolved.js";

/**
 * Terraform plan JSON (`terraform show -json plan.out`): each `resource_changes[]` entry of the
 * azurerm provider that typed-batch reads is turned into the ARM wire shape the rules read, and
 * findings are reported at Terraform addresses (`azurerm_batch_pool.render.start_task[0].resource_file[1]`).
 *
 * Read: `azurerm_batch_account` (`identity`, `storage_account_id`, `storage_account_authentication_mode`,
 * `storage_account_node_identity`), `azurerm_batch_pool` (`identity.identity_ids`, start task
 * resource files' and container registries' `user_assigned_identity_id`, mounts' `identity_id`),
 * `azurerm_user_assigned_identity`, `azurerm_role_assignment`. A value known only after apply
 * (`after_unknown`) is taken from the configuration's reference to a resource of the plan when it
 * names one (`azurerm_user_assigned_identity.x.id`: that identity's id from its name and resource
 * group), else it is a `VALUE_UNRESOLVED` warning, never an error. Sources: Terraform's "JSON
 * Output Format" (plan representation) and the azurerm provider's resource documentation.
 */

/** True for a plan (`format_version` and `resource_changes` or `planned_values`). */
export function isTerraformPlan(doc: Record<string, unknown>): boolean {
  return typeof doc["format_version"] === "string" && ("planned_values" in doc || "resource_changes" in doc);
}

const placeholderSubscription = "00000000-0000-0000-0000-000000000000";

type Json = Record<string, unknown>;

function get(value: unknown, key: string | number): unknown {
  if (typeof key === "number") return Array.isArray(value) ? value[key] : undefined;
  return isObject(value) && Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
}

function at(value: unknown, path: readonly (string | number)[]): unknown {
  let v = value;
  for (const key of path) v = get(v, key);
  return v;
}

/** True when `after_unknown` marks the value at `path` (or a block above it) as known only after apply. */
function unknownAt(afterUnknown: unknown, path: readonly (string | number)[]): boolean {
  let v = afterUnknown;
  for (const key of path) {
    if (v === true) return true;
    v = get(v, key);
  }
  return v === true;
}

const tfPath = (address: string, path: readonly (string | number)[]) => path.reduce<string>((p, k) => (typeof k === "number" ? `${p}[${k}]` : `${p}.${k}`), address);

const nonEmpty = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

interface Change {
  readonly address: string;
  readonly type: string;
  readonly after: Json;
  readonly afterUnknown: unknown;
  /** `configuration` expressions of the resource, for references. */
  readonly expressions: unknown;
  readonly index: number;
}

/**
 * Reads a plan into the joined model.
 *
 * @example
 * ```ts
 * const deployment = readTerraformPlan(JSON.parse(text), "plan.json");
 * ```
 */
export function readTerraformPlan(doc: Record<string, unknown>, file: string): Deployment {
  const out = emptyDeployment();
  const unresolved: string[] = [];
  out.unresolved.set(file, unresolved);
  const configs = new Map<string, unknown>();
  const configResources = at(doc, ["configuration", "root_module", "resources"]);
  if (Array.isArray(configResources)) for (const r of configResources) if (typeof get(r, "address") === "string") configs.set(get(r, "address") as string, get(r, "expressions"));
  const changes: Change[] = [];
  const list = doc["resource_changes"];
  if (Array.isArray(list)) {
    list.forEach((rc, index) => {
      const address = get(rc, "address");
      const type = get(rc, "type");
      const actions = at(rc, ["change", "actions"]);
      const after = at(rc, ["change", "after"]);
      if (typeof address !== "string" || typeof type !== "string" || !isObject(after)) return;
      if (Array.isArray(actions) && actions.length === 1 && actions[0] === "delete") return;
      const configAddress = address.replace(/\[[^\]]*\]$/, "");
      changes.push({ address, type, after, afterUnknown: at(rc, ["change", "after_unknown"]), expressions: configs.get(configAddress), index });
    });
  }
  out.locators.set(file, (path) => {
    for (const c of changes) if (path === c.address || path.startsWith(`${c.address}.`) || path.startsWith(`${c.address}[`)) return `resource_changes[${c.index}].change.after${path.slice(c.address.length)}`;
    return path;
  });

  // Ids of identities and storage accounts of the plan, by address (known, or from name and resource group).
  const idsByAddress = new Map<string, string>();
  const idOf = (c: Change, provider: string, kind: string): string | undefined => {
    const known = nonEmpty(c.after["id"]);
    if (known !== undefined) return known;
    const name = nonEmpty(c.after["name"]);
    const group = nonEmpty(c.after["resource_group_name"]);
    return name === undefined || group === undefined ? undefined : `/subscriptions/${placeholderSubscription}/resourceGroups/${group}/providers/${provider}/${kind}/${name}`;
  };
  for (const c of changes) {
    const id = c.type === "azurerm_user_assigned_identity" ? idOf(c, "Microsoft.ManagedIdentity", "userAssignedIdentities") : c.type === "azurerm_storage_account" ? idOf(c, "Microsoft.Storage", "storageAccounts") : undefined;
    if (id === undefined) continue;
    idsByAddress.set(c.address, id);
    if (c.type === "azurerm_user_assigned_identity") out.identities.push({ canonicalId: canonicalIdentityId(id), file, path: c.address });
  }
  /** The ids a configuration expression refers to (`azurerm_user_assigned_identity.x.id`), in order. */
  const referenced = (c: Change, path: readonly (string | number)[], attribute: "id" | "principal_id"): string[] => {
    const refs = get(at(c.expressions, path.map((k) => (typeof k === "number" ? k : k))), "references");
    if (!Array.isArray(refs)) return [];
    const found: string[] = [];
    for (const ref of refs) {
      if (typeof ref !== "string" || !ref.endsWith(`.${attribute}`)) continue;
      const id = idsByAddress.get(ref.slice(0, -attribute.length - 1));
      if (id !== undefined) found.push(id);
    }
    return found;
  };
  /** A string attribute: its value, the resource it refers to when known after apply only, or a stand-in and a warning. */
  const value = (c: Change, path: readonly (string | number)[]): string | undefined => {
    if (!unknownAt(c.afterUnknown, path)) return nonEmpty(at(c.after, path));
    const refs = referenced(c, path, "id");
    if (refs.length === 1) return refs[0];
    return unknownValue(c, path);
  };
  const unknownValue = (c: Change, path: readonly (string | number)[]): string => {
    const where = tfPath(c.address, path);
    unresolved.push(where);
    out.notes.push({ file, ...finding("VALUE_UNRESOLVED", where, messages.valueUnresolved(where, "known only after apply"), fixes.valueUnresolved.json()) });
    return unresolvedValue();
  };
  /** identity { identity_ids } as ARM's identity block, and the path pairs to map findings back. */
  const identityBlock = (c: Change, pairs: [string, string][], base: string): Json | undefined => {
    const identity = get(c.after["identity"], 0);
    if (!isObject(identity) && !unknownAt(c.afterUnknown, ["identity"])) return undefined;
    const type = nonEmpty(get(identity, "type")) ?? "UserAssigned";
    const ids: Record<string, unknown> = {};
    let list: string[];
    if (unknownAt(c.afterUnknown, ["identity", 0, "identity_ids"])) {
      list = referenced(c, ["identity", 0, "identity_ids"], "id");
      const written = get(get(c.after["identity"], 0), "identity_ids");
      if (list.length === 0 || (Array.isArray(written) && written.length > list.length)) list = [...list, unknownValue(c, ["identity", 0, "identity_ids"])];
    } else {
      const written = get(identity, "identity_ids");
      list = Array.isArray(written) ? written.filter((x): x is string => typeof x === "string") : [];
    }
    list.forEach((id, i) => {
      ids[id] = {};
      pairs.push([`${base}.identity.userAssignedIdentities["${id}"]`, `${c.address}.identity[0].identity_ids[${i}]`]);
    });
    pairs.push([`${base}.identity`, `${c.address}.identity[0]`]);
    return type.toLowerCase().includes("userassigned") || list.length > 0 ? { type: list.length > 0 ? "UserAssigned" : type, userAssignedIdentities: ids } : { type };
  };

  for (const c of changes) {
    const base = c.address;
    if (c.type === "azurerm_batch_account") {
      const pairs: [string, string][] = [];
      const account: Json = { name: nonEmpty(c.after["name"]) ?? c.address };
      const identity = identityBlock(c, pairs, base);
      if (identity !== undefined) account["identity"] = identity;
      const storage = value(c, ["storage_account_id"]);
      if (storage !== undefined) {
        const autoStorage: Json = { storageAccountId: storage, authenticationMode: nonEmpty(c.after["storage_account_authentication_mode"]) ?? "StorageKeys" };
        const node = value(c, ["storage_account_node_identity"]);
        if (node !== undefined) autoStorage["nodeIdentityReference"] = { resourceId: node };
        account["properties"] = { autoStorage };
        pairs.push([`${base}.properties.autoStorage.authenticationMode`, `${base}.storage_account_authentication_mode`]);
        pairs.push([`${base}.properties.autoStorage.nodeIdentityReference`, `${base}.storage_account_node_identity`]);
        pairs.push([`${base}.properties.autoStorage`, `${base}.storage_account_id`]);
      }
      out.accounts.push({ value: account, path: base, file, toFile: prefixMap(pairs) });
    } else if (c.type === "azurerm_batch_pool") {
      const pairs: [string, string][] = [];
      const pool: Json = { name: nonEmpty(c.after["name"]) ?? c.address };
      const identity = identityBlock(c, pairs, base);
      if (identity !== undefined) pool["identity"] = identity;
      const properties: Json = {};
      const startTask = get(c.after["start_task"], 0);
      if (isObject(startTask)) {
        const files = Array.isArray(startTask["resource_file"]) ? startTask["resource_file"] : [];
        const resourceFiles = files.map((f, j) => {
          const p = ["start_task", 0, "resource_file", j];
          const armPath = `${base}.properties.startTask.resourceFiles[${j}]`;
          const tf = tfPath(base, p);
          const rf: Json = {};
          for (const [k, arm] of [["auto_storage_container_name", "autoStorageContainerName"], ["storage_container_url", "storageContainerUrl"], ["http_url", "httpUrl"], ["file_path", "filePath"], ["blob_prefix", "blobPrefix"], ["file_mode", "fileMode"]] as const) {
            const v = nonEmpty(get(f, k));
            if (v !== undefined) rf[arm] = v;
            pairs.push([`${armPath}.${arm}`, `${tf}.${k}`]);
          }
          const identityId = get(f, "user_assigned_identity_id") !== undefined || unknownAt(c.afterUnknown, [...p, "user_assigned_identity_id"]) ? value(c, [...p, "user_assigned_identity_id"]) : undefined;
          if (identityId !== undefined) rf["identityReference"] = { resourceId: identityId };
          pairs.push([`${armPath}.identityReference`, `${tf}.user_assigned_identity_id`]);
          pairs.push([armPath, tf]);
          return rf;
        });
        // A command line known only after apply is a stand-in (a warning), never a false "required" error.
        const commandLine = unknownAt(c.afterUnknown, ["start_task", 0, "command_line"]) ? unknownValue(c, ["start_task", 0, "command_line"]) : (nonEmpty(startTask["command_line"]) ?? "");
        pairs.push([`${base}.properties.startTask.commandLine`, `${base}.start_task[0].command_line`]);
        const arm: Json = { commandLine, resourceFiles };
        const registry = get(get(get(startTask["container"], 0), "registry"), 0);
        const registryId = isObject(registry) ? value(c, ["start_task", 0, "container", 0, "registry", 0, "user_assigned_identity_id"]) : undefined;
        if (registryId !== undefined) {
          arm["containerSettings"] = { imageName: "", registry: { registryServer: nonEmpty(get(registry, "registry_server")) ?? "", identityReference: { resourceId: registryId } } };
          pairs.push([`${base}.properties.startTask.containerSettings.registry.identityReference`, `${base}.start_task[0].container[0].registry[0].user_assigned_identity_id`]);
        }
        pairs.push([`${base}.properties.startTask`, `${base}.start_task[0]`]);
        properties["startTask"] = arm;
      }
      const registries = get(get(c.after["container_configuration"], 0), "container_registries");
      if (Array.isArray(registries)) {
        const containerRegistries = registries.map((r, k) => {
          const p = ["container_configuration", 0, "container_registries", k];
          const id = value(c, [...p, "user_assigned_identity_id"]);
          pairs.push([`${base}.properties.deploymentConfiguration.virtualMachineConfiguration.containerConfiguration.containerRegistries[${k}].identityReference`, `${tfPath(base, p)}.user_assigned_identity_id`]);
          pairs.push([`${base}.properties.deploymentConfiguration.virtualMachineConfiguration.containerConfiguration.containerRegistries[${k}]`, tfPath(base, p)]);
          return id === undefined ? { registryServer: nonEmpty(get(r, "registry_server")) ?? "" } : { registryServer: nonEmpty(get(r, "registry_server")) ?? "", identityReference: { resourceId: id } };
        });
        properties["deploymentConfiguration"] = { virtualMachineConfiguration: { containerConfiguration: { type: "DockerCompatible", containerRegistries } } };
      }
      const mounts = c.after["mount"];
      if (Array.isArray(mounts)) {
        properties["mountConfiguration"] = mounts.map((m, i) => {
          const blob = get(get(m, "azure_blob_file_system"), 0);
          if (!isObject(blob)) return {};
          const p = ["mount", i, "azure_blob_file_system", 0];
          const fs: Json = { accountName: nonEmpty(blob["account_name"]) ?? "", containerName: nonEmpty(blob["container_name"]) ?? "", relativeMountPath: nonEmpty(blob["relative_mount_path"]) ?? "" };
          const key = nonEmpty(blob["account_key"]);
          const sas = nonEmpty(blob["sas_key"]);
          if (key !== undefined) fs["accountKey"] = key;
          if (sas !== undefined) fs["sasKey"] = sas;
          const id = nonEmpty(blob["identity_id"]) !== undefined || unknownAt(c.afterUnknown, [...p, "identity_id"]) ? value(c, [...p, "identity_id"]) : undefined;
          if (id !== undefined) fs["identityReference"] = { resourceId: id };
          pairs.push([`${base}.properties.mountConfiguration[${i}].azureBlobFileSystemConfiguration.identityReference`, `${tfPath(base, p)}.identity_id`]);
          pairs.push([`${base}.properties.mountConfiguration[${i}].azureBlobFileSystemConfiguration`, tfPath(base, p)]);
          return { azureBlobFileSystemConfiguration: fs };
        });
      }
      pairs.push([`${base}.properties`, base]);
      pool["properties"] = properties;
      const accountName = nonEmpty(c.after["account_name"]);
      out.pools.push({ value: pool, path: base, file, toFile: prefixMap(pairs), ...(accountName !== undefined ? { accountName } : {}) });
    } else if (c.type === "azurerm_role_assignment") {
      // A principal known at plan time is not one of the identities the plan creates (theirs are known after apply).
      const literal = unknownAt(c.afterUnknown, ["principal_id"]) ? undefined : nonEmpty(c.after["principal_id"]);
      const principal = literal !== undefined ? `literal:${literal}` : referenced(c, ["principal_id"], "principal_id")[0];
      const scope = unknownAt(c.afterUnknown, ["scope"]) ? referenced(c, ["scope"], "id")[0] : nonEmpty(c.after["scope"]);
      const roleName = nonEmpty(c.after["role_definition_name"]);
      const roleId = nonEmpty(c.after["role_definition_id"]);
      const roleGuid = roleName !== undefined ? [...blobDataRoles].find(([, r]) => r.name.toLowerCase() === roleName.toLowerCase())?.[0] ?? `name:${roleName.toLowerCase()}` : roleId?.split("/").pop()?.toLowerCase();
      out.roleAssignments.push({ identity: principal === undefined || principal.startsWith("literal:") ? principal : canonicalIdentityId(principal), roleGuid, scope: scope?.toLowerCase().replace(/\/+$/, "") });
    }
  }
  return out;
}
