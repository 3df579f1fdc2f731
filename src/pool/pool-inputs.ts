import type { ApplicationPackageReference, ContainerConfiguration, ContainerRegistry, DeploymentConfiguration, MountConfiguration, Pool, StartTask, TaskContainerSettings, VirtualMachineConfiguration } from "@azure/arm-batch";
import type { Except } from "../util/except.js";
import type { UserAssignedIdentity } from "../identity/user-assigned-identity.js";
import type { ResourceFileSpec } from "../task/resource-file.js";

/**
 * Input shapes of the pool builder: the SDK's own types, with the identity-bearing parts
 * replaced by typed-batch's (identities as handles, resource files from `resourceFile`).
 */

/** A container registry, authenticated either by a pool identity or by user name and password. */
export type RegistryInput<Key extends string = string> =
  | {
      /** Registry host, e.g. `myreg.azurecr.io`. @default "docker.io" */
      readonly registryServer?: string;
      /** The pool identity used to pull images. */
      readonly identity: UserAssignedIdentity<Key>;
    }
  | {
      /** Registry host. @default "docker.io" */
      readonly registryServer?: string;
      /** User name. */
      readonly userName: string;
      /** Password (never printed by typed-batch). */
      readonly password: string;
    };

/** Task container settings with a typed registry. */
export type ContainerSettingsInput = Except<TaskContainerSettings, "registry"> & {
  /** The registry holding the image. @default the pool's registries */
  readonly registry?: RegistryInput;
};

/** A pool start task: the SDK's `StartTask` with typed resource files and registry, and a required command line. */
export type StartTaskInput = Except<StartTask, "resourceFiles" | "containerSettings" | "commandLine"> & {
  /**
   * The command to run on each node as it joins. Optional in `@azure/arm-batch`'s `StartTask`, but
   * "required if any other properties of the startTask are specified" (its doc comment, BatchManagement.json
   * 2025-06-01), and a start task without one does nothing; `build()` refuses a missing or blank one.
   */
  readonly commandLine: string;
  /** Files downloaded before the command runs. @default none */
  readonly resourceFiles?: readonly ResourceFileSpec[];
  /** Run the start task in a container. @default not in a container */
  readonly containerSettings?: ContainerSettingsInput;
};

/**
 * A blob container mounted on every node with blobfuse. Give exactly one credential: `identity`,
 * `accountKey` or `sasKey` (checked at compile time and by the guard).
 */
export interface BlobMountInput<Key extends string = string> {
  /** Storage account name. */
  readonly accountName: string;
  /** Container name. */
  readonly containerName: string;
  /** Mount path under the Batch mounts directory. */
  readonly relativeMountPath: string;
  /** Extra blobfuse options. @default none */
  readonly blobfuseOptions?: string;
  /** The pool identity used to mount. @default none */
  readonly identity?: UserAssignedIdentity<Key>;
  /** Storage account key (never printed). @default none */
  readonly accountKey?: string;
  /** SAS token (never printed). @default none */
  readonly sasKey?: string;
}

type RegistryFree<T extends { containerRegistries?: ContainerRegistry[] }> = Except<T, "containerRegistries"> & {
  /** Registries without identities; add identity-based ones with `withContainerRegistry`. */
  readonly containerRegistries?: Except<ContainerRegistry, "identityReference">[];
};

/** `deploymentConfiguration` without identity references (registries with identities go through `withContainerRegistry`). */
export type DeploymentInput = Except<DeploymentConfiguration, "virtualMachineConfiguration"> & {
  /** Virtual machine configuration. */
  readonly virtualMachineConfiguration?: Except<VirtualMachineConfiguration, "containerConfiguration"> & {
    /** Container support. @default no containers */
    readonly containerConfiguration?: RegistryFree<ContainerConfiguration>;
  };
};

/** Pool settings that are not about identity: the SDK's own `Pool` minus identity-bearing and read-only fields. */
export type PoolProperties = Except<
  Pool,
  | "identity" | "startTask" | "applicationPackages" | "mountConfiguration" | "deploymentConfiguration"
  | "id" | "name" | "type" | "etag"
  | "lastModified" | "creationTime" | "provisioningState" | "provisioningStateTransitionTime" | "allocationState"
  | "allocationStateTransitionTime" | "currentDedicatedNodes" | "currentLowPriorityNodes" | "autoScaleRun"
  | "resizeOperationStatus" | "currentNodeCommunicationMode"
> & {
  /** How nodes are deployed (image, node agent); registries with identities go through `withContainerRegistry`. */
  readonly deploymentConfiguration?: DeploymentInput;
  /** Non-blob mounts (NFS, CIFS, Azure Files); blob mounts go through `withBlobMount`. */
  readonly mountConfiguration?: Except<MountConfiguration, "azureBlobFileSystemConfiguration">[];
};

export type { ApplicationPackageReference };
