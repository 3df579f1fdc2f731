import type { Finding } from "../errors/issue.js";
import { TypedBatchError } from "../errors/typed-batch-error.js";
import { isUserAssignedIdentity } from "../identity/user-assigned-identity.js";
import { finding } from "../rules/finding.js";
import { fixes, messages } from "../rules/messages.js";
import type { UploadCondition } from "./output-file.js";

/**
 * The builders' identity-bearing inputs read strictly, for JavaScript callers: the types describe
 * them exactly, so anything else (null, a value of the wrong kind, a raw `identityReference` or
 * `{ resourceId }` where an identity handle belongs, a key the builder would drop) is refused with
 * `INVALID_SHAPE` naming its path, at the call that passes it, every problem at once. Before, such
 * values ended as a `TypeError`, were dropped (a registry sent without its credential) or were sent
 * for Azure to refuse. Fields that are the SDK's own (not about identity) pass through unread.
 */

type Out = Finding[];

const kindOf = (value: unknown): string => (value === null ? "null" : Array.isArray(value) ? "an array" : typeof value);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function problem(out: Out, path: string, detail: string): void {
  out.push(finding("INVALID_SHAPE", path, messages.invalidShape(detail), fixes.invalidShape.json()));
}

function objectAt(value: unknown, path: string, what: string, out: Out): value is Record<string, unknown> {
  if (isPlainObject(value)) return true;
  problem(out, path, `expected ${what}, got ${kindOf(value)}`);
  return false;
}

function optionalString(value: Record<string, unknown>, key: string, path: string, out: Out, required = false): void {
  const v = value[key];
  if (v === undefined && !required) return;
  if (typeof v !== "string") problem(out, `${path}.${key}`, `expected a string, got ${kindOf(v)}`);
}

/** Keys outside `allowed` in one of typed-batch's own input shapes: the builder would drop them, so they are refused. */
function unknownKeys(value: Record<string, unknown>, allowed: readonly string[], path: string, out: Out): void {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    if (key === "identityReference") problem(out, `${path}.${key}`, "identityReference is the Azure SDK's field: pass identity: userAssignedIdentity(...) instead");
    else problem(out, `${path}.${key}`, `'${key}' is not a field of this input (it would be dropped); expected only ${allowed.join(", ")}`);
  }
}

/** An identity where a handle belongs: absent, or made by `userAssignedIdentity(...)`. */
function identityHandle(value: unknown, path: string, out: Out): void {
  if (value === undefined || isUserAssignedIdentity(value)) return;
  const reference = isPlainObject(value) && typeof value["resourceId"] === "string";
  problem(out, path, reference
    ? "an identity reference object where an identity handle belongs: pass userAssignedIdentity(resourceId, label)"
    : `expected an identity handle made by userAssignedIdentity(...), got ${kindOf(value)}`);
}

const registryKeys = ["registryServer", "identity", "userName", "password"] as const;

/** A container registry input (`RegistryInput`). */
export function registryProblems(value: unknown, path: string, out: Out): void {
  if (!objectAt(value, path, "a registry object ({ registryServer, identity } or { registryServer, userName, password })", out)) return;
  unknownKeys(value, registryKeys, path, out);
  for (const key of ["registryServer", "userName", "password"]) optionalString(value, key, path, out);
  identityHandle(value["identity"], `${path}.identity`, out);
  // `RegistryInput` requires a credential: an identity, or a user name with its password. Azure's
  // `ContainerRegistry` (BatchService.json 2024-07-01.20.0; @azure/batch 10.2.0 `ContainerRegistry`)
  // lists all three as optional, the identity reference being "to access an Azure Container Registry
  // instead of username and password"; refusing a registry without either is typed-batch's rule (the
  // type's run-time twin), an assumption: a registry entry without credentials authenticates nothing.
  if (value["identity"] === undefined && value["identityReference"] === undefined && (value["userName"] === undefined || value["password"] === undefined)) {
    problem(out, path, value["userName"] === undefined && value["password"] === undefined
      ? "a container registry needs a credential: identity: userAssignedIdentity(...), or userName and password"
      : `a container registry with ${value["userName"] === undefined ? "a password" : "a userName"} needs ${value["userName"] === undefined ? "its userName" : "its password"} too (or identity instead)`);
  }
}

/** Container settings (`ContainerSettingsInput`): the image name and the registry; other fields are the SDK's. */
export function containerSettingsProblems(value: unknown, path: string, out: Out): void {
  if (!objectAt(value, path, "a container settings object", out)) return;
  optionalString(value, "imageName", path, out, true);
  if (value["registry"] !== undefined) registryProblems(value["registry"], `${path}.registry`, out);
}

