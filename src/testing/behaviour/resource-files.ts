/**
 * Resource file downloads and output file uploads, by mechanism (IMDS token,
 * then Blob Storage). Failure codes, as Batch reports them in
 * `executionInfo.failureInfo.code` (codes, categories and messages from `src/azure`):
 *
 * | source                    | IMDS refuses the identity (not on the pool) | Storage refuses (no identity / no role) | not found |
 * |---------------------------|-----------------------------------------------|------------------------------------------|-----------|
 * | `autoStorageContainerName`| `ResourceContainerListMiscError`              | `ResourceContainerAccessDenied`          | `ResourceContainerNotFound` |
 * | `storageContainerUrl`     | `ResourceContainerListMiscError`              | `ResourceContainerAccessDenied`          | `ResourceContainerNotFound` |
 * | `httpUrl` (blob URL)      | `BlobDownloadMiscError`                       | `BlobAccessDenied`                       | `BlobNotFound` |
 * | output file upload        | `FileUploadMiscError`                         | `FileUploadAccessDenied`                 | `FileUploadContainerNotFound` |
 *
 * An `autoStorageContainerName` file uses the account's node identity
 * reference; without one (under `BatchAccountManagedIdentity`) the node has
 * no credential and Storage refuses it: `ResourceContainerAccessDenied`.
 * `httpUrl` files that are not blob URLs download without checks.
 */
import { parseBlobUrl, putBlob } from "../blob/blob.js";
import type { Env } from "../env.js";
import { storageAccountName } from "../ids.js";
import type { AccountRecord, NodeFile, NodeRecord } from "../state.js";
import type { TaskFailureCode } from "../../azure/index.js";
import { failureDetails, openContainer, type AgentFailure, type StorageTarget } from "./agent.js";
import { taskFailure, type FailureInfo } from "./failures.js";

export type { FailureInfo } from "./failures.js";

type Kind = "container" | "blob" | "upload";

function classify(kind: Kind, failure: AgentFailure): TaskFailureCode {
  const misc = { container: "ResourceContainerListMiscError", blob: "BlobDownloadMiscError", upload: "FileUploadMiscError" } as const;
  const denied = { container: "ResourceContainerAccessDenied", blob: "BlobAccessDenied", upload: "FileUploadAccessDenied" } as const;
  const missing = { container: "ResourceContainerNotFound", blob: "BlobNotFound", upload: "FileUploadContainerNotFound" } as const;
  if (failure.stage === "imds") return misc[kind];
  if (failure.status === 401 || failure.status === 403) return denied[kind];
  if (failure.status === 404) return missing[kind];
  return misc[kind];
}

function fail(kind: Kind, failure: AgentFailure, extra: Array<{ name: string; value: string }>): FailureInfo {
  return taskFailure(classify(kind, failure), [...extra, ...failureDetails(failure)]);
}

const ref = (value: unknown): string | undefined => {
  const id = (value as { resourceId?: unknown } | undefined)?.resourceId;
  return typeof id === "string" ? id : undefined;
};

const joinPath = (...parts: Array<string | undefined>): string =>
  parts
    .filter((p): p is string => p !== undefined && p !== "")
    .join("/")
    .replace(/\/+/g, "/");

/**
 * Downloads `files` for a task (or start task) into `into` under `wd/`.
 * Returns the failure of the first file that fails, like Batch.
 * @internal
 */
