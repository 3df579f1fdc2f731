import type { JobManagerTask, JobPreparationTask, JobReleaseTask, JobScheduleAddParameter, JobSpecification, PoolInformation, Schedule } from "@azure/batch";
import type { AutoPoolSpec } from "../job/auto-pool.js";
import { TypedBatchError } from "../errors/typed-batch-error.js";
import type { JobPoolView, ManagerTaskInput, PoolTarget, PreparationTaskInput, ReleaseTaskInput } from "../job/job-builder.js";
import { identitiesOfTaskParts, labelsOfTarget, taskPartsToAzure } from "../job/job-builder.js";
import type { PoolSpec } from "../pool/pool-spec.js";
import type { Checked } from "../rules/type-checks.js";
import { validateJobSchedule } from "../rules/validate.js";
import type { Except } from "../util/except.js";
import { frozenCopy } from "../util/frozen-copy.js";
import { checkedProperties } from "../util/reserved-properties.js";

/** The schedule's own settings that are not about identity: the SDK's `JobScheduleAddParameter`. */
export type JobScheduleProperties = Except<JobScheduleAddParameter, "id" | "schedule" | "jobSpecification">;

/** The settings of the jobs the schedule creates that are not about identity: the SDK's `JobSpecification`. */
export type JobSpecificationProperties = Except<JobSpecification, "poolInfo" | "jobManagerTask" | "jobPreparationTask" | "jobReleaseTask">;

/**
 * A checked job schedule, made by `jobSchedule(...).build()`; `client.jobSchedules.create` takes it.
 * @typeParam Id - the schedule id.
 * @typeParam P - the pool (or auto-pool) its jobs run on.
 */
export interface JobScheduleSpec<Id extends string = string, P extends PoolTarget = PoolTarget> {
  /** The schedule id. */
  readonly id: Id;
  /** The pool (or auto-pool) its jobs run on. */
  readonly pool: P;
  /** The `@azure/batch` `JobScheduleAddParameter`. */
  toBatch(): JobScheduleAddParameter;
}

/**
 * An immutable job schedule builder. The jobs it creates run on `P`, so the job rules apply to its
 * job manager, preparation and release tasks at the call that sets them, as for `job(...)`.
 */
export interface JobScheduleBuilder<Id extends string, P extends PoolTarget> {
  /** When jobs are created (the SDK's `Schedule`: `doNotRunUntil`, `recurrenceInterval`, ...). @default once, now */
  withSchedule(schedule: Schedule): JobScheduleBuilder<Id, P>;
  /** Sets the job manager task of every job the schedule creates. */
  withManagerTask<const T extends ManagerTaskInput>(task: Checked<T, JobPoolView<Id, P>>): JobScheduleBuilder<Id, P>;
  /** Sets the job preparation task of every job the schedule creates. */
  withPreparationTask<const T extends PreparationTaskInput>(task: Checked<T, JobPoolView<Id, P>>): JobScheduleBuilder<Id, P>;
  /** Sets the job release task of every job the schedule creates. */
  withReleaseTask<const T extends ReleaseTaskInput>(task: Checked<T, JobPoolView<Id, P>>): JobScheduleBuilder<Id, P>;
  /** Sets the other settings of the jobs it creates (the SDK's `JobSpecification`, minus identity-bearing parts). */
  withJobProperties(properties: JobSpecificationProperties): JobScheduleBuilder<Id, P>;
  /** Sets the schedule's other settings (display name, metadata). */
  withProperties(properties: JobScheduleProperties): JobScheduleBuilder<Id, P>;
  /**
   * Checks every job rule under `jobSpecification` and returns the spec.
   * @throws {@link TypedBatchError} with every problem found, for code that bypassed the types.
   */
  build(): JobScheduleSpec<Id, P>;
}

interface ScheduleState {
  readonly id: string;
  readonly pool: PoolTarget;
  readonly schedule: Schedule;
  readonly manager?: ManagerTaskInput;
  readonly preparation?: PreparationTaskInput;
  readonly release?: ReleaseTaskInput;
  readonly jobProperties: JobSpecificationProperties;
  readonly properties: JobScheduleProperties;
}

const isAutoPool = (target: PoolTarget) => "kind" in target && target.kind === "autoPool";

// Not `implements` its interface: the interface's parameter and return types are conditional types
// over each method's own type parameters, which a class method cannot be checked against, so the
// factory below asserts the interface once (the task builder, whose methods return one type, does implement it).
class JobScheduleBuilderImpl {
  readonly #state: ScheduleState;

