import type { Scenario } from "../errors/issue.js";

/**
 * The one table of places where Azure Batch takes an identity.
 *
 * Two kinds of row:
 * - `identityReference`: a `ComputeNodeIdentityReference { resourceId }` that must name an identity
 *   attached to the pool the work runs on (domain rule 5);
 * - `autoStorage`: something the node fetches from the account's autostorage with the account's
 *   node identity reference, which must then be on the pool (domain rule 4).
 *
 * Paths are written in the REST wire format from the resource's root, with `[]` for "every element".
 * The SDK path drops ARM's `properties.` envelope (`@azure/arm-batch` flattens it); data-plane SDK
 * models are the wire format. The guards, `diagnose`, the type tests and the docs page
 * "Every place an identity is referenced" all read this table: adding a site is one edit here.
 */

/** Which resource a site belongs to. */
export type SiteOwner = "account" | "pool" | "job" | "task" | "node";

/** What kind of rule applies at a site. */
export type SiteKind = "identityReference" | "autoStorage";

/** One row of the site table. */
export interface IdentitySite {
  /** Stable id of the site. */
  readonly id: string;
  /** `identityReference` or `autoStorage`. */
  readonly kind: SiteKind;
  /** Azure Resource Manager (`@azure/arm-batch`) or Batch service (`@azure/batch`). */
  readonly plane: "management" | "data";
  /** The resource the path starts from. */
  readonly owner: SiteOwner;
  /** Human name of the place. */
  readonly title: string;
  /** Path in the REST wire format, from the resource root. For `autoStorage` rows, the path of the item that needs autostorage. */
  readonly wirePath: string;
  /** Path in the Azure SDK model. */
  readonly sdkPath: string;
  /** For `autoStorage` rows on resource files: only items with this property set count. */
  readonly when?: "autoStorageContainerName";
  /** Where typed-batch takes it. */
  readonly builderCall: string;
  /** What Azure does when the identity is not attached to the pool. */
  readonly whenNotOnPool: string;
  /** The article's scenario when the node identity reference is not given (autoStorage rows). */
  readonly scenarioMissing?: Scenario;
  /** The article's scenario when the identity is given but not on the pool. */
  readonly scenarioNotOnPool?: Scenario;
}

type SiteRow = Omit<IdentitySite, "sdkPath">;

// The same failure wording appears in several rows; named once here.
const listMisc =
  "the task fails with ResourceContainerListMiscError \"Miscellaneous error encountered while listing one of the specified Azure Blob container(s)\" (IMDS answers HTTP 400 underneath)";
const httpMisc = "the task fails with BlobDownloadMiscError (IMDS answers HTTP 400 for the identity)";
const uploadMisc = "the output upload fails with FileUploadMiscError (IMDS answers HTTP 400 for the identity)";
const registryMisc = "the image pull fails with ContainerRegistryAuthFailed (no token for the identity)";

const resourceFileNotOnPool = `${listMisc} for container files; ${httpMisc} for httpUrl files`;

