import { finding } from "../../rules/finding.js";
import { fixes, messages } from "../../rules/messages.js";
import { isNearKey, suggestKey } from "./did-you-mean.js";
import { type AccountPart, type Deployment, type FileFinding, emptyDeployment, type Part, type PoolPart, prefixMap } from "./model.js";

/**
 * Reads a bundle or one Batch REST body into the joined model. Every kind is recognised by its
 * shape (first match wins):
 *
 * | shape | kind |
 * |---|---|
 * | an own `account`, `pools`, `jobs` or `jobSchedules` key | bundle (other top-level keys: `UNKNOWN_BUNDLE_KEY`) |
 * | `value` array | data-plane task collection (`TaskAddCollectionParameter`) |
 * | object `properties`, and `type` `Microsoft.Batch/batchAccounts`, or `location`, or an account-only property | ARM account (create, or update when it has neither `location` nor `identity`) |
 * | other object `properties` | ARM pool (create; an update when it has neither `identity` nor `properties.vmSize`) |
 * | `poolInfo` | data-plane job (`JobAddParameter`) |
 * | `jobSpecification` or `schedule` | data-plane job schedule (`JobScheduleAddParameter`) |
 * | `containerUrl` and `startTime` | `uploadBatchServiceLogs` body |
 * | `commandLine` | data-plane task (`TaskAddParameter`) |
 * | `vmSize` | data-plane pool (`PoolAddParameter`, or a pool as Batch returns it) |
 * | `startTask`, `applicationPackageReferences`, `metadata`, `certificateReferences` or `targetNodeCommunicationMode` | data-plane pool update (`PoolPatchParameter`, `PoolUpdatePropertiesParameter`) |
 * | `{}` | an empty bundle |
 * | only keys within two edits of a bundle key (`pool`, `job`) | a misspelt bundle |
 *
 * Sources: `BatchManagement.json` 2024-07-01 (`Pool`, `BatchAccountCreateParameters`,
 * `BatchAccountUpdateParameters`: `location` required on create only) and `BatchService.json`
 * 2024-07-01.20.0 (`PoolAddParameter.vmSize`, `TaskAddParameter.commandLine`,
 * `JobAddParameter.poolInfo`, `JobScheduleAddParameter.schedule`/`jobSpecification`,
 * `UploadBatchServiceLogsConfiguration.containerUrl`/`startTime` are required). ARM PATCH leaves
 * absent properties unchanged (ARM PATCH is a JSON merge patch, RFC 7386:
 * Azure/azure-resource-manager-rpc `v1.0/resource-api-reference.md`).
 */

/** What a document was read as. */
export type BodyKind =
  | "bundle"
  | "ARM account"
  | "ARM account update"
  | "ARM pool"
  | "ARM pool update"
  | "pool"
  | "pool update"
  | "job"
  | "job schedule"
  | "task"
  | "task collection"
  | "upload logs";

/** The keys of a bundle. */
export const bundleKeys = ["account", "pools", "jobs", "jobSchedules"] as const;

const accountMarkers = ["autoStorage", "poolAllocationMode", "keyVaultReference", "accountEndpoint", "encryption", "allowedAuthenticationModes"] as const;
const poolUpdateMarkers = ["startTask", "applicationPackageReferences", "metadata", "certificateReferences", "targetNodeCommunicationMode"] as const;

const own = (value: object, key: string) => Object.prototype.hasOwnProperty.call(value, key);

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function field(value: Record<string, unknown>, key: string): unknown {
  return own(value, key) ? value[key] : undefined;
}

function join(base: string, key: string): string {
  return base === "" ? key : `${base}.${key}`;
}

function shape(file: string, path: string, detail: string) {
  return { file, ...finding("INVALID_SHAPE", path, messages.invalidShape(detail), fixes.invalidShape.json()) };
}

/**
 * A data-plane pool in the ARM wire shape the rules read: `id` becomes `name`, the identity array
 * a map keyed by resource id, `virtualMachineConfiguration` moves under
 * `properties.deploymentConfiguration`, `applicationPackageReferences` becomes
 * `properties.applicationPackages`; paths are mapped back.
 */
