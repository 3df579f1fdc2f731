import type { JobAddParameter, JobManagerTask, JobPreparationTask, JobReleaseTask } from "@azure/batch";
import type { Except } from "../util/except.js";
import { labelsOf } from "../identity/display-key.js";
import { handlesIn } from "../identity/handles-in.js";
import { TypedBatchError } from "../errors/typed-batch-error.js";
import { checkedProperties } from "../util/reserved-properties.js";
import { frozenCopy } from "../util/frozen-copy.js";
import type { UserAssignedIdentity } from "../identity/user-assigned-identity.js";
import type { ContainerSettingsInput } from "../pool/pool-inputs.js";
import type { AnyAccountSpec, NodeKeyOf, PoolIds, PoolSpec } from "../pool/pool-spec.js";
import type { Checked } from "../rules/type-checks.js";
import { validateJob } from "../rules/validate.js";
import { containerSettingsToAzure } from "../task/container-settings.js";
import type { ContainerOutputFile } from "../task/output-file.js";
import { outputFileToAzure } from "../task/output-file.js";
import type { ResourceFileSpec } from "../task/resource-file.js";
import { resourceFileToAzure } from "../task/resource-file.js";
import type { AutoPoolSpec } from "./auto-pool.js";
import { made, type Made } from "../util/made.js";

/** Where a job can run: a typed pool (built or live) or an auto-pool. */
export type PoolTarget = PoolSpec<string, AnyAccountSpec, string> | AutoPoolSpec;

type AccountOf<P extends PoolTarget> = P extends PoolSpec<string, infer A, string> ? A : P extends AutoPoolSpec<infer A> ? A : undefined;

/** @internal The compile-time view of the pool a job runs on (or of its auto-pool). */
export type JobPoolView<JobId extends string, P extends PoolTarget> = {
  readonly pool: P extends PoolSpec<infer N, AnyAccountSpec, string> ? N : `auto-pool of job '${JobId}'`;
  readonly ids: P extends PoolSpec<string, AnyAccountSpec, string> ? PoolIds<P> : never;
  readonly checkNode: true;
  readonly mode: AccountOf<P> extends AnyAccountSpec ? AccountOf<P>["autoStorageMode"] : "None";
  readonly node: AccountOf<P> extends AnyAccountSpec ? NodeKeyOf<AccountOf<P>> : never;
  readonly account: AccountOf<P> extends AnyAccountSpec ? AccountOf<P>["name"] : "account";
  readonly autoPoolJob: P extends AutoPoolSpec ? JobId : never;
};

/** The identity-bearing parts of a job-level task, typed by typed-batch. */
interface TaskParts {
  /** Files downloaded before the command runs. @default none */
  readonly resourceFiles?: readonly ResourceFileSpec[];
  /** Run in a container. @default not in a container */
  readonly containerSettings?: ContainerSettingsInput;
}

/** A job manager task: the SDK's type with typed resource files, output files and registry. */
export type ManagerTaskInput = Except<JobManagerTask, "resourceFiles" | "outputFiles" | "containerSettings"> &
  TaskParts & {
    /** Files uploaded after the task. @default none */
    readonly outputFiles?: readonly ContainerOutputFile[];
  };
/** A job preparation task: the SDK's type with typed resource files and registry. */
export type PreparationTaskInput = Except<JobPreparationTask, "resourceFiles" | "containerSettings"> & TaskParts;
/** A job release task: the SDK's type with typed resource files and registry. */
export type ReleaseTaskInput = Except<JobReleaseTask, "resourceFiles" | "containerSettings"> & TaskParts;
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
 */
export interface JobBuilder<Id extends string, P extends PoolTarget> {
  /** Sets the job manager task. */
  withManagerTask<const T extends ManagerTaskInput>(task: Checked<T, JobPoolView<Id, P>>): JobBuilder<Id, P>;
  /** Sets the job preparation task (runs on each node before the job's first task there). */
  withPreparationTask<const T extends PreparationTaskInput>(task: Checked<T, JobPoolView<Id, P>>): JobBuilder<Id, P>;
  /** Sets the job release task (runs on each node when the job ends). */
  withReleaseTask<const T extends ReleaseTaskInput>(task: Checked<T, JobPoolView<Id, P>>): JobBuilder<Id, P>;
  /** Sets the job's other settings (the SDK's own type). */
  withProperties(properties: JobProperties): JobBuilder<Id, P>;
  /**
   * Checks every rule and returns the job spec.
   * @throws {@link TypedBatchError} with every problem found, for code that bypassed the types.
   */
  build(): JobSpec<Id, P>;
}

