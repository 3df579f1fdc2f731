import { redact } from "../errors/redact.js";
import { attemptsOf } from "./retry-policies.js";

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

/** Azure's own words from an error body: Batch's `{ message: { value } }`, ARM's `{ error: { message } }` or a plain string. */
function serviceMessage(body: unknown): string | undefined {
  const b = body as { message?: unknown; error?: { message?: unknown } } | undefined;
  const m = b?.message ?? b?.error?.message;
  if (typeof m === "string") return m;
  const value = (m as { value?: unknown } | undefined)?.value;
  return typeof value === "string" ? value : undefined;
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
  // ms-rest-js puts Batch's `message` object into `Error.message`, which reads "[object Object]".
  const own = typeof e.message === "string" && !e.message.includes("[object Object]") ? e.message : undefined;
  return {
    ...(code !== undefined && { code }),
    ...(typeof e.statusCode === "number" && { statusCode: e.statusCode }),
    ...(requestId !== undefined && { requestId }),
    message: serviceMessage(e.body) ?? own ?? (error instanceof Error ? error.name : String(error)),
  };
}

/** Options of {@link azureCall}. */
export interface AzureCallOptions {
  /** Cancels the call; an abort rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /**
   * The call creates a resource: a 409 `...Exists` answer to a retried attempt means an earlier
   * attempt of ours landed (its answer was lost), so it counts as success.
   */
  readonly create?: boolean;
}

/**
 * Runs one SDK call (retried by the clients' pipeline policy); an error comes back as an
 * {@link AzureRequestError} (an abort stays the caller's abort reason, so `signal.reason` is what rejects).
 */
export async function azureCall<T>(operation: string, call: () => Promise<T>, options: AzureCallOptions & { readonly create: true }): Promise<T | undefined>;
export async function azureCall<T>(operation: string, call: () => Promise<T>, options?: AzureCallOptions): Promise<T>;
export async function azureCall<T>(operation: string, call: () => Promise<T>, options: AzureCallOptions = {}): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    const details = detailsOf(error);
    if (options.create === true && details.statusCode === 409 && details.code?.endsWith("Exists") === true && attemptsOf(error) > 1) return undefined;
    throw new AzureRequestError(operation, details);
  }
}
