import type { AutoPoolSpecification } from "@azure/batch";
import type { AnyAccountSpec } from "../pool/pool-spec.js";

/**
 * A job's auto-pool: created with the job and carrying no identities, so any identity use in the
 * job is an error (domain rule 7).
 *
 * @typeParam A - the account spec, when given (for the autostorage rules).
 */
export interface AutoPoolSpec<A extends AnyAccountSpec | undefined = AnyAccountSpec | undefined> {
  /** Discriminant. */
  readonly kind: "autoPool";
  /** The account, when given. */
  readonly account: A;
  /** The SDK's `AutoPoolSpecification`. */
  readonly specification: AutoPoolSpecification;
}

/** Options of {@link autoPool}. */
export interface AutoPoolOptions<A extends AnyAccountSpec | undefined> {
  /**
   * The account the job runs under, so autostorage rules can be checked.
   * @default unknown: autostorage rules are not checked
   */
  readonly account?: A;
}

/**
 * Describes a job's auto-pool (the SDK's `AutoPoolSpecification`).
 *
 * @example
 * ```ts
 * import { autoPool, job } from "typed-batch";
 * const nightly = job("nightly", autoPool({ poolLifetimeOption: "job", pool: { vmSize: "STANDARD_D2S_V3" } })).build();
 * ```
 */
export function autoPool<const A extends AnyAccountSpec | undefined = undefined>(specification: AutoPoolSpecification, options: AutoPoolOptions<A> = {}): AutoPoolSpec<A> {
  return Object.freeze({ kind: "autoPool" as const, account: options.account as A, specification: structuredClone(specification) });
}