export function dataPlanePool(pool: Record<string, unknown>, path: string, file: string, out: Deployment, update: boolean): PoolPart {
  const properties: Record<string, unknown> = {};
  const pairs: [string, string][] = [];
  const props = join(path, "properties");
  for (const [key, value] of Object.entries(pool)) {
    if (key === "id" || key === "identity") continue;
    if (key === "virtualMachineConfiguration") {
      properties["deploymentConfiguration"] = { virtualMachineConfiguration: value };
      pairs.push([`${props}.deploymentConfiguration.virtualMachineConfiguration`, join(path, key)]);
    } else if (key === "applicationPackageReferences") {
      properties["applicationPackages"] = value;
      pairs.push([`${props}.applicationPackages`, join(path, key)]);
    } else properties[key] = value;
  }
  pairs.push([props, path]);
  // The data plane's `StartTask` always requires `commandLine` (BatchService.json 2024-07-01.20.0,
  // `StartTask.required`); the rules exempt an empty `startTask: {}` only for ARM bodies, where
  // commandLine is "required if any other properties of the startTask are specified".
  const startTask = field(pool, "startTask");
  if (isObject(startTask) && Object.keys(startTask).length === 0) {
    out.notes.push({ file, ...finding("INVALID_SHAPE", join(join(path, "startTask"), "commandLine"), messages.commandLineRequired("a start task"), fixes.commandLineRequired.json()) });
  }
  const arm: Record<string, unknown> = { properties };
  const id = field(pool, "id");
  if (typeof id === "string") arm["name"] = id;
  const identity = field(pool, "identity");
  if (identity !== undefined) arm["identity"] = dataPlaneIdentity(identity, join(path, "identity"), file, out, pairs);
  const part: PoolPart = { value: arm, path, file, toFile: prefixMap(pairs) };
  return update ? { ...part, identitiesUnknown: `pool update${typeof id === "string" ? ` of '${id}'` : ""} leaves the pool's identities as they are in Azure` } : part;
}

function dataPlaneIdentity(identity: unknown, path: string, file: string, out: Deployment, pairs: [string, string][]): unknown {
  if (!isObject(identity)) return identity;
  const list = field(identity, "userAssignedIdentities");
  if (!Array.isArray(list)) return identity;
  const map: Record<string, unknown> = {};
  for (let i = 0; i < list.length; i++) {
    const item: unknown = list[i];
    const at = `${path}.userAssignedIdentities[${i}]`;
    const resourceId = isObject(item) ? field(item, "resourceId") : undefined;
    if (typeof resourceId !== "string") {
      out.notes.push(shape(file, at, "a data-plane pool identity is { resourceId, clientId, principalId } with a string resourceId"));
      continue;
    }
    map[resourceId] = {};
    pairs.push([`${path}.userAssignedIdentities["${resourceId}"]`, `${at}.resourceId`]);
  }
  return { ...identity, userAssignedIdentities: map };
}

function isAccountBody(doc: Record<string, unknown>, properties: Record<string, unknown>): boolean {
  const type = field(doc, "type");
  if (typeof type === "string") return type.toLowerCase() === "microsoft.batch/batchaccounts";
  return own(doc, "location") || accountMarkers.some((key) => own(properties, key));
}

/** A pool of a bundle or a bare pool body: ARM (with `properties`) or data plane. */
function readPool(value: unknown, path: string, file: string, out: Deployment): void {
  const identity = isObject(value) ? field(value, "identity") : undefined;
  const arrayIdentities = isObject(identity) && Array.isArray(field(identity, "userAssignedIdentities"));
  if (isObject(value) && !isObject(field(value, "properties")) && (own(value, "vmSize") || own(value, "id") || arrayIdentities)) {
    out.pools.push(dataPlanePool(value, path, file, out, false));
    return;
  }
  out.pools.push({ value, path, file });
}

function readArray(doc: Record<string, unknown>, key: string, file: string, out: Deployment, what: string, each: (value: unknown, path: string) => void): void {
  const items = field(doc, key);
  if (items === undefined || items === null) return;
  if (!Array.isArray(items)) {
    out.notes.push(shape(file, key, `expected an array of ${what}`));
    return;
  }
  for (let i = 0; i < items.length; i++) each(items[i], `${key}[${i}]`);
}

