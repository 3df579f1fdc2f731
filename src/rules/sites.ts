import { type AzureErrorFact, NODE_ERRORS, NODE_LOG, TASK_FAILURES } from "../azure/error-codes.js";
import type { Scenario } from "../errors/issue.js";

/**
 * The one table of places where Azure Batch takes an identity.
 *
 * Three kinds of row:
 * - `identityReference`: a `ComputeNodeIdentityReference { resourceId }` that must name an identity
 *   attached to the pool the work runs on;
 * - `autoStorage`: something the node fetches from the account's autostorage with the account's
 *   node identity reference, which must then be on the pool;
 * - `accountIdentity`: an account setting tied to the account's identity (the node identity
 *   reference itself, customer-managed key encryption).
 *
 * Paths are written in the REST wire format from the resource's root, with `[]` for "every element".
 * The SDK path drops ARM's `properties.` envelope (`@azure/arm-batch` flattens it); data-plane SDK
 * models are the wire format. The guards, `diagnose`, the type tests and the docs page
 * "Every place an identity is referenced" all read this table: adding a site is one edit here.
 */

/** Which resource a site belongs to. */
export type SiteOwner = "account" | "pool" | "job" | "task" | "node";

/**
 * What kind of rule applies at a site: `identityReference` (must be on the pool), `autoStorage`
 * (reads autostorage with the account's node identity reference), `accountIdentity` (an account
 * setting that depends on the account's own identity or names the node identity reference).
 */
export type SiteKind = "identityReference" | "autoStorage" | "accountIdentity";

/** What the identity does at a site, i.e. which permission it needs where it points. */
export type SiteCredential = "storage data read" | "storage data write" | "registry pull" | "key vault key";

/** Where Azure reports the failure of a site. */
export type FailureSurface = "node error" | "start task failure" | "task failure" | "pool or account operation";

/** Which mistake a failure code reports. */
export type FailureCause = "not on pool" | "node identity missing" | "no permission";

/**
 * One Azure failure code a site produces, where it shows and where the code is published. The
 * doctor reads these to tie what Azure shows (a node error, a task failure) to the site's finding.
 * Codes come from `src/azure` (Azure's published codes with their sources), never spelled here.
 */
export interface SiteFailure {
  /** Azure's code as it appears in the node error, start task or task failure information. */
  readonly code: string;
  /** Where it shows. */
  readonly surface: FailureSurface;
  /** The mistake it reports. */
  readonly cause: FailureCause;
  /** Only for these items of the site (e.g. `httpUrl files`). @default every item */
  readonly appliesTo?: string;
  /** The public source of the code (from `src/azure`). */
  readonly source: string;
  /** Set when no public source ties this code to this cause at this site: what we assume. @default sourced */
  readonly assumption?: string;
}

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
  /** What the identity is used for there. */
  readonly credential: SiteCredential;
  /**
   * For storage sites: the sibling field(s) of `identityReference` (or, on autostorage rows, of the
   * item) that say which storage account is read or written.
   * @default none (not a storage site, or autostorage)
   */
  readonly storageFields?: readonly string[];
  /** What Azure does when the identity is not attached to the pool. */
  readonly whenNotOnPool: string;
  /** The Azure failure codes of this site, by cause. */
  readonly failures: readonly SiteFailure[];
  /** Where the site itself is defined (REST spec file and version, SDK declaration, the article). */
  readonly source: string;
  /**
   * Set when the site is newer than the SDKs typed-batch wraps (`@azure/arm-batch` 9.1, `@azure/batch`
   * 10.2): the REST API version it comes from. Such a site applies to JSON input (`diagnose`,
   * `typed-batch check`, the guards); the builders cannot send it.
   * @default undefined (in the SDK models)
   */
  readonly restApiVersion?: string;
  /** The article's scenario when the node identity reference is not given (autoStorage rows). */
  readonly scenarioMissing?: Scenario;
  /** The article's scenario when the identity is given but not on the pool. */
  readonly scenarioNotOnPool?: Scenario;
}

