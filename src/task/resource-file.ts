import type { ResourceFile } from "@azure/batch";
import { TypedBatchError } from "../errors/typed-batch-error.js";
import { finding } from "../rules/finding.js";
import { fixes, messages } from "../rules/messages.js";
import type { UserAssignedIdentity } from "../identity/user-assigned-identity.js";

/** Options every resource file kind takes. */
interface FileOptions {
  /**
   * Where the file(s) go on the node, relative to the task working directory.
   * @default the task working directory (`root/wd`)
   */
  readonly filePath?: string;
  /**
   * Octal file mode, Linux nodes only (e.g. `"0755"`).
   * @default "0770" on Linux; ignored on Windows
   */
  readonly fileMode?: string;
}

/** A resource file read from the account's autostorage container, with the account's node identity. */
export interface AutoStorageResourceFile extends FileOptions {
  /** Discriminant. */
  readonly kind: "autoStorageContainer";
  /** The autostorage container's name. */
  readonly containerName: string;
  /**
   * Only blobs whose names start with this prefix.
   * @default every blob in the container
   */
  readonly blobPrefix?: string;
}

/** A resource file read from a blob container URL, optionally with a pool identity. */
export interface ContainerUrlResourceFile<Key extends string = string, Id extends string = string> extends FileOptions {
  /** Discriminant. */
  readonly kind: "containerUrl";
  /** The container URL (with a SAS, or readable by `identity`). */
  readonly url: string;
  /**
   * Only blobs whose names start with this prefix.
   * @default every blob in the container
   */
  readonly blobPrefix?: string;
  /**
   * The pool identity the node uses to read the container.
   * @default none: the URL must be public or carry a SAS
   */
  readonly identity?: UserAssignedIdentity<Key, Id>;
}

/** A single file downloaded from an HTTP URL, optionally with a pool identity. */
export interface HttpUrlResourceFile<Key extends string = string, Id extends string = string> {
  /** Discriminant. */
  readonly kind: "httpUrl";
  /** The file URL. */
  readonly url: string;
  /** The file's path on the node, relative to the task working directory (required for HTTP URLs). */
  readonly filePath: string;
  /**
   * Octal file mode, Linux nodes only.
   * @default "0770" on Linux
   */
  readonly fileMode?: string;
  /**
   * The pool identity the node uses to download the file.
   * @default none: the URL must be public or carry a SAS
   */
  readonly identity?: UserAssignedIdentity<Key, Id>;
}

/**
 * A resource file: exactly one source by construction.
 * @typeParam Key - the key of the identity it uses (`never` when none).
 */
export type ResourceFileSpec<Key extends string = string> = AutoStorageResourceFile | ContainerUrlResourceFile<Key> | HttpUrlResourceFile<Key>;

/** Options of {@link resourceFile | resourceFile.fromContainerUrl} without an identity. */
export interface ContainerUrlOptions extends FileOptions {
  /**
   * Only blobs whose names start with this prefix.
   * @default every blob
   */
  readonly blobPrefix?: string;
}

/** Options of {@link resourceFile | resourceFile.fromHttpUrl} without an identity. */
export interface HttpUrlOptions {
  /** The file's path on the node (required). */
  readonly filePath: string;
  /**
   * Octal file mode, Linux nodes only.
   * @default "0770" on Linux
   */
  readonly fileMode?: string;
}

function freeze<T extends object>(value: T): T {
  return Object.freeze(Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined))) as T;
}

function fromAutoStorageContainer(containerName: string, options: ContainerUrlOptions = {}): AutoStorageResourceFile {
  return freeze({ kind: "autoStorageContainer", containerName, ...options });
}

// One signature each: `Key` comes from `identity` only (`NoInfer` keeps the caller's expected type
// from widening it to `string`), and is `never` without one. Overloads cost a failed attempt per call.
function fromContainerUrl<const Key extends string = never, const Id extends string = string>(
  url: string,
  options: ContainerUrlOptions & { readonly identity?: UserAssignedIdentity<Key, Id> } = {},
): ContainerUrlResourceFile<NoInfer<Key>, NoInfer<Id>> {
  return freeze({ kind: "containerUrl", url, ...options }) as ContainerUrlResourceFile<Key, Id>;
}