function readBundleKeys(doc: Record<string, unknown>, file: string): Deployment {
  const out = emptyDeployment();
  for (const key of Object.keys(doc)) {
    if ((bundleKeys as readonly string[]).includes(key) || key === "$schema") continue;
    out.notes.push({ file, ...finding("UNKNOWN_BUNDLE_KEY", key, messages.unknownBundleKey(key, suggestKey(key, bundleKeys)), fixes.unknownBundleKey.json()) });
  }
  const account = field(doc, "account");
  if (isObject(account)) out.accounts.push({ value: account, path: "account", file });
  else if (account !== undefined && account !== null) out.notes.push(shape(file, "account", "expected an object (the Batch account body)"));
  readArray(doc, "pools", file, out, "pool bodies", (value, path) => readPool(value, path, file, out));
  readArray(doc, "jobs", file, out, "Batch job bodies", (value, path) => out.jobs.push({ value, path, file }));
  readArray(doc, "jobSchedules", file, out, "Batch job schedule bodies", (value, path) => out.jobSchedules.push({ value, path, file }));
  return out;
}

/** The result of reading one document. */
export type BodyRead =
  | { readonly ok: true; readonly kind: BodyKind; readonly deployment: Deployment }
  | { readonly ok: false; readonly reason: string; readonly findings?: readonly FileFinding[] };

/** A bundle whose top-level values have the wrong type cannot be read at all (exit 2). */
function bundle(doc: Record<string, unknown>, file: string): BodyRead {
  const deployment = readBundleKeys(doc, file);
  const broken = deployment.notes.filter((f) => f.code === "INVALID_SHAPE" && (bundleKeys as readonly string[]).includes(f.path));
  if (broken.length > 0) return { ok: false, reason: broken.map((f) => `${f.path}: ${f.message}`).join("; "), findings: broken };
  return { ok: true, kind: "bundle", deployment };
}

function single(kind: BodyKind, put: (d: Deployment) => void): BodyRead {
  const deployment = emptyDeployment();
  put(deployment);
  return { ok: true, kind, deployment };
}

/**
 * Reads a bundle or a Batch REST body (see the table above); `ok: false` when the document is
 * none of them.
 *
 * @example
 * ```ts
 * const read = readBatchBody({ id: "t1", commandLine: "echo" }, "task.json");
 * if (read.ok) console.log(read.kind); // "task"
 * ```
 */
export function readBatchBody(doc: Record<string, unknown>, file: string): BodyRead {
  if (bundleKeys.some((key) => own(doc, key))) return bundle(doc, file);
  const value = field(doc, "value");
  if (Array.isArray(value)) {
    return single("task collection", (d) => {
      for (let i = 0; i < value.length; i++) d.tasks.push({ value: value[i], path: `value[${i}]`, file });
    });
  }
  const properties = field(doc, "properties");
  if (isObject(properties)) {
    const self: Part = { value: doc, path: "", file };
    if (isAccountBody(doc, properties)) {
      const update = !own(doc, "location") && !own(doc, "identity");
      const part: AccountPart = update ? { ...self, identityUnknown: true } : self;
      return single(update ? "ARM account update" : "ARM account", (d) => d.accounts.push(part));
    }
    const update = !own(doc, "identity") && !own(properties, "vmSize");
    const name = typeof field(doc, "name") === "string" ? ` of '${String(field(doc, "name"))}'` : "";
    const part: PoolPart = update ? { ...self, identitiesUnknown: `pool update${name} leaves the pool's identities as they are in Azure` } : self;
    return single(update ? "ARM pool update" : "ARM pool", (d) => d.pools.push(part));
  }
  if (own(doc, "poolInfo")) return single("job", (d) => d.jobs.push({ value: doc, path: "", file }));
  if (own(doc, "jobSpecification") || own(doc, "schedule")) return single("job schedule", (d) => d.jobSchedules.push({ value: doc, path: "", file }));
  if (own(doc, "containerUrl") && own(doc, "startTime")) return single("upload logs", (d) => d.uploads.push({ value: doc, path: "", file }));
  if (own(doc, "commandLine")) return single("task", (d) => d.tasks.push({ value: doc, path: "", file }));
  if (own(doc, "vmSize")) return single("pool", (d) => d.pools.push(dataPlanePool(doc, "", file, d, false)));
  if (poolUpdateMarkers.some((key) => own(doc, key))) return single("pool update", (d) => d.pools.push(dataPlanePool(doc, "", file, d, true)));
  const keys = Object.keys(doc);
  if (keys.length === 0) return single("bundle", () => undefined);
  if (keys.every((key) => isNearKey(key, bundleKeys))) return bundle(doc, file);
  return {
    ok: false,
    reason:
      "not a bundle (account, pools, jobs, jobSchedules), an ARM account or pool body (properties), a Batch pool, job, job schedule, task, task collection or upload-logs body, an ARM deployment template nor a Terraform plan",
  };
}
