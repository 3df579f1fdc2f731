import { z } from "zod";
import type { Finding } from "../errors/issue.js";
import type { FindingCode } from "./codes.js";
import { finding } from "./finding.js";
import { fixes, messages } from "./messages.js";
import type { Voice } from "./context.js";
import { joinPath } from "./walk.js";

/**
 * zod schemas for the identity-bearing shapes, with the structural rules (resource file sources,
 * blob mount credentials) as refinements. Other fields pass through:
 * they are the Azure SDK's business, not ours.
 */

const optionalString = z.string().optional();

/** Payload of a rule issue raised inside a refinement; turned into a finding by {@link zodFindings}. */
interface RuleParams {
  readonly rule: FindingCode;
  readonly message: string;
  readonly fix: { readonly builder: string; readonly json: string };
}

function raise(ctx: z.RefinementCtx, params: RuleParams, path: (string | number)[] = []): void {
  ctx.addIssue({ code: "custom", message: params.message, path, params: { ...params } });
}

/** `ComputeNodeIdentityReference { resourceId }`. */
export const identityReferenceSchema = z.looseObject({ resourceId: z.string() });

const countOf = (...values: unknown[]) => values.filter((v) => v !== undefined && v !== null).length;

/** A resource file: exactly one source; `blobPrefix` only on container kinds; `filePath` required for `httpUrl`. */
export const resourceFileSchema = z
  .looseObject({
    autoStorageContainerName: optionalString,
    storageContainerUrl: optionalString,
    httpUrl: optionalString,
    blobPrefix: optionalString,
    filePath: optionalString,
    fileMode: optionalString,
    identityReference: z.unknown().optional(),
  })
  .superRefine((file, ctx) => {
    const sources = countOf(file.autoStorageContainerName, file.storageContainerUrl, file.httpUrl);
    if (sources !== 1) {
      raise(ctx, { rule: "RESOURCE_FILE_SOURCE", message: messages.resourceFileSource(sources), fix: { builder: fixes.resourceFileSource.builder(), json: fixes.resourceFileSource.json() } });
    }
    if (file.httpUrl !== undefined && file.blobPrefix !== undefined) {
      raise(ctx, { rule: "RESOURCE_FILE_BLOB_PREFIX", message: messages.resourceFileBlobPrefix(), fix: { builder: fixes.resourceFileBlobPrefix.builder(), json: fixes.resourceFileBlobPrefix.json() } }, ["blobPrefix"]);
    }
    if (file.httpUrl !== undefined && (file.filePath === undefined || file.filePath === "")) {
      raise(ctx, { rule: "RESOURCE_FILE_PATH_REQUIRED", message: messages.resourceFilePathRequired(), fix: { builder: fixes.resourceFilePathRequired.builder(), json: fixes.resourceFilePathRequired.json() } }, ["filePath"]);
    }
    if (file.autoStorageContainerName !== undefined && file.identityReference !== undefined && file.identityReference !== null) {
      raise(ctx, { rule: "RESOURCE_FILE_IDENTITY_ON_AUTOSTORAGE", message: messages.resourceFileIdentityOnAutoStorage(), fix: { builder: fixes.resourceFileIdentityOnAutoStorage.builder(), json: fixes.resourceFileIdentityOnAutoStorage.json() } }, ["identityReference"]);
    }
  });

/** `azureBlobFileSystemConfiguration`: exactly one of `accountKey`, `sasKey`, `identityReference`. */
export const blobMountSchema = z
  .looseObject({
    accountName: z.string(),
    containerName: z.string(),
    relativeMountPath: z.string(),
    accountKey: optionalString,
    sasKey: optionalString,
    identityReference: z.unknown().optional(),
  })
  .superRefine((mount, ctx) => {
    const credentials = countOf(mount.accountKey, mount.sasKey, mount.identityReference);
    if (credentials !== 1) {
      raise(ctx, { rule: "MOUNT_CREDENTIALS", message: messages.mountCredentials(credentials), fix: { builder: fixes.mountCredentials.builder(), json: fixes.mountCredentials.json() } });
    }
  });

/** A pool's or account's `identity`. */
export const identitySchema = z.looseObject({
  type: z.string(),
  userAssignedIdentities: z.record(z.string(), z.unknown()).optional(),
});