function fromHttpUrl<const Key extends string = never, const Id extends string = string>(
  url: string,
  options: HttpUrlOptions & { readonly identity?: UserAssignedIdentity<Key, Id> },
): HttpUrlResourceFile<NoInfer<Key>, NoInfer<Id>> {
  return freeze({ kind: "httpUrl", url, ...options }) as HttpUrlResourceFile<Key, Id>;
}

/**
 * Makes resource files: one factory per source, so "exactly one source" holds by construction,
 * `filePath` is required for HTTP URLs and `blobPrefix` exists only on the container kinds.
 *
 * @example
 * ```ts
 * import { resourceFile, userAssignedIdentity } from "typed-batch";
 * const reader = userAssignedIdentity(process.env.READER_ID ?? "", "reader");
 * const files = [
 *   resourceFile.fromAutoStorageContainer("inputs", { blobPrefix: "scene/" }),
 *   resourceFile.fromContainerUrl("https://data.blob.core.windows.net/models", { identity: reader }),
 *   resourceFile.fromHttpUrl("https://data.blob.core.windows.net/models/model.bin", { filePath: "model.bin", identity: reader }),
 * ];
 * ```
 * @see https://learn.microsoft.com/rest/api/batchservice/task/add#resourcefile
 */
export const resourceFile = Object.freeze({
  /**
   * Files from the account's autostorage container. They carry no identity: the node uses the
   * account's node identity reference, which must then be attached to the pool.
   */
  fromAutoStorageContainer,
  /** Files from a blob container URL, optionally read with a pool identity. */
  fromContainerUrl,
  /** One file from an HTTP URL; `filePath` is required. */
  fromHttpUrl,
});

/** The Azure wire/SDK form of a resource file (same shape in `@azure/arm-batch` and `@azure/batch`). */
export function resourceFileToAzure(file: ResourceFileSpec, index?: number): ResourceFile {
  // JavaScript callers can pass anything: refuse what no factory makes instead of sending `null`.
  const kind = typeof file === "object" && file !== null ? (file as { kind?: unknown }).kind : undefined;
  if (kind !== "autoStorageContainer" && kind !== "containerUrl" && kind !== "httpUrl") {
    throw new TypedBatchError([
      finding("INVALID_SHAPE", typeof index === "number" ? `resourceFiles[${index}]` : "resourceFiles", messages.invalidShape(`expected a resource file made by resourceFile.fromAutoStorageContainer, .fromContainerUrl or .fromHttpUrl, got ${file === null ? "null" : typeof file === "object" ? "an object without a kind" : typeof file}`), fixes.invalidShape.json()),
    ]);
  }
  const common = { ...(file.filePath !== undefined && { filePath: file.filePath }), ...(file.fileMode !== undefined && { fileMode: file.fileMode }) };
  switch (file.kind) {
    case "autoStorageContainer":
      return { autoStorageContainerName: file.containerName, ...(file.blobPrefix !== undefined && { blobPrefix: file.blobPrefix }), ...common };
    case "containerUrl":
      return {
        storageContainerUrl: file.url,
        ...(file.blobPrefix !== undefined && { blobPrefix: file.blobPrefix }),
        ...common,
        ...(file.identity !== undefined && { identityReference: { resourceId: file.identity.resourceId } }),
      };
    case "httpUrl":
      // `blobPrefix` cannot be typed here; if JavaScript passed one anyway, keep it so the guard reports it.
      const stray = (file as { blobPrefix?: string }).blobPrefix;
      return {
        httpUrl: file.url,
        ...(stray !== undefined && { blobPrefix: stray }),
        ...common,
        ...(file.identity !== undefined && { identityReference: { resourceId: file.identity.resourceId } }),
      };
  }
}
