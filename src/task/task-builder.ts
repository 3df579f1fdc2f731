import type { MultiInstanceSettings, TaskAddParameter } from "@azure/batch";

/** An application package reference, spelled as on pools (`id`); sent as the data plane's `applicationId`. */
export interface ApplicationPackageReference {
  /** The application id. */
  readonly id: string;
  /**
   * The package version.
   * @default the application's default version
   */
  readonly version?: string;
}
import type { Except } from "../util/except.js";
import { TypedBatchError } from "../errors/typed-batch-error.js";
import { checkedProperties } from "../util/reserved-properties.js";
import { frozenCopy } from "../util/frozen-copy.js";
import type { JobPoolView, JobSpec } from "../job/job-builder.js";
import { identitiesOfTaskParts, taskPartsToAzure } from "../job/job-builder.js";
import { labelsInScope } from "../identity/labels-in-scope.js";
import type { ContainerSettingsInput } from "../pool/pool-inputs.js";
import type { PoolSpec } from "../pool/pool-spec.js";
import type { AddedOwnPairs, AutoStorageUse, Checked, LabelsConsistent, PairsOfInput, PoolView } from "../rules/type-checks.js";
import type { LabelPair } from "../identity/label-pairs.js";
import { poolFactsOfJob } from "../rules/validate.js";
import { checkIdentityUsesOnPool } from "../rules/check.js";
import type { PoolFacts } from "../rules/context.js";
import type { Finding } from "../errors/issue.js";
import { deepFreeze } from "../util/frozen-copy.js";
import { withPayload } from "./task-payload.js";
import { made, type Made } from "../util/made.js";
import { applicationPackagesProblems, containerSettingsProblems, jobSpecProblems, multiInstanceProblems, outputFileProblems, resourceFileProblems, strictInput } from "./strict-inputs.js";
import type { CommandLineCheck, CommandLineSlot, UnsetMarker } from "./command-line.js";
import type { ContainerOutputFile } from "./output-file.js";
import { resourceFileToAzure, type ResourceFileSpec } from "./resource-file.js";

/** Task settings that are not about identity: the SDK's own `TaskAddParameter`. */
export type TaskProperties = Except<
  TaskAddParameter,
  "id" | "commandLine" | "resourceFiles" | "outputFiles" | "containerSettings" | "applicationPackageReferences" | "multiInstanceSettings"
>;

/** Multi-instance settings (MPI): the SDK's `MultiInstanceSettings` with typed common resource files. */
export type MultiInstanceInput = Except<MultiInstanceSettings, "commonResourceFiles"> & {
  /**
   * Files every instance downloads before the coordination command runs; the same rules as the
   * task's own resource files (an identity must be on the pool; autostorage files need the node identity).
   * @default none
   */
  readonly commonResourceFiles?: readonly ResourceFileSpec[];
};

/**
 * A checked task, made by `task(...).build()`; `client.tasks.add` and `addMany` take it.
 * @typeParam Id - the task id.
 */
export interface TaskSpec<Id extends string = string> extends Made<"TaskSpec"> {
  /** The task id. */
  readonly id: Id;
  /** The job it belongs to. */
  readonly job: JobSpec;
  /** The `@azure/batch` `TaskAddParameter`. */
  toBatch(): TaskAddParameter;
}

/**
 * An immutable task builder bound to a job: each identity use is checked against the job's pool
 * at the call that makes it.
 *
 * The command line is required: until `.withCommandLine(...)` is called the builder's
 * `CommandLine` slot is {@link UnsetMarker} and `.build` does not compile ("call .withCommandLine(...)").
 *
 * @typeParam C - what the job's pool offers (its name, its identities, the account's node identity);
 *   write `TaskBuilderOf<typeof job>` rather than spelling it.
 * @typeParam CommandLine - `string` once the command line is set, {@link UnsetMarker} before.
 * @typeParam Own - `[label, id]` of the labelled identities with literal ids the task's calls used so
 *   far. Each call is checked against the pool's labels; the task's own are compared by `build` (kept
 *   out of `C`, so every task of a job shares one pool view and its checks).
 */
