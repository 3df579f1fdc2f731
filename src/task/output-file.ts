import type { OutputFile, OutputFileUploadCondition } from "@azure/batch";

/** When an output file is uploaded (the REST API's spelling; the SDK's lower-case one is accepted too). */
export type UploadCondition = "taskSuccess" | "taskFailure" | "taskCompletion" | OutputFileUploadCondition;
import type { UserAssignedIdentity } from "../identity/user-assigned-identity.js";
import { TypedBatchError } from "../errors/typed-batch-error.js";
import { finding } from "../rules/finding.js";
import { fixes, messages } from "../rules/messages.js";

/** An output file uploaded to a blob container, optionally with a pool identity. */
export interface ContainerOutputFile<Key extends string = string, Id extends string = string> {
  /** Discriminant. */
  readonly kind: "container";
  /** Which files to upload (relative to the task working directory; wildcards allowed). */
  readonly filePattern: string;
  /** Destination container URL (with a SAS, or writable by `identity`). */
  readonly containerUrl: string;
  /**
   * Blob name or virtual directory in the container.
   * @default the file's path relative to the working directory
   */
  readonly path?: string;
  /** When to upload. */
  readonly uploadCondition: UploadCondition;
  /**
   * The pool identity the node uses to write the container.
   * @default none: the URL must carry a SAS with write permission
   */
  readonly identity?: UserAssignedIdentity<Key, Id>;
}

/** Options of {@link outputFile | outputFile.toContainer}. */
export interface ContainerOutputOptions {
  /** Which files to upload. */
  readonly filePattern: string;
  /** Destination container URL. */
  readonly containerUrl: string;
  /**
   * Blob name or virtual directory in the container.
   * @default the file's path relative to the working directory
   */
  readonly path?: string;
  /**
   * When to upload.
   * @default "taskCompletion"
   */
  readonly uploadCondition?: UploadCondition;
}

// One signature: `Key` comes from `identity` only (see resourceFile's factories).
function toContainer<const Key extends string = never, const Id extends string = string>(
  options: ContainerOutputOptions & { readonly identity?: UserAssignedIdentity<Key, Id> },
): ContainerOutputFile<NoInfer<Key>, NoInfer<Id>> {
  return Object.freeze<ContainerOutputFile>({
    kind: "container" as const,
    filePattern: options.filePattern,
    containerUrl: options.containerUrl,
    uploadCondition: options.uploadCondition ?? "taskCompletion",
    ...(options.path !== undefined && { path: options.path }),
    ...(options.identity !== undefined && { identity: options.identity }),
  }) as ContainerOutputFile<Key, Id>;
}

/**
 * Makes task output files.
 *
 * @example
 * ```ts
 * import { outputFile, userAssignedIdentity } from "typed-batch";
 * const writer = userAssignedIdentity(process.env.WRITER_ID ?? "", "writer");
 * const frames = outputFile.toContainer({
 *   filePattern: "*.png", containerUrl: "https://out.blob.core.windows.net/frames", identity: writer, uploadCondition: "taskSuccess" });
 * ```
 * @see https://learn.microsoft.com/azure/batch/batch-task-output-files
 */
export const outputFile = Object.freeze({
  /** Upload files matching a pattern to a blob container. */
  toContainer,
});

/** The `@azure/batch` form of an output file. */
export function outputFileToAzure(file: ContainerOutputFile, index?: number): OutputFile {
  // JavaScript callers can pass anything: refuse what outputFile.toContainer does not make.
  if (typeof file !== "object" || file === null || (file as { kind?: unknown }).kind !== "container") {
    const got = file === null ? "null" : typeof file === "object" ? "an object without kind 'container'" : typeof file;
    throw new TypedBatchError([finding("INVALID_SHAPE", typeof index === "number" ? `outputFiles[${index}]` : "outputFiles", messages.invalidShape(`expected an output file made by outputFile.toContainer, got ${got}`), fixes.invalidShape.json())]);
  }
  return {
    filePattern: file.filePattern,
    destination: {
      container: {
        containerUrl: file.containerUrl,
        ...(file.path !== undefined && { path: file.path }),
        ...(file.identity !== undefined && { identityReference: { resourceId: file.identity.resourceId } }),
      },
    },
    uploadOptions: { uploadCondition: file.uploadCondition.toLowerCase() as OutputFileUploadCondition },
  };
}
