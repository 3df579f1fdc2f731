import type { LabelsConsistent } from "../rules/type-checks.js";
import type { LabelPair } from "../identity/label-pairs.js";
import type { JobScheduleAddParameter, JobSpecification, Schedule } from "@azure/batch";
import { TypedBatchError } from "../errors/typed-batch-error.js";
import type { PoolTarget } from "../job/job-builder.js";
import { jobCheckContext, poolInfoOf } from "../job/job-builder.js";
import { jobTasksToAzure, JobTasksBuilder, type JobTaskMethods, type JobTasks } from "../job/job-tasks.js";
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
 * An immutable job schedule builder. The jobs it creates run on `P`, so the job rules apply to the
 * job manager, preparation and release tasks of every job it creates, at the call that sets them,
 * as for `job(...)`.
 *
 * @typeParam Pairs - `[label, id]` of the labelled identities with literal ids its tasks use so far.
 */
export interface JobScheduleBuilder<Id extends string, P extends PoolTarget, Pairs extends LabelPair = never> extends JobTaskMethods<Id, P, "schedule", Pairs> {
  /** When jobs are created (the SDK's `Schedule`: `doNotRunUntil`, `recurrenceInterval`, ...). @default once, now */
  withSchedule(schedule: Schedule): JobScheduleBuilder<Id, P, Pairs>;
  /** Sets the other settings of the jobs it creates (the SDK's `JobSpecification`, minus identity-bearing parts). */
  withJobProperties(properties: JobSpecificationProperties): JobScheduleBuilder<Id, P, Pairs>;
  /** Sets the schedule's other settings (display name, metadata). */
  withProperties(properties: JobScheduleProperties): JobScheduleBuilder<Id, P, Pairs>;
  /**
   * Checks every job rule under `jobSpecification` and returns the spec.
   * @throws {@link TypedBatchError} with every problem found, for code that bypassed the types.
   */
  // A property (not a method), so a label conflict among its tasks is reported on `.build` itself.
  readonly build: LabelsConsistent<Pairs, () => JobScheduleSpec<Id, P>>;
}

interface ScheduleState extends JobTasks {
  readonly id: string;
  readonly pool: PoolTarget;
  readonly schedule: Schedule;
  readonly jobProperties: JobSpecificationProperties;
  readonly properties: JobScheduleProperties;
}

// Checked against the interface at its widest: every schedule's builder is this one with a narrower type.
class JobScheduleBuilderImpl extends JobTasksBuilder<JobScheduleBuilderImpl> implements JobScheduleBuilder<string, PoolTarget> {
  readonly #state: ScheduleState;

  constructor(state: ScheduleState) {
    super();
    this.#state = state;
    Object.freeze(this);
  }

  #with(patch: Partial<ScheduleState>): JobScheduleBuilderImpl {
    return new JobScheduleBuilderImpl({ ...this.#state, ...patch });
  }

  protected withJobTasks(patch: JobTasks): JobScheduleBuilderImpl {
    return this.#with(patch);
  }

  withSchedule(schedule: Schedule): JobScheduleBuilderImpl {
    return this.#with({ schedule: frozenCopy(schedule) });
  }

  withJobProperties(properties: JobSpecificationProperties): JobScheduleBuilderImpl {
    // A JavaScript caller can pass what the types leave out; refuse it rather than drop it.
    const checked = checkedProperties(properties, { poolInfo: "jobSchedule(id, pool)", jobManagerTask: ".withManagerTask(...)", jobPreparationTask: ".withPreparationTask(...)", jobReleaseTask: ".withReleaseTask(...)" });
    return this.#with({ jobProperties: frozenCopy({ ...this.#state.jobProperties, ...checked }) });
  }

  withProperties(properties: JobScheduleProperties): JobScheduleBuilderImpl {
    const checked = checkedProperties(properties, { id: "jobSchedule(id, ...)", schedule: ".withSchedule(...)", jobSpecification: ".withJobProperties(...) and the task methods" });
    return this.#with({ properties: frozenCopy({ ...this.#state.properties, ...checked }) });
  }

  toBatch(): JobScheduleAddParameter {
    const state = this.#state;
    const jobSpecification: JobSpecification = {
      ...state.jobProperties,
      poolInfo: poolInfoOf(state.pool),
      ...jobTasksToAzure(state),
    };
    return { ...state.properties, id: state.id, schedule: structuredClone(state.schedule), jobSpecification };
  }

  build(): JobScheduleSpec {
    const state = this.#state;
    const batch = this.toBatch();
    const result = validateJobSchedule(batch, jobCheckContext(state.pool, state));
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
  const builder: JobScheduleBuilder<string, PoolTarget> = new JobScheduleBuilderImpl({ id, pool: target, schedule: {}, jobProperties: {}, properties: {} });
  // `Id` and `P` are a compile-time reading of the arguments; build() checks the same rules at run time.
  return builder as JobScheduleBuilder<Id, P>;
}