export function downloadResourceFiles(
  env: Env,
  account: AccountRecord,
  node: NodeRecord,
  files: unknown,
  into: Map<string, NodeFile>,
): FailureInfo | undefined {
  if (!Array.isArray(files)) return undefined;
  const now = env.world.clock.now();
  for (const raw of files as Array<Record<string, unknown>>) {
    const filePath = typeof raw["filePath"] === "string" ? raw["filePath"] : undefined;
    const identity = ref(raw["identityReference"]);
    const autoName = raw["autoStorageContainerName"];
    const containerUrl = raw["storageContainerUrl"];
    const httpUrl = raw["httpUrl"];
    if (typeof autoName === "string" || typeof containerUrl === "string") {
      let target: StorageTarget;
      if (typeof autoName === "string") {
        const auto = account.autoStorage;
        const storage = auto ? storageAccountName(auto.storageAccountId) : undefined;
        const byKeys = auto?.authenticationMode === "StorageKeys";
        target = {
          account: storage ?? "",
          container: autoName.toLowerCase(),
          // The node uses the account's node identity reference, never the file's.
          identity: byKeys ? undefined : auto?.nodeIdentityReference,
          sas: byKeys,
        };
      } else {
        const loc = parseBlobUrl(String(containerUrl), env.url());
        if (!loc) {
          return taskFailure("ResourceContainerListMiscError", [{ name: "ContainerUrl", value: String(containerUrl) }]);
        }
        target = { account: loc.account, container: loc.container, identity, sas: loc.sas };
      }
      const where = [{ name: "ContainerName", value: target.container }];
      const opened = openContainer(env, node, target, "read");
      if (!opened.ok) return fail("container", opened.failure, where);
      if (!opened.blobs) return fail("container", { stage: "storage", status: 404, code: "ContainerNotFound" }, where);
      const prefix = typeof raw["blobPrefix"] === "string" ? raw["blobPrefix"] : "";
      for (const [name, blob] of opened.blobs) {
        if (name.startsWith(prefix)) into.set(joinPath("wd", filePath, name), { content: blob.content, at: now });
      }
    } else if (typeof httpUrl === "string") {
      const loc = parseBlobUrl(httpUrl, env.url());
      const dest = joinPath("wd", filePath ?? httpUrl.split("/").pop());
      if (!loc || loc.blob === undefined) {
        into.set(dest, { content: Buffer.from(`downloaded from ${httpUrl}`), at: now });
        continue;
      }
      const where = [{ name: "BlobSource", value: httpUrl.split("?")[0] ?? httpUrl }, { name: "FilePath", value: filePath ?? "" }];
      const opened = openContainer(env, node, { account: loc.account, container: loc.container, identity, sas: loc.sas }, "read");
      if (!opened.ok) return fail("blob", opened.failure, where);
      const blob = opened.blobs?.get(loc.blob);
      if (!blob) return fail("blob", { stage: "storage", status: 404, code: "BlobNotFound" }, where);
      into.set(dest, { content: blob.content, at: now });
    }
  }
  return undefined;
}

function globToRegex(pattern: string): RegExp {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? "";
    if (c === "*" && pattern[i + 1] === "*") {
      out += ".*";
      i++;
      if (pattern[i + 1] === "/") i++;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else out += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

/**
 * Uploads a finished task's output files whose upload condition matches.
 * Files are task-relative paths (`wd/...`, `stdout.txt`).
 * @internal
 */
export function uploadOutputFiles(
  env: Env,
  node: NodeRecord,
  outputs: unknown,
  files: Map<string, NodeFile>,
  succeeded: boolean,
): FailureInfo | undefined {
  if (!Array.isArray(outputs)) return undefined;
  for (const raw of outputs as Array<Record<string, unknown>>) {
    const condition = String((raw["uploadOptions"] as { uploadCondition?: unknown } | undefined)?.uploadCondition ?? "taskcompletion").toLowerCase();
    if ((condition === "tasksuccess" && !succeeded) || (condition === "taskfailure" && succeeded)) continue;
    const container = (raw["destination"] as { container?: Record<string, unknown> } | undefined)?.container;
    const url = typeof container?.["containerUrl"] === "string" ? container["containerUrl"] : "";
    const loc = parseBlobUrl(url, env.url());
    const where = [{ name: "ContainerUrl", value: url.split("?")[0] ?? url }];
    if (!loc) return taskFailure("FileUploadMiscError", where);
    const opened = openContainer(env, node, { account: loc.account, container: loc.container, identity: ref(container?.["identityReference"]), sas: loc.sas }, "write");
    if (!opened.ok) return fail("upload", opened.failure, where);
    if (!opened.blobs) return fail("upload", { stage: "storage", status: 404, code: "ContainerNotFound" }, where);
    const pattern = typeof raw["filePattern"] === "string" ? raw["filePattern"] : "";
    // filePattern is relative to the task's working directory (`wd/`); stdout.txt and stderr.txt sit
    // one level up, in the task directory, and Batch's documented way to upload them is
    // `../std*.txt` (data-plane spec 2024-07-01.20.0, OutputFile.filePattern). `**` does not climb out of wd.
    const relPattern = pattern.replace(/^\.?\//, "");
    const regex = globToRegex(relPattern);
    const up = relPattern.startsWith("../");
    const wildcard = /[*?]/.test(pattern);
    const path = typeof container?.["path"] === "string" ? container["path"] : undefined;
    for (const [name, file] of files) {
      const rel = name.startsWith("wd/") ? name.slice(3) : `../${name}`;
      if (rel.startsWith("../") !== up || !regex.test(rel)) continue;
      const base = rel.replace(/^(\.\.\/)+/, "");
      const blobName = wildcard ? joinPath(path, base) : (path ?? base);
      putBlob(env.world, opened.storage, loc.container, blobName, file.content);
    }
  }
  return undefined;
}
