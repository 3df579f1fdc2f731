/**
 * The one transport policy of typed-batch: which failures are worth another try, how long to wait
 * and when to stop. The pipeline policies of both planes (src/client/retry-policies.ts) and
 * `tasks.addMany` (per chunk and per task) all decide with {@link nextDelay}.
 *
 * Sources: Batch's guidance lists 408, 429, 500, 502, 503 and 504 as transient and asks clients to
 * honour `Retry-After` ("Error handling and detection in Azure Batch",
 * https://learn.microsoft.com/azure/batch/error-handling); ARM throttling answers 429 with
 * `Retry-After` ("Understand how Azure Resource Manager throttles requests",
 * https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling).
 */

/** What a failed request looked like. */
export interface FailureInfo {
  /** HTTP status, when a response came back. */
  readonly status?: number;
  /** Azure error code (`ServerBusy`, `RequestBodyTooLarge`, ...), or a Node error code (`ECONNRESET`). */
  readonly code?: string;
  /** Seconds from a `Retry-After` header. */
  readonly retryAfterSeconds?: number;
}

/**
 * Retry settings shared by every call of the client (`createBatchClient({ retry })`).
 *
 * @example
 * ```ts
 * const retry: RetryOptions = { maxAttempts: 4, totalMs: 20_000 };
 * ```
 */
export interface RetryOptions {
  /**
   * Attempts per request, the first included. `tasks.addMany` counts per task and has its own default (30).
   * @default 8
   */
  readonly maxAttempts?: number;
  /**
   * First delay in milliseconds; each further attempt doubles it (full jitter over its upper half).
   * @default 200
   */
  readonly baseMs?: number;
  /**
   * Longest computed delay in milliseconds (a `Retry-After` from the service may be longer).
   * @default 10000
   */
  readonly maxMs?: number;
  /**
   * No attempt starts later than this many milliseconds after the first one; a `Retry-After`
   * that would pass it ends the retries with the service's answer.
   * @default 60000
   */
  readonly totalMs?: number;
}

/** The documented defaults of {@link RetryOptions}. */
export const retryDefaults: Readonly<Required<RetryOptions>> = Object.freeze({ maxAttempts: 8, baseMs: 200, maxMs: 10_000, totalMs: 60_000 });

/** Statuses Batch and ARM document as transient. */
const retriableStatuses = new Set([408, 429, 500, 502, 503, 504]);

/** Codes of dropped connections and of the services' transient errors. */
const retriableCodes = new Set([
  "ServerBusy",
  "OperationTimedOut",
  "InternalServerError",
  "TooManyRequests",
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "REQUEST_SEND_ERROR",
  "socket hang up",
]);

/** True when another attempt may succeed. */
export function isRetriable(failure: FailureInfo): boolean {
  if (failure.status !== undefined && retriableStatuses.has(failure.status)) return true;
  return failure.code !== undefined && retriableCodes.has(failure.code);
}

/** Seconds of a `Retry-After` value: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (value === undefined || value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds : undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - Date.now()) / 1000);
}

/** Reads status, code and Retry-After from an `@azure/ms-rest-js` or `@azure/core-rest-pipeline` `RestError`, or a Node error. */
export function failureOf(error: unknown): FailureInfo {
  const e = error as { statusCode?: number; code?: string; body?: { code?: string }; response?: { headers?: { get(name: string): string | null | undefined } }; message?: string };
  const retryAfter = parseRetryAfter(e.response?.headers?.get("retry-after"));
  const bodyCode = typeof e.body?.code === "string" ? e.body.code : undefined;
  const code = bodyCode ?? e.code ?? (typeof e.message === "string" && /socket hang up|ECONNRESET/.test(e.message) ? "socket hang up" : undefined);
  return {
    ...(e.statusCode !== undefined && { status: e.statusCode }),
    ...(code !== undefined && { code }),
    ...(retryAfter !== undefined && { retryAfterSeconds: retryAfter }),
  };
}

/** Delay before attempt `attempt + 1` (1-based): `Retry-After` when given, else exponential with full jitter over the upper half. */
export function backoffDelay(attempt: number, failure: FailureInfo, options: RetryOptions = {}): number {
  if (failure.retryAfterSeconds !== undefined) return failure.retryAfterSeconds * 1000;
  const base = options.baseMs ?? retryDefaults.baseMs;
  const cap = Math.min(options.maxMs ?? retryDefaults.maxMs, base * 2 ** (attempt - 1));
  return Math.round(cap / 2 + (Math.random() * cap) / 2);
}

/**
 * The policy's decision after attempt `attempt` failed: milliseconds to wait before the next
 * attempt, or `undefined` to stop (not retriable, attempts spent, or past the time budget).
 */
export function nextDelay(attempt: number, failure: FailureInfo, elapsedMs: number, options: RetryOptions = {}): number | undefined {
  if (!isRetriable(failure) || attempt >= (options.maxAttempts ?? retryDefaults.maxAttempts)) return undefined;
  const delay = backoffDelay(attempt, failure, options);
  return elapsedMs + delay > (options.totalMs ?? retryDefaults.totalMs) ? undefined : delay;
}

/** Waits `ms`, or rejects when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The delays of {@link RetryOptions}, as `tasks.addMany` takes them per call. */
export type BackoffOptions = Pick<RetryOptions, "baseMs" | "maxMs">;