export interface TaskBuilder<C extends PoolView, CommandLine extends CommandLineSlot = CommandLineSlot, Own extends LabelPair = never> {
  /** Sets the command line (required; Batch runs it on the node, not under a shell). */
  withCommandLine(commandLine: string): TaskBuilder<C, string, Own>;
  /**
   * Adds a resource file. A file with an identity needs that identity on the pool; an autostorage
   * container file needs the account's node identity on the pool (article scenarios 3 and 4).
   */
  withResourceFile<const F extends ResourceFileSpec>(file: Checked<F, C>): TaskBuilder<C, CommandLine, AddedOwnPairs<C, Own, PairsOfInput<F>>>;
  /** Adds an output file; its identity must be on the pool. */
  withOutputFile<const O extends ContainerOutputFile>(file: Checked<O, C>): TaskBuilder<C, CommandLine, AddedOwnPairs<C, Own, PairsOfInput<O>>>;
  /** Adds application packages; they need the account's node identity on the pool. */
  // A property (not a `this` check), so a problem is reported on `.withApplicationPackages` itself.
  readonly withApplicationPackages: AutoStorageUse<C, (...packages: readonly [ApplicationPackageReference, ...ApplicationPackageReference[]]) => TaskBuilder<C, CommandLine, Own>>;
  /** Runs the task in a container; the registry's identity must be on the pool. */
  withContainerSettings<const S extends ContainerSettingsInput>(settings: Checked<S, C>): TaskBuilder<C, CommandLine, AddedOwnPairs<C, Own, PairsOfInput<S>>>;
  /**
   * Runs the task on several nodes (MPI). Its common resource files are checked like resource files.
   * @example
   * ```ts
   * import { batchAccount, job, pool, resourceFile, task, userAssignedIdentity } from "typed-batch";
   * const reader = userAssignedIdentity(process.env.READER_ID ?? "", "reader");
   * const account = batchAccount("acct", { location: "westeurope" }).build();
   * const render = pool("render", account).withIdentities(reader).build();
   * task("mpi", job("sim", render).build())
   *   .withCommandLine("mpirun -n 4 sim")
   *   .withMultiInstanceSettings({ numberOfInstances: 4, coordinationCommandLine: "setup-mpi.sh",
   *     commonResourceFiles: [resourceFile.fromContainerUrl("https://st.blob.core.windows.net/mpi", { identity: reader })] })
   *   .build();
   * ```
   * @see https://learn.microsoft.com/azure/batch/batch-mpi
   */
  withMultiInstanceSettings<const M extends MultiInstanceInput>(settings: Checked<M, C>): TaskBuilder<C, CommandLine, AddedOwnPairs<C, Own, PairsOfInput<M>>>;
  /** Sets the task's other settings (the SDK's own type). */
  withProperties(properties: TaskProperties): TaskBuilder<C, CommandLine, Own>;
  /**
   * Checks every rule and returns the task spec. Does not compile before `.withCommandLine(...)`.
   * @throws {@link TypedBatchError} with every problem found, for code that bypassed the types
   *   (a missing or blank command line is `INVALID_SHAPE` at `commandLine`).
   */
  readonly build: CommandLineCheck<CommandLine, LabelsConsistent<Own, () => TaskSpec>>;
}

interface TaskState {
  readonly id: string;
  readonly job: JobSpec;
  readonly commandLine?: string;
  readonly resourceFiles: readonly ResourceFileSpec[];
  readonly outputFiles: readonly ContainerOutputFile[];
  readonly applicationPackages: readonly ApplicationPackageReference[];
  readonly containerSettings?: ContainerSettingsInput;
  readonly multiInstance?: MultiInstanceInput;
  readonly properties: TaskProperties;
}

// Checked against the interface at its widest: every pool view offers what `PoolView` describes.
class TaskBuilderImpl implements TaskBuilder<PoolView, string> {
  readonly #state: TaskState;

  constructor(state: TaskState) {
    this.#state = state;
    Object.freeze(this);
  }

