import type { BatchServiceClient } from "@azure/batch";
import { noRetryHeader } from "./retry-policies.js";

/**
 * One `POST /jobs/{jobId}/addtaskcollection`, sent through the `BatchServiceClient`'s own pipeline
 * (credential with the Batch audience, TLS agent) with a body built from each task's JSON.
 *
 * `task.addCollection` would serialise every task again through the SDK's mapper and deserialise
 * every result through it; at 10^5 tasks that costs more CPU than the guards. The wire format of
 * `TaskAddParameter` is its JSON, so joining the per-task JSON we already made for sizing is exact.
 */

/** One per-task result of the call. */
export interface CollectionTaskResult {
  /** `success`, `clientError` or `serverError` (the service's spelling varies in case). */
  readonly status: string;
  /** The task id. */
  readonly taskId: string;
  /** The error, when the task was not added. */
  readonly error?: { readonly code?: string; readonly message?: { readonly value?: string } };
}

/** The parsed answer of a successful call. */
export interface CollectionResult {
  /** Per-task results. */
  readonly value: readonly CollectionTaskResult[];
}

/** A non-2xx answer, shaped like the SDK's `RestError` so the retry logic reads both alike. */
export class CollectionRequestError extends Error {
  /** Always `"CollectionRequestError"`. */
  override readonly name = "CollectionRequestError";
  /** HTTP status. */
  readonly statusCode: number;
  /** The Batch error body. */
  readonly body: { readonly code?: string } | undefined;
  /** Response headers (for `Retry-After`). */
  readonly response: { readonly headers: { get(name: string): string | undefined } };

  /** @param status HTTP status; @param body parsed body; @param headers response headers. */
  constructor(status: number, body: { code?: string; message?: { value?: string } } | undefined, headers: { get(name: string): string | undefined }) {
    super(`addtaskcollection answered ${status}${body?.code ? ` ${body.code}` : ""}${body?.message?.value ? `: ${body.message.value}` : ""}`);
    this.statusCode = status;
    this.body = body;
    this.response = { headers };
  }
}

/** Sends one chunk; resolves with the per-task results, rejects with a `CollectionRequestError` or the transport's error. */
export async function postTaskCollection(client: BatchServiceClient, jobId: string, taskJson: readonly string[], signal?: AbortSignal): Promise<CollectionResult> {
  const base = client.batchUrl.replace(/\/+$/, "");
  const response = await client.sendRequest({
    method: "POST",
    url: `${base}/jobs/${encodeURIComponent(jobId)}/addtaskcollection?api-version=${encodeURIComponent(client.apiVersion ?? "2022-10-01.16.0")}`,
    // addMany applies the transport policy per task (a retried chunk may be partly added).
    headers: { "content-type": "application/json; odata=minimalmetadata; charset=utf-8", [noRetryHeader]: "1" },
    body: `{"value":[${taskJson.join(",")}]}`,
    // The body is JSON already; ms-rest-js would otherwise stringify the string again.
    disableJsonStringifyOnBody: true,
    ...(signal && { abortSignal: signal as never }),
  });
  const parsed = (response.parsedBody ?? safeParse(response.bodyAsText)) as { value?: CollectionTaskResult[]; code?: string; message?: { value?: string } } | undefined;
  if (response.status < 200 || response.status >= 300) {
    throw new CollectionRequestError(response.status, parsed, { get: (name) => response.headers.get(name) });
  }
  return { value: parsed?.value ?? [] };
}

function safeParse(text: string | null | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
