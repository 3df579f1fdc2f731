/**
 * The bundle: the JSON shape `diagnose` and `typed-batch check` read when resources come as
 * one document. How documents are recognised lives in `inputs/batch-bodies.ts`; every rule lives
 * in `src/rules`.
 */

/** One job of a bundle: the Batch `JobAddParameter` wire body plus its tasks. */
export interface BundleJob {
  /** The job id. */
  readonly id?: string;
  /** Where the job runs: `poolId` (matched case-insensitively with `pools[].name`) or `autoPoolSpecification`. */
  readonly poolInfo?: {
    /** The pool the job runs on. */
    readonly poolId?: string;
    /** An auto-pool, which cannot carry identities. */
    readonly autoPoolSpecification?: unknown;
  };
  /** The job's tasks (`TaskAddParameter` wire bodies). @default [] */
  readonly tasks?: readonly Record<string, unknown>[];
  /** Any other field of the wire body. */
  readonly [key: string]: unknown;
}

/**
 * A bundle: an account, pools, jobs and job schedules in the Azure REST wire format, every key
 * optional. Any other top-level key is an `UNKNOWN_BUNDLE_KEY` error.
 *
 * @example
 * ```ts
 * import type { Bundle } from "typed-batch";
 * const bundle: Bundle = { pools: [{ name: "render", properties: { vmSize: "STANDARD_D2S_V3" } }], jobs: [] };
 * ```
 */
export interface Bundle {
  /** The Batch account body (ARM, with `identity` and `properties.autoStorage`). @default undefined (no account rules, no node identity rules) */
  readonly account?: Record<string, unknown>;
  /** Pool bodies: ARM (`name`, `identity`, `properties`) or data plane (`id`, `identity.userAssignedIdentities` as an array). @default [] */
  readonly pools?: readonly Record<string, unknown>[];
  /** Batch job bodies, each with its `tasks`. @default [] */
  readonly jobs?: readonly BundleJob[];
  /** Batch job schedule bodies (`JobScheduleAddParameter`): their `jobSpecification` is checked as a job. @default [] */
  readonly jobSchedules?: readonly Record<string, unknown>[];
}
