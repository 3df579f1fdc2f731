import { redact } from "../errors/redact.js";

const brand = Symbol.for("typed-batch.AzureRequestError");

/**
 * A request Azure answered with an error (or that never got an answer), as the typed client
 * reports it: Azure's code, the HTTP status and the request id, with a redacted message.
 *
 * The SDKs' own errors carry the request (its body holds task command lines and SAS URLs) and the
 * response (an echoed `Authorization` header); `console.error(err)` would print them. This error
 * keeps neither, not even as `cause`.
 *
 * @example
 * ```ts
 * import { AzureRequestError } from "typed-batch";
 * try {
 *   throw new AzureRequestError("jobs.create", { code: "JobExists", statusCode: 409, message: "The specified job already exists." });
 * } catch (e) {
 *   if (AzureRequestError.is(e) && e.code === "JobExists") console.log("already there");
 * }
 * ```
 */
export class AzureRequestError extends Error {
  /** Always `"AzureRequestError"`. */
  override readonly name = "AzureRequestError";
  /** Azure's error code (`TaskExists`, `PoolNotFound`, ...) or a transport code (`ECONNRESET`). */
  readonly code: string | undefined;
  /** HTTP status, when a response came back. */
  readonly statusCode: number | undefined;
  /** Azure's request id, for support cases. */
  readonly requestId: string | undefined;
  /** Which typed-batch call failed, e.g. `pools.create`. */
  readonly operation: string;

  /**
   * @param operation - the typed-batch call that failed.
   * @param details - what is safe to keep of the SDK's error.
   */
  constructor(operation: string, details: { code?: string | undefined; statusCode?: number | undefined; requestId?: string | undefined; message: string }) {
    super(redact(`${operation} failed${details.statusCode ? ` (${details.statusCode}${details.code ? ` ${details.code}` : ""})` : details.code ? ` (${details.code})` : ""}: ${details.message}`));
    this.operation = operation;
    this.code = details.code;
    this.statusCode = details.statusCode;
    this.requestId = details.requestId;
    Object.defineProperty(this, brand, { value: true });
  }

  /** True for an AzureRequestError from any copy of the package. */
  static is(value: unknown): value is AzureRequestError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}

/** Reads what is safe to keep from an `@azure/core-client` or `@azure/ms-rest-js` error. */
function detailsOf(error: unknown): { code?: string; statusCode?: number; requestId?: string; message: string } {
  const e = error as {
    code?: unknown;
    statusCode?: unknown;
    body?: { code?: unknown; message?: unknown; error?: { code?: unknown } };
    response?: { headers?: { get?(name: string): string | undefined } };
    request?: { requestId?: unknown };
    message?: unknown;
  };
  const bodyCode = typeof e.body?.code === "string" ? e.body.code : typeof e.body?.error?.code === "string" ? e.body.error.code : undefined;
  const code = bodyCode ?? (typeof e.code === "string" ? e.code : undefined);
  const requestId = e.response?.headers?.get?.("x-ms-request-id") ?? e.response?.headers?.get?.("request-id");
  return {
    ...(code !== undefined && { code }),
    ...(typeof e.statusCode === "number" && { statusCode: e.statusCode }),
    ...(requestId !== undefined && { requestId }),
    message: typeof e.message === "string" ? e.message : String(error),
  };
}

/**
 * Runs one SDK call; an error comes back as an {@link AzureRequestError} (an abort stays the
 * caller's abort reason, so `signal.reason` is what rejects).
 */
export async function azureCall<T>(operation: string, call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new AzureRequestError(operation, detailsOf(error));
  }
}