interface JobState {
  readonly id: string;
  readonly pool: PoolTarget;
  readonly manager?: ManagerTaskInput;
  readonly preparation?: PreparationTaskInput;
  readonly release?: ReleaseTaskInput;
  readonly properties: JobProperties;
}

/** The Azure form of a job-level task: typed parts converted, the rest passed through. */
export function taskPartsToAzure<T extends TaskParts & { readonly outputFiles?: readonly ContainerOutputFile[] }>(task: T) {
  const { resourceFiles, containerSettings, outputFiles, ...rest } = task;
  return {
    ...rest,
    ...(resourceFiles !== undefined && { resourceFiles: resourceFiles.map(resourceFileToAzure) }),
    ...(outputFiles !== undefined && { outputFiles: outputFiles.map(outputFileToAzure) }),
    ...(containerSettings !== undefined && { containerSettings: containerSettingsToAzure(containerSettings) }),
  };
}

/** Every identity a task-shaped input mentions, for run-time messages keyed like the types. */
export function identitiesOfTaskParts(task: object | undefined): UserAssignedIdentity[] {
  return handlesIn(task);
}

/** @internal Display labels for a pool target's identities and account. */
export function labelsOfTarget(target: PoolTarget, extra: UserAssignedIdentity[]): Map<string, string> {
  const account = target.account;
  const poolIdentities = "identities" in target ? target.identities : [];
  return labelsOf([...extra, ...poolIdentities, account?.nodeIdentity, ...(account?.identities ?? [])]);
}

// Not `implements` its interface: the interface's parameter and return types are conditional types
// over each method's own type parameters, which a class method cannot be checked against, so the
// factory below asserts the interface once (the task builder, whose methods return one type, does implement it).
class JobBuilderImpl {
  readonly #state: JobState;

  constructor(state: JobState) {
    this.#state = state;
    Object.freeze(this);
  }

  #with(patch: Partial<JobState>): JobBuilderImpl {
    return new JobBuilderImpl({ ...this.#state, ...patch });
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

  withProperties(properties: JobProperties) {
    const checked = checkedProperties(properties, { id: "job(id, ...)", poolInfo: "job(id, pool)", jobManagerTask: ".withManagerTask(...)", jobPreparationTask: ".withPreparationTask(...)", jobReleaseTask: ".withReleaseTask(...)" });
    return this.#with({ properties: frozenCopy({ ...this.#state.properties, ...checked }) });
  }

  toBatch(): JobAddParameter {
    const state = this.#state;
    const poolInfo = "kind" in state.pool && state.pool.kind === "autoPool" ? { autoPoolSpecification: structuredClone(state.pool.specification) } : { poolId: (state.pool as PoolSpec).name };
    return {
      ...state.properties,
      id: state.id,
      poolInfo,
      ...(state.manager !== undefined && { jobManagerTask: taskPartsToAzure(state.manager) as unknown as JobManagerTask }),
      ...(state.preparation !== undefined && { jobPreparationTask: taskPartsToAzure(state.preparation) as unknown as JobPreparationTask }),
      ...(state.release !== undefined && { jobReleaseTask: taskPartsToAzure(state.release) as unknown as JobReleaseTask }),
    };
  }

  build(): JobSpec {
    const state = this.#state;
    const batch = this.toBatch();
    const labels = labelsOfTarget(state.pool, [...identitiesOfTaskParts(state.manager), ...identitiesOfTaskParts(state.preparation), ...identitiesOfTaskParts(state.release)]);
    const isAuto = "kind" in state.pool && state.pool.kind === "autoPool";
    const result = validateJob(batch, {
      ...(!isAuto && { pool: state.pool as PoolSpec }),
      ...(state.pool.account !== undefined && { account: state.pool.account }),
      labels,
      voice: "builder",
    });
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
  return new JobBuilderImpl({ id, pool: target, properties: {} }) as unknown as JobBuilder<Id, P>;
}
