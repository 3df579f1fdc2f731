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
