import type { LabelsConsistent } from "../rules/type-checks.js";
import { poolTargetProblems, strictInput } from "../task/strict-inputs.js";
import type { JobAddParameter, PoolInformation } from "@azure/batch";
import type { Except } from "../util/except.js";
import { labelsInScope } from "../identity/labels-in-scope.js";
import { TypedBatchError } from "../errors/typed-batch-error.js";
import { checkedProperties } from "../util/reserved-properties.js";
import { frozenCopy } from "../util/frozen-copy.js";
import type { UserAssignedIdentity } from "../identity/user-assigned-identity.js";
import type { LabelPair } from "../identity/label-pairs.js";
import type { AnyAccountSpec, NodeKeyOf, PoolIds, PoolLabelPairs, PoolSpec } from "../pool/pool-spec.js";
import { validateJob } from "../rules/validate.js";
import type { AutoPoolSpec } from "./auto-pool.js";
import { identitiesOfJobTasks, jobTasksToAzure, JobTasksBuilder, type JobTaskMethods, type JobTasks } from "./job-tasks.js";
import { made, type Made } from "../util/made.js";

export type { ManagerTaskInput, PreparationTaskInput, ReleaseTaskInput } from "./job-tasks.js";
export { identitiesOfTaskParts, taskPartsToAzure } from "./task-parts.js";

/** Where a job can run: a typed pool (built or live) or an auto-pool. */
export type PoolTarget = PoolSpec<string, AnyAccountSpec, string> | AutoPoolSpec;

type AccountOf<P extends PoolTarget> = P extends PoolSpec<string, infer A, string> ? A : P extends AutoPoolSpec<infer A> ? A : undefined;

/**
 * @internal The compile-time view of the pool a job runs on (or of its auto-pool); `Pairs` are the
 * label pairs of the job's own tasks so far (the guards label a job's identities together).
 */
export type JobPoolView<JobId extends string, P extends PoolTarget, Pairs extends LabelPair = never> = {
  readonly pool: P extends PoolSpec<infer N, AnyAccountSpec, string> ? N : `auto-pool of job '${JobId}'`;
  readonly ids: P extends PoolSpec<string, AnyAccountSpec, string> ? PoolIds<P> : never;
  readonly checkNode: true;
  readonly mode: AccountOf<P> extends AnyAccountSpec ? AccountOf<P>["autoStorageMode"] : "None";
  readonly node: AccountOf<P> extends AnyAccountSpec ? NodeKeyOf<AccountOf<P>> : never;
  readonly account: AccountOf<P> extends AnyAccountSpec ? AccountOf<P>["name"] : "account";
  readonly autoPoolJob: P extends AutoPoolSpec ? JobId : never;
  readonly labels: (P extends PoolSpec<string, AnyAccountSpec, string> ? PoolLabelPairs<P> : never) | Pairs;
};

/** Job settings that are not about identity: the SDK's own type. */
export type JobProperties = Except<JobAddParameter, "id" | "poolInfo" | "jobManagerTask" | "jobPreparationTask" | "jobReleaseTask">;

/**
 * A checked job, made by `job(...).build()`; tasks take it.
 * @typeParam Id - the job id.
 * @typeParam P - the pool it runs on.
 */
export interface JobSpec<Id extends string = string, P extends PoolTarget = PoolTarget> extends Made<"JobSpec"> {
  /** The job id. */
  readonly id: Id;
  /** The pool (or auto-pool) it runs on. */
  readonly pool: P;
  /** The `@azure/batch` `JobAddParameter`. */
  toBatch(): JobAddParameter;
}

/**
 * An immutable job builder bound to a typed pool: an identity its tasks use that the pool does not
 * carry is a compile error at the call that uses it.
 *
 * @typeParam Pairs - `[label, id]` of the labelled identities with literal ids its tasks use so far.
 */
export interface JobBuilder<Id extends string, P extends PoolTarget, Pairs extends LabelPair = never> extends JobTaskMethods<Id, P, "job", Pairs> {
  /** Sets the job's other settings (the SDK's own type). */
  withProperties(properties: JobProperties): JobBuilder<Id, P, Pairs>;
  /**
   * Checks every rule and returns the job spec.
   * @throws {@link TypedBatchError} with every problem found, for code that bypassed the types.
   */
  // A property (not a method), so a label conflict among its tasks is reported on `.build` itself.
  readonly build: LabelsConsistent<Pairs, () => JobSpec<Id, P>>;
}