type SiteRow = Omit<IdentitySite, "sdkPath">;

// Sources, named once. Failure codes cite their source through `src/azure`; where no public source
// ties a code to a cause at a site, the row says what it assumes.
const article = "seed article (Batch managed identity troubleshooting)";
const articleApps = `${article}, application packages table`;
const articleFiles = `${article}, resource files table`;
const dataSpec = "@azure/batch 10.2 models (BatchService.json 2022-10-01.16.0)";
const armSpec = "@azure/arm-batch 9.1 models (BatchManagement.json 2024-07-01)";
const armSpec2025 = "BatchManagement.json 2025-06-01";
const dataSpec2025 = "BatchService.json 2025-06-01 (data plane)";

type FactOf<L> = L[keyof L] & AzureErrorFact;

/** A failure of a site from one of Azure's published codes. */
function failure(fact: AzureErrorFact, surface: FailureSurface, cause: FailureCause, options: { appliesTo?: string; assumption?: string } = {}): SiteFailure {
  const source = fact.assumption === undefined ? fact.source : `${fact.source} (${fact.assumption})`;
  return { code: fact.code, surface, cause, source, ...options };
}

/** Task failure codes show on tasks and start tasks; node error codes on nodes. */
function taskOrNode<K extends keyof typeof TASK_FAILURES & keyof typeof NODE_ERRORS>(key: K, surface: FailureSurface): FactOf<typeof TASK_FAILURES> {
  return (surface === "node error" ? NODE_ERRORS[key] : TASK_FAILURES[key]) as FactOf<typeof TASK_FAILURES>;
}

// The same failure wording appears in several rows; named once here.
const listMisc =
  "the task fails with ResourceContainerListMiscError \"Miscellaneous error encountered while listing one of the specified Azure Blob container(s)\" (IMDS answers HTTP 400 underneath)";
const httpMisc = "the task fails with BlobDownloadMiscError (IMDS answers HTTP 400 for the identity)";
const uploadMisc = "the output upload fails with FileUploadMiscError (IMDS answers HTTP 400 for the identity)";
const registryMisc = "the image pull fails with ContainerInvalidImage (no token for the identity)";

const resourceFileNotOnPool = `${listMisc} for container files; ${httpMisc} for httpUrl files`;

/** The failures of a resource file read with its own identity reference. */
function resourceFileFailures(surface: FailureSurface): SiteFailure[] {
  return [
    failure(TASK_FAILURES.ResourceContainerListMiscError, surface, "not on pool", { appliesTo: "storageContainerUrl files", assumption: `the article shows it for autostorage files (${articleFiles} row 4); the same IMDS 400 is assumed for a file's own identity` }),
    failure(TASK_FAILURES.BlobDownloadMiscError, surface, "not on pool", { appliesTo: "httpUrl files", assumption: "no source ties the code to an identity missing from the pool" }),
    failure(TASK_FAILURES.ResourceContainerAccessDenied, surface, "no permission", { appliesTo: "storageContainerUrl files" }),
    failure(TASK_FAILURES.BlobAccessDenied, surface, "no permission", { appliesTo: "httpUrl files" }),
  ];
}

function registryFailures(surface: FailureSurface): SiteFailure[] {
  return [failure(taskOrNode("ContainerInvalidImage", surface), surface, "not on pool")];
}

/** The failures of an autostorage container resource file (the article's second table). */
function autoStorageFileFailures(surface: FailureSurface): SiteFailure[] {
  return [
    failure(TASK_FAILURES.ResourceContainerAccessDenied, surface, "node identity missing"),
    failure(TASK_FAILURES.ResourceContainerListMiscError, surface, "not on pool"),
    failure(TASK_FAILURES.ResourceContainerAccessDenied, surface, "no permission"),
  ];
}