  #with(patch: Partial<TaskState>): TaskBuilderImpl {
    return new TaskBuilderImpl({ ...this.#state, ...patch });
  }

  withCommandLine(commandLine: string): TaskBuilderImpl {
    return this.#with({ commandLine });
  }

  withResourceFile(file: ResourceFileSpec): TaskBuilderImpl {
    strictInput(file, `resourceFiles[${this.#state.resourceFiles.length}]`, resourceFileProblems);
    return this.#with({ resourceFiles: Object.freeze([...this.#state.resourceFiles, file]) });
  }

  withOutputFile(file: ContainerOutputFile): TaskBuilderImpl {
    strictInput(file, `outputFiles[${this.#state.outputFiles.length}]`, outputFileProblems);
    return this.#with({ outputFiles: Object.freeze([...this.#state.outputFiles, file]) });
  }

  withApplicationPackages(...packages: readonly [ApplicationPackageReference, ...ApplicationPackageReference[]]): TaskBuilderImpl {
    strictInput(packages, "applicationPackageReferences", applicationPackagesProblems);
    return this.#with({ applicationPackages: Object.freeze([...this.#state.applicationPackages, ...packages]) });
  }

  withContainerSettings(settings: ContainerSettingsInput): TaskBuilderImpl {
    return this.#with({ containerSettings: frozenCopy(strictInput(settings, "containerSettings", containerSettingsProblems)) });
  }

  withMultiInstanceSettings(settings: MultiInstanceInput): TaskBuilderImpl {
    return this.#with({ multiInstance: frozenCopy(strictInput(settings, "multiInstanceSettings", multiInstanceProblems)) });
  }

  withProperties(properties: TaskProperties): TaskBuilderImpl {
    const checked = checkedProperties(properties, {
      id: "task(id, ...)", commandLine: ".withCommandLine(...)", resourceFiles: ".withResourceFile(...)", outputFiles: ".withOutputFile(...)",
      containerSettings: ".withContainerSettings(...)", applicationPackageReferences: ".withApplicationPackages(...)", multiInstanceSettings: ".withMultiInstanceSettings(...)",
    });
    return this.#with({ properties: frozenCopy({ ...this.#state.properties, ...checked }) });
  }

  #toBatch(): TaskAddParameter {
    const state = this.#state;
    const parts = taskPartsToAzure({
      ...(state.resourceFiles.length > 0 && { resourceFiles: state.resourceFiles }),
      ...(state.outputFiles.length > 0 && { outputFiles: state.outputFiles }),
      ...(state.containerSettings !== undefined && { containerSettings: state.containerSettings }),
    });
    return {
      ...state.properties,
      id: state.id,
      // Sent as given; absent until withCommandLine (build() refuses that, and a blank one).
      commandLine: state.commandLine as string,
      ...parts,
      ...(state.multiInstance !== undefined && { multiInstanceSettings: multiInstanceToAzure(state.multiInstance) }),
      ...(state.applicationPackages.length > 0 && { applicationPackageReferences: state.applicationPackages.map((p) => ({ applicationId: p.id, ...(p.version !== undefined && { version: p.version }) })) }),
    };
  }