/** One resource file: made by a `resourceFile.*` factory, with an identity handle if any. */
export function resourceFileProblems(value: unknown, path: string, out: Out): void {
  const kind = isPlainObject(value) ? value["kind"] : undefined;
  if (kind !== "autoStorageContainer" && kind !== "containerUrl" && kind !== "httpUrl") {
    problem(out, path, `expected a resource file made by resourceFile.fromAutoStorageContainer, .fromContainerUrl or .fromHttpUrl, got ${isPlainObject(value) ? "an object without a kind" : kindOf(value)}`);
    return;
  }
  identityHandle((value as Record<string, unknown>)["identity"], `${path}.identity`, out);
}

/**
 * The values of `UploadCondition`: the REST spelling and the SDK's (`OutputFileUploadCondition` of
 * @azure/batch 10.2.0: 'tasksuccess' | 'taskfailure' | 'taskcompletion'; BatchService.json
 * 2024-07-01.20.0 `OutputFileUploadCondition`: taskSuccess, taskFailure, taskCompletion).
 */
const uploadConditions = ["taskSuccess", "taskFailure", "taskCompletion", "tasksuccess", "taskfailure", "taskcompletion"] as const satisfies readonly UploadCondition[];

/** One output file: made by `outputFile.toContainer`, with the fields it sets and an identity handle if any. */
export function outputFileProblems(value: unknown, path: string, out: Out): void {
  if (!isPlainObject(value) || value["kind"] !== "container") {
    problem(out, path, `expected an output file made by outputFile.toContainer, got ${isPlainObject(value) ? "an object without kind 'container'" : kindOf(value)}`);
    return;
  }
  for (const key of ["filePattern", "containerUrl", "uploadCondition"]) optionalString(value, key, path, out, true);
  const condition = value["uploadCondition"];
  if (typeof condition === "string" && !(uploadConditions as readonly string[]).includes(condition)) {
    problem(out, `${path}.uploadCondition`, `'${condition}' is not an upload condition; expected one of ${uploadConditions.join(", ")}`);
  }
  optionalString(value, "path", path, out);
  identityHandle(value["identity"], `${path}.identity`, out);
}

/** A list of output files, when given. */
function outputFilesProblems(value: unknown, path: string, out: Out): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    problem(out, path, `expected an array of output files, got ${kindOf(value)}`);
    return;
  }
  value.forEach((file, i) => outputFileProblems(file, `${path}[${i}]`, out));
}

/** A list of resource files, when given. */
export function resourceFilesProblems(value: unknown, path: string, out: Out): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    problem(out, path, `expected an array of resource files, got ${kindOf(value)}`);
    return;
  }
  value.forEach((file, i) => resourceFileProblems(file, `${path}[${i}]`, out));
}

/** A task-shaped input: its resource files, output files (where `sdkType` has them) and container settings. */
function taskShapeProblems(value: unknown, path: string, out: Out, sdkType: "JobManagerTask" | "StartTask" | "JobPreparationTask" | "JobReleaseTask"): value is Record<string, unknown> {
  if (!objectAt(value, path, "a task object", out)) return false;
  resourceFilesProblems(value["resourceFiles"], `${path}.resourceFiles`, out);
  // Only a job manager task uploads output files: @azure/batch 10.2.0's `StartTask`,
  // `JobPreparationTask` and `JobReleaseTask` have no `outputFiles` (nor do they in BatchService.json
  // 2024-07-01.20.0), so the builder would send a field Azure does not read.
  if (sdkType === "JobManagerTask") outputFilesProblems(value["outputFiles"], `${path}.outputFiles`, out);
  else if (value["outputFiles"] !== undefined) problem(out, `${path}.outputFiles`, `'outputFiles' is not a field of ${sdkType} (only a task or a job manager task uploads output files)`);
  if (value["containerSettings"] !== undefined) containerSettingsProblems(value["containerSettings"], `${path}.containerSettings`, out);
  return true;
}

/** A job manager task input: its resource files, output files and container settings. */
export function taskInputProblems(value: unknown, path: string, out: Out): void {
  taskShapeProblems(value, path, out, "JobManagerTask");
}

/** A job preparation task input (no output files). */
export function preparationTaskProblems(value: unknown, path: string, out: Out): void {
  taskShapeProblems(value, path, out, "JobPreparationTask");
}

/** A job release task input (no output files). */
export function releaseTaskProblems(value: unknown, path: string, out: Out): void {
  taskShapeProblems(value, path, out, "JobReleaseTask");
}

/**
 * A pool start task input (`StartTaskInput`): no output files, and a command line, which its type
 * requires (BatchService.json 2024-07-01.20.0 `StartTask` lists `commandLine` under `required`), so
 * `withStartTask({})` is refused as it fails to compile; the ARM wire exemption for an empty
 * `startTask: {}` (rules/shapes.ts) is for bodies only.
 */
