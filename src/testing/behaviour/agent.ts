/**
 * The node agent's way to storage, done the way a real node does it: ask the
 * node's IMDS for a token pinned to an identity (`mi_res_id`), then call Blob
 * Storage with it. The same functions answer the emulator's HTTP IMDS and
 * Blob endpoints, so a node and a test client always see the same answers.
 */
import { STATUS_CODES } from "node:http";
import { authorizeBlob, type BlobAuth } from "../blob/blob.js";
import type { Env } from "../env.js";
import { imdsToken } from "../imds/imds.js";
import type { BlobRecord, NodeRecord, StorageRecord } from "../state.js";

/** Where the agent goes and with which credential. @internal */
export interface StorageTarget {
  /** Storage account name (lower case). */
  account: string;
  container: string;
  /** Identity resource id to ask IMDS for; absent: SAS or anonymous. */
  identity?: string | undefined;
  /** A SAS is present in the URL (or the node uses account keys). */
  sas: boolean;
}

/** Why storage could not be reached. @internal */
export type AgentFailure =
  | { stage: "imds"; status: number; error: string; description: string }
  | { stage: "storage"; status: number; code: string };

/** Result of the agent's attempt to open a container. @internal */
export type Opened =
  | { ok: true; storage: StorageRecord; blobs: Map<string, BlobRecord> | undefined }
  | { ok: false; failure: AgentFailure };

const STORAGE_RESOURCE = "https://storage.azure.com/";

/** Gets a token (if an identity is named) and checks access to a container. @internal */
export function openContainer(env: Env, node: NodeRecord, target: StorageTarget, access: "read" | "write"): Opened {
  let auth: BlobAuth = target.sas ? { kind: "sas" } : { kind: "anonymous" };
  if (target.identity !== undefined) {
    const query = new URLSearchParams({ "api-version": "2018-02-01", resource: STORAGE_RESOURCE, mi_res_id: target.identity });
    const outcome = imdsToken(env.world, node, query, "true");
    if (!outcome.ok) {
      return { ok: false, failure: { stage: "imds", status: outcome.status, error: outcome.body.error, description: outcome.body.error_description } };
    }
    auth = { kind: "bearer", token: outcome.body["access_token"] ?? "" };
  }
  const storage = env.world.storage.get(target.account);
  if (!storage) return { ok: false, failure: { stage: "storage", status: 404, code: "ResourceNotFound" } };
  const denied = authorizeBlob(env.world, auth, true, storage, target.container, access);
  if (denied) {
    const code = (denied.headers?.["x-ms-error-code"] ?? "AuthenticationFailed");
    return { ok: false, failure: { stage: "storage", status: denied.status, code } };
  }
  return { ok: true, storage, blobs: storage.containers.get(target.container) };
}

/** `name: value` details describing a failure, for failureInfo.details. @internal */
export function failureDetails(failure: AgentFailure): Array<{ name: string; value: string }> {
  if (failure.stage === "imds") {
    return [
      { name: "httpStatusCode", value: String(failure.status) },
      { name: "Message", value: `Managed identity token request failed: HTTP ${failure.status} ${STATUS_CODES[failure.status] ?? ""}`.trimEnd() },
      { name: "errorCode", value: failure.error },
      { name: "errorDescription", value: failure.description },
    ];
  }
  return [
    { name: "httpStatusCode", value: String(failure.status) },
    { name: "errorCode", value: failure.code },
  ];
}
