import type { FindingCode, Severity } from "../rules/codes.js";

/** An article scenario that predicts what Azure does with a configuration. */
export type Scenario = `application-packages#${1 | 2 | 3 | 4}` | `resource-files#${1 | 2 | 3 | 4}`;

/**
 * One problem found in a spec, a plain SDK object or a bundle.
 *
 * The same shape is used by the run-time guards (`validatePool` and friends), by
 * {@link TypedBatchError.issues}, by `diagnose` and by `typed-batch check --json`.
 */
export interface Finding {
  /** `error` blocks the spec; `warning` is reported but lets it through. */
  readonly severity: Severity;
  /** Stable code, one of {@link FindingCode}. */
  readonly code: FindingCode;
  /** Where the problem is, as a dotted path with `[n]` indexes, e.g. `startTask.resourceFiles[1].identityReference`. */
  readonly path: string;
  /** What is wrong, naming the identity and the pool. */
  readonly message: string;
  /** What to change. */
  readonly fix: string;
  /** The row of the article's behaviour tables that predicts the outcome, when there is one. */
  readonly scenario?: Scenario;
}