export function startTaskProblems(value: unknown, path: string, out: Out): void {
  if (!taskShapeProblems(value, path, out, "StartTask")) return;
  if (value["commandLine"] === undefined) out.push(finding("INVALID_SHAPE", `${path}.commandLine`, messages.commandLineRequired("a start task"), fixes.commandLineRequired.json()));
}

/** Multi-instance settings: the common resource files. */
export function multiInstanceProblems(value: unknown, path: string, out: Out): void {
  if (!objectAt(value, path, "a multi-instance settings object", out)) return;
  resourceFilesProblems(value["commonResourceFiles"], `${path}.commonResourceFiles`, out);
}

const mountKeys = ["accountName", "containerName", "relativeMountPath", "blobfuseOptions", "identity", "accountKey", "sasKey"] as const;

/** A blob mount input (`BlobMountInput`). */
export function blobMountProblems(value: unknown, path: string, out: Out): void {
  if (!objectAt(value, path, "a blob mount object", out)) return;
  unknownKeys(value, mountKeys, path, out);
  for (const key of ["accountName", "containerName", "relativeMountPath"]) optionalString(value, key, path, out, true);
  for (const key of ["blobfuseOptions", "accountKey", "sasKey"]) optionalString(value, key, path, out);
  identityHandle(value["identity"], `${path}.identity`, out);
}

/** `value` when `check` finds nothing, else a `TypedBatchError` with every problem (e.g. `strictInput(startTask, "startTask", taskInputProblems)`). */
export function strictInput<T>(value: T, path: string, check: (value: unknown, path: string, out: Out) => void): T {
  const out: Out = [];
  check(value, path, out);
  if (out.length > 0) throw new TypedBatchError(out);
  return value;
}

/** Identity handles passed as a rest list (`withIdentities`, `withUserAssignedIdentities`): each made by `userAssignedIdentity(...)`. */
export function identityHandlesProblems(value: unknown, path: string, out: Out): void {
  if (!Array.isArray(value)) {
    problem(out, path, `expected identity handles, got ${kindOf(value)}`);
    return;
  }
  value.forEach((identity, i) => {
    if (identity === undefined) problem(out, `${path}[${i}]`, "expected an identity handle made by userAssignedIdentity(...), got undefined");
    else identityHandle(identity, `${path}[${i}]`, out);
  });
}

/** Application package references as the builders take them (`{ id, version? }`, sent as the data plane's `applicationId`). */
export function applicationPackagesProblems(value: unknown, path: string, out: Out): void {
  if (!Array.isArray(value)) {
    problem(out, path, `expected application package references, got ${kindOf(value)}`);
    return;
  }
  value.forEach((reference, i) => {
    if (!objectAt(reference, `${path}[${i}]`, "an application package reference ({ id, version? })", out)) return;
    unknownKeys(reference, ["id", "version"], `${path}[${i}]`, out);
    optionalString(reference, "id", `${path}[${i}]`, out, true);
    optionalString(reference, "version", `${path}[${i}]`, out);
  });
}

/** `withCustomerManagedKey` options: an object with the key's identifier. */
export function customerManagedKeyProblems(value: unknown, path: string, out: Out): void {
  if (!objectAt(value, path, "customer-managed key options ({ keyIdentifier })", out)) return;
  optionalString(value, "keyIdentifier", path, out, true);
}

/** What a job runs on: a pool made by `pool(...).build()` (or read live) or an `autoPool(...)`. */
export function poolTargetProblems(value: unknown, path: string, out: Out): void {
  const ok = isPlainObject(value) && (value["kind"] === "autoPool" ? isPlainObject(value["specification"]) : typeof value["toArm"] === "function" && typeof value["name"] === "string" && Array.isArray(value["identities"]));
  if (!ok) problem(out, path, `expected a pool made by pool(...).build() or an autoPool(...), got ${isPlainObject(value) ? "another object" : kindOf(value)}`);
}

/** A typed pool (`PoolSpec`), where an auto-pool does not belong (e.g. `nodeCredential`). */
export function poolSpecProblems(value: unknown, path: string, out: Out): void {
  const ok = isPlainObject(value) && typeof value["toArm"] === "function" && typeof value["name"] === "string" && Array.isArray(value["identities"]);
  if (!ok) problem(out, path, `expected a pool made by pool(...).build(), got ${isPlainObject(value) ? "another object" : kindOf(value)}`);
}

/** The job of a task: made by `job(...).build()` (or read live). */
export function jobSpecProblems(value: unknown, path: string, out: Out): void {
  const ok = isPlainObject(value) && typeof value["toBatch"] === "function" && typeof value["id"] === "string" && isPlainObject(value["pool"]);
  if (!ok) problem(out, path, `expected a job made by job(...).build(), got ${isPlainObject(value) ? "another object" : kindOf(value)}`);
}