  build(): TaskSpec {
    const state = this.#state;
    const batch = deepFreeze(this.#toBatch());
    const placement = poolFactsOf(state.job);
    const own = identitiesOfTaskParts([state.resourceFiles, state.outputFiles, state.containerSettings, state.multiInstance]);
    // With the pool's handles, so one label given to a pool identity and to another id here is IDENTITY_LABEL_CONFLICT.
    const labels = own.length === 0 ? placement.labels : labelsInScope(state.job.pool, own);
    const issues = [...placement.issues, ...(placement.facts ? checkIdentityUsesOnPool("task", batch, placement.facts, { dialect: "sdk", voice: "builder", base: "", labels }) : [])];
    if (issues.some((i) => i.severity === "error")) throw new TypedBatchError(issues);
    const spec = made<TaskSpec>(Object.freeze(withPayload({ id: state.id, job: state.job, toBatch: () => structuredClone(batch) }, batch)));
    return spec;
  }
}

/** The Azure form of multi-instance settings: common resource files converted. */
function multiInstanceToAzure(settings: MultiInstanceInput): MultiInstanceSettings {
  const { commonResourceFiles, ...rest } = settings;
  return { ...rest, ...(commonResourceFiles !== undefined && { commonResourceFiles: commonResourceFiles.map(resourceFileToAzure) }) };
}

/** What every task of a job is checked against, computed once per job (not once per task). */
interface CachedPoolFacts {
  readonly facts: PoolFacts | undefined;
  readonly labels: ReadonlyMap<string, string>;
  readonly issues: readonly Finding[];
}

const placements = new WeakMap<JobSpec, CachedPoolFacts>();

function poolFactsOf(job: JobSpec): CachedPoolFacts {
  let cached = placements.get(job);
  if (cached === undefined) {
    const target = job.pool;
    const labels = labelsInScope(target, []);
    const issues: Finding[] = [];
    const isAuto = "kind" in target && target.kind === "autoPool";
    const facts = poolFactsOfJob(job.toBatch(), isAuto ? undefined : (target as PoolSpec), target.account, labels, issues);
    cached = { facts, labels, issues };
    placements.set(job, cached);
  }
  return cached;
}

/**
 * Starts a task of a typed job.
 *
 * @example
 * ```ts
 * import { batchAccount, job, outputFile, pool, resourceFile, task, userAssignedIdentity } from "typed-batch";
 * const reader = userAssignedIdentity(process.env.READER_ID ?? "", "reader");
 * const account = batchAccount("acct", { location: "westeurope" }).build();
 * const render = pool("render", account).withIdentities(reader).build();
 * const frames = job("frames", render).build();
 * const t = task("frame-0001", frames)
 *   .withCommandLine("render.sh 1")
 *   .withResourceFile(resourceFile.fromHttpUrl("https://st.blob.core.windows.net/m/model.bin", { filePath: "model.bin", identity: reader }))
 *   .withOutputFile(outputFile.toContainer({ filePattern: "*.png", containerUrl: "https://st.blob.core.windows.net/out", identity: reader, uploadCondition: "taskSuccess" }))
 *   .build();
 * ```
 * @see https://learn.microsoft.com/rest/api/batchservice/task/add
 */
export function task<const J extends JobSpec>(id: string, job: J): TaskBuilderOf<J, UnsetMarker> {
  strictInput(job, "job", jobSpecProblems);
  // No command line yet: `build()` refuses a task without one (the types already do).
  const builder: TaskBuilder<PoolView> = new TaskBuilderImpl({ id, job, resourceFiles: [], outputFiles: [], applicationPackages: [], properties: {} });
  // The pool view is a compile-time reading of `job`'s pool; build() checks the same rules at run time.
  return builder as TaskBuilderOf<J, UnsetMarker>;
}

/**
 * The builder `task(id, job)` returns for a job of type `J`: for helpers that take or return one.
 * `CommandLine` says whether the command line is set (`string`), not yet ({@link UnsetMarker}), or
 * either (the default, so a helper accepts any task of the job; such a builder builds after
 * `.withCommandLine(...)`).
 * @example
 * ```ts
 * import { batchAccount, job, pool, resourceFile, task, userAssignedIdentity, type TaskBuilderOf } from "typed-batch";
 * const reader = userAssignedIdentity(process.env.READER_ID ?? "", "reader");
 * const account = batchAccount("acct", { location: "westeurope" }).build();
 * const frames = job("frames", pool("render", account).withIdentities(reader).build()).build();
 * function withScene(t: TaskBuilderOf<typeof frames>): TaskBuilderOf<typeof frames> {
 *   return t.withResourceFile(resourceFile.fromContainerUrl("https://st.blob.core.windows.net/scene", { identity: reader }));
 * }
 * withScene(task("t1", frames)).withCommandLine("render.sh").build();
 * ```
 */
export type TaskBuilderOf<J extends JobSpec, CommandLine extends CommandLineSlot = CommandLineSlot> = TaskBuilder<JobPoolView<J["id"], J["pool"]>, CommandLine>;
