/**
 * Fault injection. A fault is decided before the request is applied, so an
 * injected 413/429/503 means nothing happened on the service side. A `drop`
 * is applied after the request was applied: the client loses the response to
 * an operation that did succeed (the case that makes clients treat
 * `TaskExists` on a retried add as "already added").
 */
import { createHash } from "node:crypto";
import { armError, batchError, storageError } from "./errors.js";
import type { Plane, Res } from "./router.js";

/**
 * The kinds of fault the emulator can inject: HTTP 413 `RequestBodyTooLarge`,
 * 429 with `Retry-After: 1`, 503 `ServerBusy`, and a dropped connection.
 * @example
 * ```ts
 * const kinds: FaultKind[] = ["503", "drop"];
 * ```
 */
export type FaultKind = "413" | "429" | "503" | "drop";

/**
 * Fault injection settings.
 * @example
 * ```ts
 * const emulator = await startEmulator({ seed: 7, faults: { rate: 0.2, kinds: ["503", "drop"], planes: ["batch"] } });
 * ```
 */
export interface FaultOptions {
  /** Share of requests (0..1) that get a fault. */
  rate: number;
  /**
   * Which faults to draw from. `413` only hits requests that carry a body.
   * @default ["413", "429", "503", "drop"]
   */
  kinds?: FaultKind[];
  /**
   * Which planes get faults.
   * @default ["arm", "batch", "blob"]
   */
  planes?: Plane[];
  /**
   * Only requests whose path contains one of these strings (case-insensitive,
   * as ARM paths are) get faults, so one kind of call can fail on its own.
   * The path is the one the emulator routes: data-plane paths start with
   * `/batch/{account}`, blob paths with `/blob/{storageAccount}`.
   * @default every path
   * @example
   * ```ts
   * // Role assignment reads fail, every other ARM call works.
   * emulator.setFaults({ rate: 1, kinds: ["503"], planes: ["arm"], paths: ["/providers/Microsoft.Authorization/roleAssignments"] });
   * ```
   */
  paths?: string[];
  /**
   * Share (0..1) of the tasks inside an otherwise successful `addtaskcollection`
   * that come back with a per-task `serverError` (`ServerBusy`) and are not added.
   * @default the value of `rate`
   */
  perTaskRate?: number;
  /**
   * At most this many requests get a fault; after that every request passes, so a test can
   * check that a call succeeds after a known number of failures.
   * @default no limit
   */
  count?: number;
  /**
   * The `Retry-After` header (in seconds) sent with 429 and 503 faults, as Batch and ARM send
   * it when they throttle (clients must wait at least that long before the next attempt).
   * @default 1 on a 429, none on a 503
   */
  retryAfterSeconds?: number;
}

/**
 * Decides faults from the seed and the request's identity (method, path, body and how many times
 * that same request was seen before), not from arrival order: the same seed faults the same calls
 * however concurrent requests interleave, and a retry of a faulted call is a new draw.
 * (`count` still caps faults in arrival order.) Reconfigurable so tests can turn faults on after set-up.
 * @internal
 */
export class FaultInjector {
  readonly #seen = new Map<string, number>();
  #options: FaultOptions = { rate: 0 };
  #kinds: FaultKind[] = [];
  #planes = new Set<Plane>();
  #paths: string[] | undefined;
  #perTaskRate = 0;
  #left = Infinity;

  constructor(
    options: FaultOptions | undefined,
    readonly seed: number,
  ) {
    this.configure(options);
  }

  /** Two numbers in [0, 1) for the `n`th sight of a request identity: a hash, so the order of other requests does not matter. */
  #draws(identity: string): [number, number] {
    const n = this.#seen.get(identity) ?? 0;
    this.#seen.set(identity, n + 1);
    const digest = createHash("sha256").update(`${this.seed}\u0000${identity}\u0000${n}`).digest();
    return [digest.readUInt32BE(0) / 2 ** 32, digest.readUInt32BE(4) / 2 ** 32];
  }

  /** Replaces the fault settings; `undefined` turns faults off. */
  configure(options: FaultOptions | undefined): void {
    this.#options = options ?? { rate: 0 };
    this.#kinds = this.#options.kinds ?? ["413", "429", "503", "drop"];
    this.#planes = new Set(this.#options.planes ?? ["arm", "batch", "blob"]);
    this.#paths = this.#options.paths?.map((p) => p.toLowerCase());
    this.#perTaskRate = this.#options.perTaskRate ?? this.#options.rate;
    this.#left = this.#options.count ?? Infinity;
  }

  /** The `Retry-After` seconds to send with a fault of this kind, if any. */
  retryAfter(kind: FaultKind): number | undefined {
    if (kind !== "429" && kind !== "503") return undefined;
    return this.#options.retryAfterSeconds ?? (kind === "429" ? 1 : undefined);
  }

  /** Whether requests to `path` are eligible for faults at all. */
  #covers(path: string): boolean {
    if (this.#paths === undefined) return true;
    const p = path.toLowerCase();
    return this.#paths.some((x) => p.includes(x));
  }

  /**
   * Decides the fault (if any) for one request. `body` identifies the request together with
   * `method` and `path` (a length alone, for callers that have no body bytes).
   */
  decide(plane: Plane, body: Buffer | number, path: string, method = ""): FaultKind | undefined {
    if (!this.#planes.has(plane) || this.#options.rate <= 0 || !this.#covers(path)) return undefined;
    const bodyLength = typeof body === "number" ? body : body.length;
    const bodyId = typeof body === "number" ? String(body) : createHash("sha256").update(body).digest("hex");
    const [hit, pick] = this.#draws(`${method.toUpperCase()} ${path.toLowerCase()} ${bodyId}`);
    if (hit >= this.#options.rate) return undefined;
    const applicable = this.#kinds.filter((k) => k !== "413" || bodyLength > 0);
    if (applicable.length === 0 || this.#left <= 0) return undefined;
    this.#left--;
    return applicable[Math.floor(pick * applicable.length)];
  }

  /** Whether one task (id `taskId`) of an add-collection (request path `path`) gets a per-task server error. */
  perTask(path: string, taskId = ""): boolean {
    if (!this.#planes.has("batch") || this.#perTaskRate <= 0 || !this.#covers(path)) return false;
    return this.#draws(`task ${path.toLowerCase()} ${taskId}`)[0] < this.#perTaskRate;
  }
}

/** The response for an injected fault, in the plane's own error shape. @internal */
export function faultResponse(kind: Exclude<FaultKind, "drop">, plane: Plane, batchBase: string, retryAfterSeconds?: number): Res {
  const retry = retryAfterSeconds === undefined ? {} : { "retry-after": String(retryAfterSeconds) };
  const status = Number(kind);
  const code = kind === "413" ? "RequestBodyTooLarge" : kind === "429" ? "TooManyRequests" : "ServerBusy";
  const message =
    kind === "413"
      ? "The request body is too large and exceeds the maximum permissible limit."
      : kind === "429"
        ? "The request is being throttled, retry after the time given in Retry-After."
        : "The server is currently unable to receive requests. Please retry your request.";
  let res: Res;
  switch (plane) {
    case "arm":
      res = armError(status, code, message);
      break;
    case "batch":
      res = batchError(status, batchBase, code, message);
      break;
    case "blob":
      res = storageError(status, code, message);
      break;
    case "imds":
      res = { status, body: { error: code, error_description: message } };
      break;
  }
  return { ...res, headers: { ...res.headers, ...retry } };
}