/** Account autostorage settings. */
export const autoStorageSchema = z.looseObject({
  storageAccountId: z.string(),
  authenticationMode: z.string().optional(),
  nodeIdentityReference: z.unknown().optional(),
});

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? `${issue.path.map(String).join(".")}: ` : "";
  return `${where}${issue.message}`;
}

/**
 * Parses `value` with `schema` and turns every zod issue into a finding under `path`: rule issues keep
 * their code, anything else is `INVALID_SHAPE`. Returns the parsed value only when there is no shape error.
 */
export function zodFindings<T>(schema: z.ZodType<T>, value: unknown, path: string, voice: Voice, out: Finding[]): T | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  let shapeBroken = false;
  for (const issue of result.error.issues) {
    const params = (issue as { params?: RuleParams }).params;
    let at = path;
    for (const key of issue.path) at = joinPath(at, typeof key === "number" ? key : String(key));
    if (issue.code === "custom" && params?.rule !== undefined) {
      out.push(finding(params.rule, at, params.message, params.fix[voice]));
    } else {
      shapeBroken = true;
      out.push(finding("INVALID_SHAPE", path, messages.invalidShape(describeIssue(issue)), fixes.invalidShape.json()));
    }
  }
  // Rule issues on a well-shaped value still let the cross-reference checks run.
  return shapeBroken ? undefined : (value as T);
}

/**
 * Where Batch requires a command line, per owner: every data-plane task kind requires one
 * (BatchService.json 2024-07-01.20.0: `TaskAddParameter`, `JobManagerTask`, `JobPreparationTask`,
 * `JobReleaseTask` and the auto-pool's `StartTask` all list `commandLine` under `required`); an ARM
 * pool's start task requires one "if any other properties of the startTask are specified"
 * (`@azure/arm-batch` 9.x `StartTask.commandLine`, BatchManagement.json 2025-06-01).
 * Paths are relative to the owner (`properties.` is added for ARM wire bodies).
 */
const commandLineHolders = {
  task: [{ path: "", what: "a task" }],
  job: [
    { path: "jobManagerTask", what: "a job manager task" },
    { path: "jobPreparationTask", what: "a job preparation task" },
    { path: "jobReleaseTask", what: "a job release task" },
    { path: "poolInfo.autoPoolSpecification.pool.startTask", what: "an auto-pool's start task" },
  ],
  pool: [{ path: "startTask", what: "a start task", unlessEmpty: true }],
} as const satisfies Record<string, readonly { path: string; what: string; unlessEmpty?: boolean }[]>;

function ownAt(root: unknown, path: string): unknown {
  let value = root;
  for (const key of path === "" ? [] : path.split(".")) {
    if (typeof value !== "object" || value === null || Array.isArray(value) || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * A missing, non-string or blank `commandLine` where Batch requires one, as `INVALID_SHAPE` at its
 * path. Blank (only whitespace) is refused too: an assumption (the specs say only "required"), as a
 * blank command line can run nothing.
 */
export function commandLineFindings(owner: keyof typeof commandLineHolders, root: unknown, base: string, voice: Voice, dialect: "wire" | "sdk", out: Finding[]): void {
  for (const holder of commandLineHolders[owner] as readonly { path: string; what: string; unlessEmpty?: boolean }[]) {
    const path = owner === "pool" && dialect === "wire" ? `properties.${holder.path}` : holder.path;
    const value = ownAt(root, path);
    if (typeof value !== "object" || value === null || Array.isArray(value)) continue;
    const commandLine = (value as Record<string, unknown>)["commandLine"];
    if (typeof commandLine === "string" && commandLine.trim() !== "") continue;
    if (holder.unlessEmpty === true && commandLine === undefined && Object.keys(value).length === 0) continue;
    const at = joinPath(path === "" ? base : joinPath(base, path), "commandLine");
    // The message is the compile-time error's own sentence (`CommandLineRequiredError`), so a builder's throw reads as its type error.
    const message = commandLine === undefined || typeof commandLine === "string" ? messages.commandLineRequired(holder.what) : messages.invalidShape(`${holder.what}'s commandLine must be a string`);
    const fix = owner === "task" ? fixes.commandLineRequired[voice]() : fixes.commandLineRequired.json();
    out.push(finding("INVALID_SHAPE", at, message, fix));
  }
}
