import type { JobManagerTask, JobPreparationTask, JobReleaseTask, JobSpecification } from "@azure/batch";
import type { UserAssignedIdentity } from "../identity/user-assigned-identity.js";
import type { Checked, NewPairs, PairsOfInput } from "../rules/type-checks.js";
import type { LabelPair } from "../identity/label-pairs.js";
import type { JobScheduleBuilder } from "../job-schedule/job-schedule-builder.js";
import type { Except } from "../util/except.js";
import { frozenCopy } from "../util/frozen-copy.js";
import type { JobBuilder, JobPoolView, PoolTarget } from "./job-builder.js";
import { preparationTaskProblems, releaseTaskProblems, strictInput, taskInputProblems } from "../task/strict-inputs.js";
import { identitiesOfTaskParts, taskPartsToAzure, type TaskParts } from "./task-parts.js";

/**
 * The job-level tasks (manager, preparation, release): a job carries them, and so does every job a
 * job schedule creates. Typed, converted and set in one place for both builders.
 */

/** A job manager task: the SDK's type with typed resource files, output files and registry. */
export type ManagerTaskInput = Except<JobManagerTask, "resourceFiles" | "outputFiles" | "containerSettings"> & TaskParts;
/** A job preparation task: the SDK's type with typed resource files and registry. */
export type PreparationTaskInput = Except<JobPreparationTask, "resourceFiles" | "containerSettings"> & Except<TaskParts, "outputFiles">;
/** A job release task: the SDK's type with typed resource files and registry. */
export type ReleaseTaskInput = Except<JobReleaseTask, "resourceFiles" | "containerSettings"> & Except<TaskParts, "outputFiles">;

/**
 * @internal The builder a job-level task method returns: the same kind, with the task's label pairs
 * added (none on the builders' widest type, which their implementations are checked against). A task
 * set twice keeps the pairs of the one it replaced: stricter than the guards, in a case that is rare.
 */
export type NextJobBuilder<Kind extends "job" | "schedule", Id extends string, P extends PoolTarget, Pairs extends LabelPair, New extends LabelPair> =
  Kind extends "job" ? JobBuilder<Id, P, JobPairs<Id, P, Pairs, New>> : JobScheduleBuilder<Id, P, JobPairs<Id, P, Pairs, New>>;

/** @internal A job's pairs after a task with pairs `New`: those not in conflict with what it has (reported at the call). */
type JobPairs<Id extends string, P extends PoolTarget, Pairs extends LabelPair, New extends LabelPair> = [PoolTarget] extends [P]
  ? never
  : Pairs | NewPairs<JobPoolView<Id, P, Pairs>["labels"], New>;

/**
 * The methods that set a job's manager, preparation and release tasks, checked against the pool
 * the job runs on (and the labels of the job's other tasks) at the call that sets them.
 */
export interface JobTaskMethods<Id extends string, P extends PoolTarget, Kind extends "job" | "schedule", Pairs extends LabelPair = never> {
  /** Sets the job manager task. */
  withManagerTask<const T extends ManagerTaskInput>(task: Checked<T, JobPoolView<Id, P, Pairs>>): NextJobBuilder<Kind, Id, P, Pairs, PairsOfInput<T>>;
  /** Sets the job preparation task (runs on each node before the job's first task there). */
  withPreparationTask<const T extends PreparationTaskInput>(task: Checked<T, JobPoolView<Id, P, Pairs>>): NextJobBuilder<Kind, Id, P, Pairs, PairsOfInput<T>>;
  /** Sets the job release task (runs on each node when the job ends). */
  withReleaseTask<const T extends ReleaseTaskInput>(task: Checked<T, JobPoolView<Id, P, Pairs>>): NextJobBuilder<Kind, Id, P, Pairs, PairsOfInput<T>>;
}

/** The job-level tasks set so far. */
export interface JobTasks {
  readonly manager?: ManagerTaskInput;
  readonly preparation?: PreparationTaskInput;
  readonly release?: ReleaseTaskInput;
}

/** The implementation of {@link JobTaskMethods}: a builder extends it and says how to make its next self. */
export abstract class JobTasksBuilder<Self> {
  /** A new builder with these tasks replaced. */
  protected abstract withJobTasks(patch: JobTasks): Self;

  withManagerTask(task: ManagerTaskInput): Self {
    return this.withJobTasks({ manager: frozenCopy(strictInput(task, "jobManagerTask", taskInputProblems)) });
  }

  withPreparationTask(task: PreparationTaskInput): Self {
    return this.withJobTasks({ preparation: frozenCopy(strictInput(task, "jobPreparationTask", preparationTaskProblems)) });
  }

  withReleaseTask(task: ReleaseTaskInput): Self {
    return this.withJobTasks({ release: frozenCopy(strictInput(task, "jobReleaseTask", releaseTaskProblems)) });
  }
}

/** The job-level tasks as `@azure/batch` spells them, in a `JobAddParameter` or a `JobSpecification`. */
export function jobTasksToAzure(tasks: JobTasks): Pick<JobSpecification, "jobManagerTask" | "jobPreparationTask" | "jobReleaseTask"> {
  return {
    ...(tasks.manager !== undefined && { jobManagerTask: taskPartsToAzure(tasks.manager) }),
    ...(tasks.preparation !== undefined && { jobPreparationTask: taskPartsToAzure(tasks.preparation) }),
    ...(tasks.release !== undefined && { jobReleaseTask: taskPartsToAzure(tasks.release) }),
  };
}

/** Every identity the job-level tasks mention, for run-time messages keyed like the types. */
export function identitiesOfJobTasks(tasks: JobTasks): UserAssignedIdentity[] {
  return identitiesOfTaskParts([tasks.manager, tasks.preparation, tasks.release]);
}