/** Returns the rows for a task-shaped object (start task, job manager/preparation/release task, task). */
function taskShapedSites(
  owner: SiteOwner,
  prefix: string,
  name: string,
  builderCall: string,
  parts: { outputFiles: boolean; applicationPackages: boolean; onFailure: string },
): SiteRow[] {
  const plane = owner === "pool" ? "management" : "data";
  const at = (p: string) => (prefix === "" ? p : `${prefix}.${p}`);
  const id = (p: string) => [owner, prefix.replace(/^properties\.?/, ""), p].filter((part) => part !== "").join(".");
  const rows: SiteRow[] = [
    {
      id: id("resourceFiles"),
      kind: "identityReference",
      plane,
      owner,
      title: `${name} resource files (storageContainerUrl or httpUrl)`,
      wirePath: at("resourceFiles[].identityReference"),
      builderCall: `${builderCall} resourceFiles: resourceFile.fromContainerUrl / fromHttpUrl({ identity })`,
      whenNotOnPool: `${resourceFileNotOnPool}; ${parts.onFailure}`,
    },
    {
      id: id("containerSettings.registry"),
      kind: "identityReference",
      plane,
      owner,
      title: `${name} container registry`,
      wirePath: at("containerSettings.registry.identityReference"),
      builderCall: `${builderCall} containerSettings.registry: { identity }`,
      whenNotOnPool: `${registryMisc}; ${parts.onFailure}`,
    },
    {
      id: id("resourceFiles.autoStorage"),
      kind: "autoStorage",
      plane,
      owner,
      title: `${name} resource files from the autostorage container`,
      wirePath: at("resourceFiles[]"),
      when: "autoStorageContainerName",
      builderCall: `${builderCall} resourceFiles: resourceFile.fromAutoStorageContainer(name)`,
      whenNotOnPool:
        "not given: the task fails with ResourceContainerAccessDenied \"Access for one of the specified Azure Blob container(s) is denied\"; given but not on the pool: ResourceContainerListMiscError",
      scenarioMissing: "resource-files#3",
      scenarioNotOnPool: "resource-files#4",
    },
  ];
  if (parts.outputFiles) {
    rows.push({
      id: id("outputFiles"),
      kind: "identityReference",
      plane,
      owner,
      title: `${name} output files`,
      wirePath: at("outputFiles[].destination.container.identityReference"),
      builderCall: `${builderCall} outputFiles: outputFile.toContainer({ identity })`,
      whenNotOnPool: uploadMisc,
    });
  }
  if (parts.applicationPackages) {
    rows.push({
      id: id("applicationPackageReferences"),
      kind: "autoStorage",
      plane,
      owner,
      title: `${name} application packages`,
      wirePath: at("applicationPackageReferences[]"),
      builderCall: `${builderCall} applicationPackageReferences`,
      whenNotOnPool: "the package cannot be downloaded from autostorage and the task fails with an application package error",
    });
  }
  return rows;
}

