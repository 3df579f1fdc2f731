/**
 * Which failures of a data-plane call are worth another try, and how long to wait.
 * Shared by `tasks.addMany` (per chunk and per task) and the single-call operations.
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

const retriableCodes = new Set(["ServerBusy", "OperationTimedOut", "InternalServerError", "TooManyRequests", "ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "REQUEST_SEND_ERROR", "socket hang up"]);

/** True when another attempt may succeed. */
export function isRetriable(failure: FailureInfo): boolean {
  if (failure.status === 429 || (failure.status !== undefined && failure.status >= 500)) return true;
  return failure.code !== undefined && retriableCodes.has(failure.code);
}

/** Reads status, code and Retry-After from an `@azure/ms-rest-js` `RestError` or a Node error. */
export function failureOf(error: unknown): FailureInfo {
  const e = error as { statusCode?: number; code?: string; body?: { code?: string }; response?: { headers?: { get(name: string): string | undefined } }; message?: string };
  const retryAfter = Number(e.response?.headers?.get("retry-after"));
  const code = e.body?.code ?? e.code ?? (typeof e.message === "string" && e.message.includes("socket hang up") ? "socket hang up" : undefined);
  return {
    ...(e.statusCode !== undefined && { status: e.statusCode }),
    ...(code !== undefined && { code }),
    ...(Number.isFinite(retryAfter) && retryAfter >= 0 && { retryAfterSeconds: retryAfter }),
  };
}

/** Options of the backoff. */
export interface BackoffOptions {
  /**
   * First delay in milliseconds.
   * @default 200
   */
  readonly baseMs?: number;
  /**
   * Longest delay in milliseconds.
   * @default 10000
   */
  readonly maxMs?: number;
}

/** Delay before attempt `attempt` (1-based): `Retry-After` when given, else exponential with full jitter. */
export function backoffDelay(attempt: number, failure: FailureInfo, options: BackoffOptions = {}): number {
  if (failure.retryAfterSeconds !== undefined) return failure.retryAfterSeconds * 1000;
  const base = options.baseMs ?? 200;
  const cap = Math.min(options.maxMs ?? 10_000, base * 2 ** (attempt - 1));
  return Math.round(cap / 2 + (Math.random() * cap) / 2);
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