/** Returns the rows for a task-shaped object (start task, job manager/preparation/release task, task). */
function taskShapedSites(
  owner: SiteOwner,
  prefix: string,
  name: string,
  builderCall: string,
  parts: { outputFiles: boolean; applicationPackages: boolean; multiInstance?: boolean; onFailure: string; surface: FailureSurface; source: string },
): SiteRow[] {
  const plane = owner === "pool" ? "management" : "data";
  const at = (p: string) => (prefix === "" ? p : `${prefix}.${p}`);
  const id = (p: string) => [owner, prefix.replace(/^properties\.?/, ""), p].filter((part) => part !== "").join(".");
  const { surface, source } = parts;
  const rows: SiteRow[] = [
    {
      id: id("resourceFiles"),
      kind: "identityReference",
      plane,
      owner,
      title: `${name} resource files (storageContainerUrl or httpUrl)`,
      wirePath: at("resourceFiles[].identityReference"),
      builderCall: `${builderCall} resourceFiles: resourceFile.fromContainerUrl / fromHttpUrl({ identity })`,
      credential: "storage data read",
      storageFields: ["storageContainerUrl", "httpUrl"],
      whenNotOnPool: `${resourceFileNotOnPool}; ${parts.onFailure}`,
      failures: resourceFileFailures(surface),
      source: `${source}: ResourceFile.identityReference`,
    },
    {
      id: id("containerSettings.registry"),
      kind: "identityReference",
      plane,
      owner,
      title: `${name} container registry`,
      wirePath: at("containerSettings.registry.identityReference"),
      builderCall: `${builderCall} containerSettings.registry: { identity }`,
      credential: "registry pull",
      whenNotOnPool: `${registryMisc}; ${parts.onFailure}`,
      failures: registryFailures(surface),
      source: `${source}: TaskContainerSettings.registry (ContainerRegistry.identityReference)`,
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
      credential: "storage data read",
      whenNotOnPool:
        "not given: the task fails with ResourceContainerAccessDenied \"Access for one of the specified Azure Blob container(s) is denied\"; given but not on the pool: ResourceContainerListMiscError",
      failures: autoStorageFileFailures(surface),
      source: `${source}: ResourceFile.autoStorageContainerName; ${articleFiles}`,
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
      credential: "storage data write",
      storageFields: ["containerUrl"],
      whenNotOnPool: uploadMisc,
      failures: [
        failure(TASK_FAILURES.FileUploadMiscError, surface, "not on pool", { assumption: "no source ties the code to an identity missing from the pool" }),
        failure(TASK_FAILURES.FileUploadAccessDenied, surface, "no permission"),
      ],
      source: `${source}: OutputFileBlobContainerDestination.identityReference`,
    });
  }
  if (parts.multiInstance === true) {
    // A multi-instance task's common resource files are downloaded by every instance before the
    // coordination command: the same rules as resource files (MultiInstanceSettings.commonResourceFiles).
    rows.push(
      {
        id: id("multiInstanceSettings.commonResourceFiles"),
        kind: "identityReference",
        plane,
        owner,
        title: `${name} multi-instance common resource files (storageContainerUrl or httpUrl)`,
        wirePath: at("multiInstanceSettings.commonResourceFiles[].identityReference"),
        builderCall: `task(...).withMultiInstanceSettings({ commonResourceFiles: [resourceFile.fromContainerUrl / fromHttpUrl({ identity })] })`,
        credential: "storage data read",
        storageFields: ["storageContainerUrl", "httpUrl"],
        whenNotOnPool: `${resourceFileNotOnPool}; ${parts.onFailure}`,
        failures: resourceFileFailures(surface),
        source: `${source}: MultiInstanceSettings.commonResourceFiles (ResourceFile.identityReference)`,
      },
      {
        id: id("multiInstanceSettings.commonResourceFiles.autoStorage"),
        kind: "autoStorage",
        plane,
        owner,
        title: `${name} multi-instance common resource files from the autostorage container`,
        wirePath: at("multiInstanceSettings.commonResourceFiles[]"),
        when: "autoStorageContainerName",
        builderCall: `task(...).withMultiInstanceSettings({ commonResourceFiles: [resourceFile.fromAutoStorageContainer(name)] })`,
        credential: "storage data read",
        whenNotOnPool: "as for the task's own autostorage resource files: ResourceContainerAccessDenied when not given, ResourceContainerListMiscError when not on the pool",
        failures: autoStorageFileFailures(surface),
        source: `${source}: MultiInstanceSettings.commonResourceFiles (ResourceFile.autoStorageContainerName); ${articleFiles}`,
        scenarioMissing: "resource-files#3",
        scenarioNotOnPool: "resource-files#4",
      },
    );
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
      credential: "storage data read",
      whenNotOnPool: "the package cannot be downloaded from autostorage and the task fails with an application package error",
      failures: [
        failure(TASK_FAILURES.ApplicationPackageError, surface, "not on pool", { assumption: "the article shows the node-level code for pool packages; the task-level code is assumed for task packages" }),
        failure(TASK_FAILURES.ApplicationPackageError, surface, "node identity missing", { assumption: "without a node identity reference the package cannot be fetched from autostorage; the same task-level code is assumed" }),
      ],
      source: `${source}: applicationPackageReferences`,
    });
  }
  return rows;
}