const rows: SiteRow[] = [
  {
    id: "pool.applicationPackages",
    kind: "autoStorage",
    plane: "management",
    owner: "pool",
    title: "pool application packages",
    wirePath: "properties.applicationPackages[]",
    builderCall: "pool(...).withApplicationPackages(...)",
    whenNotOnPool:
      "not given: nodes stay in Starting (agent-debug.log: \"pool not fully joined yet, health=Status.TvmJoinPoolInProgress\"); given but not on the pool: nodes go Unusable with ApplicationPackageError \"One or more application packages specified for the pool are invalid\"",
    scenarioMissing: "application-packages#3",
    scenarioNotOnPool: "application-packages#4",
  },
  ...taskShapedSites("pool", "properties.startTask", "pool start task", "pool(...).withStartTask({ ... })", {
    outputFiles: false,
    applicationPackages: false,
    onFailure: "the start task fails and, with waitForSuccess, the node goes to StartTaskFailed",
  }),
  {
    id: "pool.containerRegistries",
    kind: "identityReference",
    plane: "management",
    owner: "pool",
    title: "pool container registries",
    wirePath: "properties.deploymentConfiguration.virtualMachineConfiguration.containerConfiguration.containerRegistries[].identityReference",
    builderCall: "pool(...).withContainerRegistry({ registryServer, identity })",
    whenNotOnPool: "nodes cannot pull the prefetched images and go Unusable with ContainerRegistryAuthFailed",
  },
  {
    id: "pool.mountConfiguration.azureBlobFileSystemConfiguration",
    kind: "identityReference",
    plane: "management",
    owner: "pool",
    title: "pool blob file system mounts",
    wirePath: "properties.mountConfiguration[].azureBlobFileSystemConfiguration.identityReference",
    builderCall: "pool(...).withBlobMount({ accountName, containerName, relativeMountPath, identity })",
    whenNotOnPool: "the mount fails and nodes go Unusable with MountConfigurationError",
  },
  ...taskShapedSites("job", "jobManagerTask", "job manager task", "job(...).withManagerTask({ ... })", {
    outputFiles: true,
    applicationPackages: true,
    onFailure: "the job manager task fails",
  }),
  ...taskShapedSites("job", "jobPreparationTask", "job preparation task", "job(...).withPreparationTask({ ... })", {
    outputFiles: false,
    applicationPackages: false,
    onFailure: "the preparation task fails and the job's tasks do not run on that node",
  }),
  ...taskShapedSites("job", "jobReleaseTask", "job release task", "job(...).withReleaseTask({ ... })", {
    outputFiles: false,
    applicationPackages: false,
    onFailure: "the release task fails",
  }),
  // A job's auto-pool specification is a whole pool inside the job; it cannot carry identities, so
  // every reference in it is an error (rule 7) and its packages cannot use a node identity.
  ...taskShapedSites("job", "poolInfo.autoPoolSpecification.pool.startTask", "auto-pool start task", "autoPool({ pool: { startTask } })", {
    outputFiles: false,
    applicationPackages: false,
    onFailure: "the auto-pool's start task fails",
  }),
  {
    id: "job.poolInfo.autoPoolSpecification.pool.applicationPackageReferences",
    kind: "autoStorage",
    plane: "data",
    owner: "job",
    title: "auto-pool application packages",
    wirePath: "poolInfo.autoPoolSpecification.pool.applicationPackageReferences[]",
    builderCall: "autoPool({ pool: { applicationPackageReferences } })",
    whenNotOnPool: "the auto-pool cannot carry the node identity, so its nodes cannot download the packages from autostorage",
  },
  {
    id: "job.poolInfo.autoPoolSpecification.pool.containerRegistries",
    kind: "identityReference",
    plane: "data",
    owner: "job",
    title: "auto-pool container registries",
    wirePath: "poolInfo.autoPoolSpecification.pool.virtualMachineConfiguration.containerConfiguration.containerRegistries[].identityReference",
    builderCall: "autoPool({ pool: { virtualMachineConfiguration } })",
    whenNotOnPool: "the auto-pool carries no identity: its nodes cannot pull the images",
  },
  {
    id: "job.poolInfo.autoPoolSpecification.pool.mountConfiguration",
    kind: "identityReference",
    plane: "data",
    owner: "job",
    title: "auto-pool blob file system mounts",
    wirePath: "poolInfo.autoPoolSpecification.pool.mountConfiguration[].azureBlobFileSystemConfiguration.identityReference",
    builderCall: "autoPool({ pool: { mountConfiguration } })",
    whenNotOnPool: "the auto-pool carries no identity: the mount fails",
  },
  ...taskShapedSites("task", "", "task", "task(...).withResourceFile / withOutputFile / withContainerSettings / withApplicationPackages", {
    outputFiles: true,
    applicationPackages: true,
    onFailure: "the task completes with a failure",
  }),
  {
    id: "node.uploadBatchServiceLogs",
    kind: "identityReference",
    plane: "data",
    owner: "node",
    title: "node log upload",
    wirePath: "identityReference",
    builderCall: "client.nodes.uploadLogs(pool, nodeId, { containerUrl, startTime, identity })",
    whenNotOnPool: "the node cannot get a token and uploads no files",
  },
];

/** The SDK path of a wire path: `@azure/arm-batch` flattens ARM's `properties` envelope. */
export function sdkPathOf(wirePath: string): string {
  return wirePath.replace(/^properties\./, "");
}

/** Every identity site, in a stable order. */
export const identitySites: readonly IdentitySite[] = Object.freeze(
  rows.map((row) => Object.freeze({ ...row, sdkPath: sdkPathOf(row.wirePath) })),
);

const byOwnerAndKind = new Map<string, readonly IdentitySite[]>();

/** The sites of one owner and kind (cached: the engine asks once per resource checked). */
export function sitesOf(owner: SiteOwner, kind?: SiteKind): readonly IdentitySite[] {
  const key = `${owner}/${kind ?? "*"}`;
  let sites = byOwnerAndKind.get(key);
  if (sites === undefined) {
    sites = identitySites.filter((s) => s.owner === owner && (kind === undefined || s.kind === kind));
    byOwnerAndKind.set(key, sites);
  }
  return sites;
}
