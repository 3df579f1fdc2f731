import type { PipelinePolicy, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import type { HttpOperationResponse, RequestPolicy, RequestPolicyFactory, WebResourceLike } from "@azure/ms-rest-js";
import { type FailureInfo, failureOf, nextDelay, parseRetryAfter, type RetryOptions, sleep } from "./retry.js";

/**
 * The transport policy of src/client/retry.ts as a policy of each SDK's pipeline, so every request
 * of the typed client (single calls, list pages, LRO polls, the doctor's reads) is retried the
 * same way: `@azure/core-rest-pipeline` for ARM, `@azure/ms-rest-js` for the Batch data plane.
 *
 * The answer that ends the retries carries the number of attempts in the response header
 * {@link attemptsHeader}, so a create that gets 409 `...Exists` after a retry of ours can be
 * told apart from one that collided with someone else's resource.
 */

/** Response header (set by us, never sent by Azure) with the attempts a request took. */
export const attemptsHeader = "x-typed-batch-attempts";

/** Request header (removed before sending) asking the policy not to retry: `addMany` retries per task itself. */
export const noRetryHeader = "x-typed-batch-no-retry";

/** Attempts recorded on an SDK error's response by the retry policy (1 when it was not retried). */
export function attemptsOf(error: unknown): number {
  const headers = (error as { response?: { headers?: { get?(name: string): string | null | undefined } } }).response?.headers;
  const value = Number(headers?.get?.(attemptsHeader));
  return Number.isFinite(value) && value > 0 ? value : 1;
}

/** What a response says about retrying. */
function responseFailure(status: number, headers: { get(name: string): string | null | undefined }): FailureInfo {
  const code = headers.get("x-ms-error-code") ?? undefined;
  const retryAfter = parseRetryAfter(headers.get("retry-after"));
  return { status, ...(code != null && { code }), ...(retryAfter !== undefined && { retryAfterSeconds: retryAfter }) };
}

/**
 * Runs `send` until it succeeds or the policy stops; `signal` cancels the waits. A response with an
 * error status comes back as it is (the SDK turns it into its own error); a thrown error is rethrown.
 */
async function withRetries<R extends { status: number; headers: { get(name: string): string | null | undefined; set(name: string, value: string): void } }>(
  send: () => Promise<R>,
  options: RetryOptions,
  signal: AbortSignal | undefined,
): Promise<R> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    let response: R | undefined;
    let error: unknown;
    try {
      response = await send();
    } catch (e) {
      error = e;
    }
    if (signal?.aborted) throw error ?? signal.reason;
    const failure = response !== undefined ? responseFailure(response.status, response.headers) : failureOf(error);
    const delay = response !== undefined && response.status < 400 ? undefined : nextDelay(attempt, failure, Date.now() - started, options);
    if (delay === undefined) {
      if (attempt > 1) {
        const headers = response?.headers ?? (error as { response?: { headers?: R["headers"] } } | undefined)?.response?.headers;
        headers?.set(attemptsHeader, String(attempt));
      }
      if (response !== undefined) return response;
      throw error;
    }
    await sleep(delay, signal);
  }
}

/** The policy for `@azure/core-rest-pipeline` (ARM clients); it replaces their default retry policies. */
export function coreRetryPolicy(options: RetryOptions): PipelinePolicy {
  return {
    name: "typedBatchRetry",
    sendRequest(request: PipelineRequest, next): Promise<PipelineResponse> {
      if (request.headers.has(noRetryHeader)) {
        request.headers.delete(noRetryHeader);
        return next(request);
      }
      return withRetries(() => next(request), options, request.abortSignal as AbortSignal | undefined);
    },
  };
}

/** The policy for `@azure/ms-rest-js` (the Batch data-plane client), placed outermost so each attempt is signed afresh. */
export function msRestRetryPolicy(options: RetryOptions): RequestPolicyFactory {
  return {
    create(nextPolicy: RequestPolicy): RequestPolicy {
      return {
        sendRequest(request: WebResourceLike): Promise<HttpOperationResponse> {
          if (request.headers.contains(noRetryHeader)) {
            request.headers.remove(noRetryHeader);
            return nextPolicy.sendRequest(request);
          }
          return withRetries(() => nextPolicy.sendRequest(request), options, request.abortSignal as AbortSignal | undefined);
        },
      };
    },
  };
}