interface JobState extends JobTasks {
  readonly id: string;
  readonly pool: PoolTarget;
  readonly properties: JobProperties;
}

/** @internal Whether a job runs on an auto-pool (rather than a typed pool). */
export function isAutoPool(target: PoolTarget): target is AutoPoolSpec {
  return "kind" in target && target.kind === "autoPool";
}

/** @internal The `poolInfo` of a job, or of the jobs a schedule creates, on this target. */
export function poolInfoOf(target: PoolTarget): PoolInformation {
  return isAutoPool(target) ? { autoPoolSpecification: structuredClone(target.specification) } : { poolId: target.name };
}

/**
 * @internal What `validateJob` and `validateJobSchedule` check a builder's job against: the pool
 * (none for an auto-pool), its account, and display labels for every identity involved.
 */
export function jobCheckContext(target: PoolTarget, tasks: JobTasks) {
  return {
    ...(!isAutoPool(target) && { pool: target }),
    ...(target.account !== undefined && { account: target.account }),
    labels: labelsInScope(target, identitiesOfJobTasks(tasks)),
    voice: "builder" as const,
  };
}

// Checked against the interface at its widest: every job's builder is this one with a narrower type.
class JobBuilderImpl extends JobTasksBuilder<JobBuilderImpl> implements JobBuilder<string, PoolTarget> {
  readonly #state: JobState;

  constructor(state: JobState) {
    super();
    this.#state = state;
    Object.freeze(this);
  }

  #with(patch: Partial<JobState>): JobBuilderImpl {
    return new JobBuilderImpl({ ...this.#state, ...patch });
  }

  protected withJobTasks(patch: JobTasks): JobBuilderImpl {
    return this.#with(patch);
  }

  withProperties(properties: JobProperties): JobBuilderImpl {
    const checked = checkedProperties(properties, { id: "job(id, ...)", poolInfo: "job(id, pool)", jobManagerTask: ".withManagerTask(...)", jobPreparationTask: ".withPreparationTask(...)", jobReleaseTask: ".withReleaseTask(...)" });
    return this.#with({ properties: frozenCopy({ ...this.#state.properties, ...checked }) });
  }

  toBatch(): JobAddParameter {
    const state = this.#state;
    return {
      ...state.properties,
      id: state.id,
      poolInfo: poolInfoOf(state.pool),
      ...jobTasksToAzure(state),
    };
  }

  build(): JobSpec {
    const state = this.#state;
    const batch = this.toBatch();
    const result = validateJob(batch, jobCheckContext(state.pool, state));
    if (!result.ok) throw new TypedBatchError(result.issues);
    return made<JobSpec>(Object.freeze({ id: state.id, pool: state.pool, toBatch: () => structuredClone(batch) }));
  }
}

/**
 * Starts a job bound to a typed pool or an auto-pool.
 *
 * @example
 * ```ts
 * import { batchAccount, job, pool, resourceFile, userAssignedIdentity } from "typed-batch";
 * const reader = userAssignedIdentity(process.env.READER_ID ?? "", "reader");
 * const account = batchAccount("acct", { location: "westeurope" }).build();
 * const render = pool("render", account).withIdentities(reader).build();
 * const frames = job("frames", render)
 *   .withPreparationTask({ commandLine: "prep.sh", resourceFiles: [resourceFile.fromContainerUrl("https://st.blob.core.windows.net/prep", { identity: reader })] })
 *   .build();
 * ```
 * @see https://learn.microsoft.com/rest/api/batchservice/job/add
 */
export function job<const Id extends string, const P extends PoolTarget>(id: Id, target: P): JobBuilder<Id, P> {
  strictInput(target, "pool", poolTargetProblems);
  const builder: JobBuilder<string, PoolTarget> = new JobBuilderImpl({ id, pool: target, properties: {} });
  // `Id` and `P` are a compile-time reading of the arguments; build() checks the same rules at run time.
  return builder as JobBuilder<Id, P>;
}
