import type { ContainerWorkingDirectory, OutputFile, ResourceFile, TaskContainerSettings } from "@azure/batch";
import type { ContainerWorkingDirectory as ArmContainerWorkingDirectory } from "@azure/arm-batch";
import { handlesIn } from "../identity/handles-in.js";
import type { UserAssignedIdentity } from "../identity/user-assigned-identity.js";
import type { ContainerSettingsInput } from "../pool/pool-inputs.js";
import { registryToAzure } from "../task/container-settings.js";
import { outputFileToAzure, type ContainerOutputFile } from "../task/output-file.js";
import { resourceFileToAzure, type ResourceFileSpec } from "../task/resource-file.js";

/** The identity-bearing parts of a data-plane task (a task, or a job's manager, preparation or release task). */
export interface TaskParts {
  /** Files downloaded before the command runs. @default none */
  readonly resourceFiles?: readonly ResourceFileSpec[];
  /** Files uploaded after the task (tasks and job manager tasks only). @default none */
  readonly outputFiles?: readonly ContainerOutputFile[];
  /** Run in a container. @default not in a container */
  readonly containerSettings?: ContainerSettingsInput;
}

/** Those parts as `@azure/batch` spells them. */
export interface AzureTaskParts {
  resourceFiles?: ResourceFile[];
  outputFiles?: OutputFile[];
  containerSettings?: TaskContainerSettings;
}

/** The Azure form of a data-plane task: its typed parts converted, the rest passed through. */
export function taskPartsToAzure<T extends TaskParts>(task: T): Omit<T, keyof TaskParts> & AzureTaskParts {
  const { resourceFiles, outputFiles, containerSettings, ...rest } = task;
  return {
    ...rest,
    ...(resourceFiles !== undefined && { resourceFiles: resourceFiles.map(resourceFileToAzure) }),
    ...(outputFiles !== undefined && { outputFiles: outputFiles.map(outputFileToAzure) }),
    ...(containerSettings !== undefined && { containerSettings: containerSettingsToBatch(containerSettings) }),
  };
}

/** Every identity a task-shaped input mentions, for run-time messages keyed like the types. */
export function identitiesOfTaskParts(task: object | undefined): UserAssignedIdentity[] {
  return handlesIn(task);
}

// Container settings are typed once, with the management plane's spelling (a pool's start task
// sends them there); the data plane spells the working directory in camel case: `@azure/arm-batch`
// 9.x `ContainerWorkingDirectory = "TaskWorkingDirectory" | "ContainerImageDefault"` against
// `@azure/batch` 10.2 `ContainerWorkingDirectory = 'taskWorkingDirectory' | 'containerImageDefault'`
// (BatchService.json 2024-07-01.20.0, `ContainerWorkingDirectory`).
const dataPlaneWorkingDirectory: Readonly<Record<ArmContainerWorkingDirectory, ContainerWorkingDirectory>> = {
  TaskWorkingDirectory: "taskWorkingDirectory",
  ContainerImageDefault: "containerImageDefault",
};

/** The data-plane form of task container settings: the registry's identity as a reference, the working directory in its data-plane spelling. */
export function containerSettingsToBatch(settings: ContainerSettingsInput): TaskContainerSettings {
  const { registry, workingDirectory, ...rest } = settings;
  return {
    ...rest,
    ...(registry !== undefined && { registry: registryToAzure(registry) }),
    ...(workingDirectory !== undefined && { workingDirectory: isDataPlaneSpelling(workingDirectory) ? workingDirectory : dataPlaneWorkingDirectory[workingDirectory] }),
  };
}

// A JavaScript caller may already write the data-plane spelling; it is sent as written.
function isDataPlaneSpelling(value: string): value is ContainerWorkingDirectory {
  return value === "taskWorkingDirectory" || value === "containerImageDefault";
}