const startTaskFails = "the start task fails and, with waitForSuccess, the node goes to StartTaskFailed";

const rows: SiteRow[] = [
  {
    id: "account.autoStorage.nodeIdentityReference",
    kind: "accountIdentity",
    plane: "management",
    owner: "account",
    title: "account autostorage node identity reference",
    wirePath: "properties.autoStorage.nodeIdentityReference",
    builderCall: "batchAccount(...).withAutoStorage({ nodeIdentity })",
    credential: "storage data read",
    whenNotOnPool: "every pool that needs autostorage must carry it (see the autostorage rows)",
    failures: [],
    source: `${armSpec}: AutoStorageBaseProperties.nodeIdentityReference ("must be assigned to pools which have compute nodes that need access to auto-storage"); ${article}`,
  },
  {
    id: "account.encryption.keyVaultProperties",
    kind: "accountIdentity",
    plane: "management",
    owner: "account",
    title: "account encryption with a customer-managed key",
    wirePath: "properties.encryption.keyVaultProperties",
    builderCall: "batchAccount(...).withSystemAssignedIdentity().withCustomerManagedKey({ keyIdentifier })",
    credential: "key vault key",
    whenNotOnPool: "keySource Microsoft.KeyVault needs the account's system-assigned identity and a key identifier; without them ARM refuses the account",
    failures: [],
    source: `${armSpec2025}: KeySource "Microsoft.KeyVault" ("the Batch Account identity must be set to \`SystemAssigned\` and a valid Key Identifier must also be supplied under the keyVaultProperties"); KeyVaultProperties.keyIdentifier`,
  },
  {
    id: "pool.applicationPackages",
    kind: "autoStorage",
    plane: "management",
    owner: "pool",
    title: "pool application packages",
    wirePath: "properties.applicationPackages[]",
    builderCall: "pool(...).withApplicationPackages(...)",
    credential: "storage data read",
    whenNotOnPool:
      "not given: nodes stay in Starting (agent-debug.log: \"pool not fully joined yet, health=Status.TvmJoinPoolInProgress\"); given but not on the pool: nodes go Unusable with ApplicationPackageError \"One or more application packages specified for the pool are invalid\"",
    failures: [
      // A node agent log marker, not a node error code: the node stays in Starting.
      failure(NODE_LOG.TvmJoinPoolInProgress, "node error", "node identity missing"),
      failure(NODE_ERRORS.ApplicationPackageError, "node error", "not on pool"),
    ],
    source: `${armSpec}: Pool.applicationPackages; ${articleApps}`,
    scenarioMissing: "application-packages#3",
    scenarioNotOnPool: "application-packages#4",
  },
  ...taskShapedSites("pool", "properties.startTask", "pool start task", "pool(...).withStartTask({ ... })", {
    outputFiles: false,
    applicationPackages: false,
    onFailure: startTaskFails,
    surface: "start task failure",
    source: `${armSpec}: Pool.startTask`,
  }),
  {
    id: "pool.containerRegistries",
    kind: "identityReference",
    plane: "management",
    owner: "pool",
    title: "pool container registries",
    wirePath: "properties.deploymentConfiguration.virtualMachineConfiguration.containerConfiguration.containerRegistries[].identityReference",
    builderCall: "pool(...).withContainerRegistry({ registryServer, identity })",
    credential: "registry pull",
    whenNotOnPool: "nodes cannot pull the prefetched images and report ContainerInvalidImage",
    failures: registryFailures("node error"),
    source: `${armSpec}: ContainerConfiguration.containerRegistries[].identityReference`,
  },
  {
    id: "pool.mountConfiguration.azureBlobFileSystemConfiguration",
    kind: "identityReference",
    plane: "management",
    owner: "pool",
    title: "pool blob file system mounts",
    wirePath: "properties.mountConfiguration[].azureBlobFileSystemConfiguration.identityReference",
    builderCall: "pool(...).withBlobMount({ accountName, containerName, relativeMountPath, identity })",
    credential: "storage data read",
    storageFields: ["accountName"],
    whenNotOnPool: "the mount fails and nodes go Unusable with MountConfigurationError",
    failures: [
      failure(NODE_ERRORS.MountConfigurationError, "node error", "not on pool"),
      failure(NODE_ERRORS.MountConfigurationError, "node error", "no permission"),
    ],
    source: `${armSpec}: AzureBlobFileSystemConfiguration.identityReference`,
  },
  {
    id: "pool.diskEncryptionConfiguration.customerManagedKey",
    kind: "identityReference",
    plane: "management",
    owner: "pool",
    title: "pool disk encryption customer-managed key",
    wirePath: "properties.deploymentConfiguration.virtualMachineConfiguration.diskEncryptionConfiguration.customerManagedKey.identityReference",
    builderCall: "JSON input only (not in @azure/arm-batch 9.1)",
    credential: "key vault key",
    whenNotOnPool: "the key vault key cannot be read with the identity, so the pool's disks cannot be encrypted with it",
    failures: [],
    source: `${armSpec2025}: DiskEncryptionConfiguration.customerManagedKey ("It can be used only when the pool is configured with an identity and OsDisk is set as one of the targets"), DiskCustomerManagedKey.identityReference ("must be included in the pool identities")`,
    restApiVersion: "2025-06-01",
  },
  ...taskShapedSites("job", "jobManagerTask", "job manager task", "job(...).withManagerTask({ ... })", {
    outputFiles: true,
    applicationPackages: true,
    onFailure: "the job manager task fails",
    surface: "task failure",
    source: `${dataSpec}: JobManagerTask`,
  }),
  ...taskShapedSites("job", "jobPreparationTask", "job preparation task", "job(...).withPreparationTask({ ... })", {
    outputFiles: false,
    applicationPackages: false,
    onFailure: "the preparation task fails and the job's tasks do not run on that node",
    surface: "task failure",
    source: `${dataSpec}: JobPreparationTask`,
  }),
  ...taskShapedSites("job", "jobReleaseTask", "job release task", "job(...).withReleaseTask({ ... })", {
    outputFiles: false,
    applicationPackages: false,
    onFailure: "the release task fails",
    surface: "task failure",
    source: `${dataSpec}: JobReleaseTask`,
  }),
  // A job's auto-pool specification is a whole pool inside the job; it cannot carry identities, so
  // every reference in it is an error (an auto-pool carries no identities) and its packages cannot use a node identity.
  ...taskShapedSites("job", "poolInfo.autoPoolSpecification.pool.startTask", "auto-pool start task", "autoPool({ pool: { startTask } })", {
    outputFiles: false,
    applicationPackages: false,
    onFailure: "the auto-pool's start task fails",
    surface: "start task failure",
    source: `${dataSpec}: AutoPoolSpecification.pool.startTask`,
  }),
  {
    id: "job.poolInfo.autoPoolSpecification.pool.applicationPackageReferences",
    kind: "autoStorage",
    plane: "data",
    owner: "job",
    title: "auto-pool application packages",
    wirePath: "poolInfo.autoPoolSpecification.pool.applicationPackageReferences[]",
    builderCall: "autoPool({ pool: { applicationPackageReferences } })",
    credential: "storage data read",
    whenNotOnPool: "the auto-pool cannot carry the node identity, so its nodes cannot download the packages from autostorage",
    failures: [
      failure(NODE_ERRORS.ApplicationPackageError, "node error", "not on pool"),
      failure(NODE_ERRORS.ApplicationPackageError, "node error", "node identity missing", { assumption: "without a node identity reference the auto-pool's nodes cannot fetch the package from autostorage either" }),
    ],
    source: `${dataSpec}: PoolSpecification.applicationPackageReferences`,
  },
  {
    id: "job.poolInfo.autoPoolSpecification.pool.containerRegistries",
    kind: "identityReference",
    plane: "data",
    owner: "job",
    title: "auto-pool container registries",
    wirePath: "poolInfo.autoPoolSpecification.pool.virtualMachineConfiguration.containerConfiguration.containerRegistries[].identityReference",
    builderCall: "autoPool({ pool: { virtualMachineConfiguration } })",
    credential: "registry pull",
    whenNotOnPool: "the auto-pool carries no identity: its nodes cannot pull the images",
    failures: registryFailures("node error"),
    source: `${dataSpec}: PoolSpecification.virtualMachineConfiguration.containerConfiguration.containerRegistries`,
  },
  {
    id: "job.poolInfo.autoPoolSpecification.pool.mountConfiguration",
    kind: "identityReference",
    plane: "data",
    owner: "job",
    title: "auto-pool blob file system mounts",
    wirePath: "poolInfo.autoPoolSpecification.pool.mountConfiguration[].azureBlobFileSystemConfiguration.identityReference",
    builderCall: "autoPool({ pool: { mountConfiguration } })",
    credential: "storage data read",
    storageFields: ["accountName"],
    whenNotOnPool: "the auto-pool carries no identity: the mount fails",
    failures: [failure(NODE_ERRORS.MountConfigurationError, "node error", "not on pool")],
    source: `${dataSpec}: PoolSpecification.mountConfiguration`,
  },
  {
    // Not in @azure/batch 10.2: the data plane added customer-managed disk keys in 2025-06-01. An
    // auto-pool carries no identity, so this reference can never be satisfied.
    id: "job.poolInfo.autoPoolSpecification.pool.diskEncryptionConfiguration.customerManagedKey",
    kind: "identityReference",
    plane: "data",
    owner: "job",
    title: "auto-pool disk encryption customer-managed key",
    wirePath: "poolInfo.autoPoolSpecification.pool.virtualMachineConfiguration.diskEncryptionConfiguration.customerManagedKey.identityReference",
    builderCall: "JSON input only (not in @azure/batch 10.2)",
    credential: "key vault key",
    whenNotOnPool: "the auto-pool carries no identity, so the key vault key cannot be read and the disks cannot be encrypted with it",
    failures: [],
    source: `${dataSpec2025}: PoolSpecification.virtualMachineConfiguration (VirtualMachineConfiguration.diskEncryptionConfiguration), DiskEncryptionConfiguration.customerManagedKey, DiskCustomerManagedKey.identityReference (example PoolGet_CustomerManagedKey.json)`,
    restApiVersion: "2025-06-01",
  },
  ...taskShapedSites("task", "", "task", "task(...).withResourceFile / withOutputFile / withContainerSettings / withApplicationPackages", {
    outputFiles: true,
    applicationPackages: true,
    multiInstance: true,
    onFailure: "the task completes with a failure",
    surface: "task failure",
    source: `${dataSpec}: TaskAddParameter`,
  }),
  {
    id: "node.uploadBatchServiceLogs",
    kind: "identityReference",
    plane: "data",
    owner: "node",
    title: "node log upload",
    wirePath: "identityReference",
    builderCall: "client.nodes.uploadLogs(pool, nodeId, { containerUrl, startTime, identity })",
    credential: "storage data write",
    storageFields: ["containerUrl"],
    whenNotOnPool: "the node cannot get a token and uploads no files",
    failures: [],
    source: `${dataSpec}: UploadBatchServiceLogsConfiguration.identityReference`,
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

/** One row by id (throws on an unknown id: a typo in the engine is a bug, not a finding). */
export function siteById(id: string): IdentitySite {
  const site = identitySites.find((s) => s.id === id);
  if (site === undefined) throw new Error(`no identity site ${id}`);
  return site;
}

/** The path of the object that holds a site's `identityReference` (the site's own path for other rows). */
export function holderPath(path: string): string {
  return path === "identityReference" ? "" : path.endsWith(".identityReference") ? path.slice(0, -".identityReference".length) : path;
}

/**
 * The request models typed-batch sends, and whose rows apply to each under which prefix. A job
 * schedule's `jobSpecification` is a job: every job row applies under it. The completeness test
 * walks these models in the SDKs' `.d.ts`; the engine checks them with the same owner and prefix.
 */
export interface RequestModel {
  /** The SDK model name. */
  readonly model: string;
  /** The SDK that declares it. */
  readonly sdk: "@azure/arm-batch" | "@azure/batch";
  /** Whose rows apply. */
  readonly owner: SiteOwner;
  /** The path from the model's root to where those rows start (`""` at the root). */
  readonly prefix: string;
}

/** Every request model of typed-batch, with its rows' owner and prefix. */
export const requestModels: readonly RequestModel[] = Object.freeze([
  { model: "BatchAccountCreateParameters", sdk: "@azure/arm-batch", owner: "account", prefix: "" },
  { model: "BatchAccountUpdateParameters", sdk: "@azure/arm-batch", owner: "account", prefix: "" },
  { model: "Pool", sdk: "@azure/arm-batch", owner: "pool", prefix: "" },
  { model: "JobAddParameter", sdk: "@azure/batch", owner: "job", prefix: "" },
  { model: "JobScheduleAddParameter", sdk: "@azure/batch", owner: "job", prefix: "jobSpecification" },
  { model: "TaskAddParameter", sdk: "@azure/batch", owner: "task", prefix: "" },
  { model: "TaskAddCollectionParameter", sdk: "@azure/batch", owner: "task", prefix: "value[]" },
  { model: "UploadBatchServiceLogsConfiguration", sdk: "@azure/batch", owner: "node", prefix: "" },
] as const);

/** A path of a request model that reaches an identity but is not a site, and why. */
export interface SiteExclusion {
  /** The SDK path, from the model's root (`[]` every element); `*.` matches any prefix. */
  readonly path: string;
  /** The models it applies to. */
  readonly models: readonly string[];
  /** Why it is not a site, in one line. */
  readonly reason: string;
}

/** Paths that reach an identity-named type without being an identity site. */
export const siteExclusions: readonly SiteExclusion[] = Object.freeze([
  {
    path: "identity",
    models: ["BatchAccountCreateParameters", "BatchAccountUpdateParameters", "Pool"],
    reason: "the resource's own identity list, which the sites are checked against (checkAccount, checkPool)",
  },
  {
    path: "*.userIdentity",
    models: ["Pool", "JobAddParameter", "JobScheduleAddParameter", "TaskAddParameter", "TaskAddCollectionParameter"],
    reason: "UserIdentity is the node user account a task runs as (userName or autoUser), not a managed identity",
  },
]);