  constructor(state: ScheduleState) {
    this.#state = state;
    Object.freeze(this);
  }

  #with(patch: Partial<ScheduleState>): JobScheduleBuilderImpl {
    return new JobScheduleBuilderImpl({ ...this.#state, ...patch });
  }

  withSchedule(schedule: Schedule) {
    return this.#with({ schedule: frozenCopy(schedule) });
  }

  withManagerTask(task: ManagerTaskInput) {
    return this.#with({ manager: frozenCopy(task) });
  }

  withPreparationTask(task: PreparationTaskInput) {
    return this.#with({ preparation: frozenCopy(task) });
  }

  withReleaseTask(task: ReleaseTaskInput) {
    return this.#with({ release: frozenCopy(task) });
  }

  withJobProperties(properties: JobSpecificationProperties) {
    // A JavaScript caller can pass what the types leave out; refuse it rather than drop it.
    const checked = checkedProperties(properties, { poolInfo: "jobSchedule(id, pool)", jobManagerTask: ".withManagerTask(...)", jobPreparationTask: ".withPreparationTask(...)", jobReleaseTask: ".withReleaseTask(...)" });
    return this.#with({ jobProperties: frozenCopy({ ...this.#state.jobProperties, ...checked }) });
  }

  withProperties(properties: JobScheduleProperties) {
    const checked = checkedProperties(properties, { id: "jobSchedule(id, ...)", schedule: ".withSchedule(...)", jobSpecification: ".withJobProperties(...) and the task methods" });
    return this.#with({ properties: frozenCopy({ ...this.#state.properties, ...checked }) });
  }

  toBatch(): JobScheduleAddParameter {
    const state = this.#state;
    const poolInfo: PoolInformation = isAutoPool(state.pool) ? { autoPoolSpecification: structuredClone((state.pool as AutoPoolSpec).specification) } : { poolId: (state.pool as PoolSpec).name };
    const jobSpecification: JobSpecification = {
      ...state.jobProperties,
      poolInfo,
      ...(state.manager !== undefined && { jobManagerTask: taskPartsToAzure(state.manager) as unknown as JobManagerTask }),
      ...(state.preparation !== undefined && { jobPreparationTask: taskPartsToAzure(state.preparation) as unknown as JobPreparationTask }),
      ...(state.release !== undefined && { jobReleaseTask: taskPartsToAzure(state.release) as unknown as JobReleaseTask }),
    };
    return { ...state.properties, id: state.id, schedule: structuredClone(state.schedule), jobSpecification };
  }

  build(): JobScheduleSpec {
    const state = this.#state;
    const batch = this.toBatch();
    const labels = labelsOfTarget(state.pool, identitiesOfTaskParts([state.manager, state.preparation, state.release]));
    const result = validateJobSchedule(batch, {
      ...(!isAutoPool(state.pool) && { pool: state.pool as PoolSpec }),
      ...(state.pool.account !== undefined && { account: state.pool.account }),
      labels,
      voice: "builder",
    });
    if (!result.ok) throw new TypedBatchError(result.issues);
    return Object.freeze({ id: state.id, pool: state.pool, toBatch: () => structuredClone(batch) });
  }
}

/**
 * Starts a job schedule whose jobs run on a typed pool or an auto-pool: every job rule applies to
 * the jobs it creates.
 *
 * @example
 * ```ts
 * import { batchAccount, jobSchedule, pool, resourceFile, userAssignedIdentity } from "typed-batch";
 * const reader = userAssignedIdentity(process.env.READER_ID ?? "", "reader");
 * const account = batchAccount("acct", { location: "westeurope" }).build();
 * const render = pool("render", account).withIdentities(reader).build();
 * const nightly = jobSchedule("nightly", render)
 *   .withSchedule({ recurrenceInterval: "P1D" })
 *   .withManagerTask({ id: "plan", commandLine: "plan.sh", resourceFiles: [resourceFile.fromContainerUrl("https://st.blob.core.windows.net/plans", { identity: reader })] })
 *   .build();
 * ```
 * @see https://learn.microsoft.com/rest/api/batchservice/job-schedule/add
 */
export function jobSchedule<const Id extends string, const P extends PoolTarget>(id: Id, target: P): JobScheduleBuilder<Id, P> {
  return new JobScheduleBuilderImpl({ id, pool: target, schedule: {}, jobProperties: {}, properties: {} }) as unknown as JobScheduleBuilder<Id, P>;
}
