import type { FindingCode } from "../rules/codes.js";
import type { Finding } from "./issue.js";
import { redact } from "./redact.js";

/** Registered symbol so two copies of the package recognise each other's errors without `instanceof`. */
const brand = Symbol.for("typed-batch.TypedBatchError");

/**
 * The one error type typed-batch throws for a rejected spec or a failed check.
 *
 * It carries every problem found (not just the first) in {@link TypedBatchError.issues}; `code` and
 * `path` are those of the first error. Messages are redacted: no token, key or SAS signature.
 *
 * @example
 * ```ts
 * import { TypedBatchError, userAssignedIdentity } from "typed-batch";
 * try {
 *   userAssignedIdentity(process.env.WORKER_ID ?? "", "worker");
 * } catch (e) {
 *   if (TypedBatchError.is(e)) console.log(e.code, e.path, e.issues.length);
 * }
 * ```
 */
export class TypedBatchError extends Error {
  /** Stable code of the first error-severity issue. */
  readonly code: FindingCode;
  /** Path of the first error-severity issue. */
  readonly path: string;
  /** Every issue found, errors and warnings. */
  readonly issues: readonly Finding[];
  /** Always `"TypedBatchError"`. */
  override readonly name = "TypedBatchError";

  /** @param issues every problem found; at least one. */
  constructor(issues: readonly Finding[]) {
    const first = issues.find((i) => i.severity === "error") ?? issues[0];
    if (first === undefined) throw new RangeError("TypedBatchError needs at least one issue");
    const clean = issues.map((i) => ({ ...i, path: redact(i.path), message: redact(i.message), fix: redact(i.fix) }));
    const more = clean.length > 1 ? ` (and ${clean.length - 1} more)` : "";
    const path = redact(first.path);
    super(`${first.code} at ${path || "(root)"}: ${redact(first.message)}${more}`);
    this.code = first.code;
    this.path = path;
    this.issues = Object.freeze(clean);
    Object.defineProperty(this, brand, { value: true });
  }

  /** True for a TypedBatchError from any copy of the package (checks a registered symbol, not the prototype). */
  static is(value: unknown): value is TypedBatchError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}
