/**
 * The emulated world: identities, role assignments, storage, Batch accounts,
 * pools with their nodes, jobs and tasks. HTTP handlers and the behaviour
 * state machines read and write the same objects, so what a test seeds through
 * a helper is what an SDK client sees and vice versa.
 */
import type { SimClock } from "./clock.js";
import { canonicalId } from "./ids.js";
import type { Random } from "./prng.js";

/** A user-assigned managed identity. @internal */
export interface IdentityRecord {
  resourceId: string;
  name: string;
  resourceGroup: string;
  location: string;
  clientId: string;
  principalId: string;
  tenantId: string;
  tags: Record<string, string>;
}

/** A role assignment. @internal */
export interface RoleAssignmentRecord {
  id: string;
  name: string;
  scope: string;
  principalId: string;
  roleDefinitionId: string;
  principalType: string;
  createdOn: string;
}

/** A stored blob. @internal */
export interface BlobRecord {
  content: Buffer;
  contentType: string;
  lastModified: number;
  etag: string;
}

/** A storage account and its containers. @internal */
export interface StorageRecord {
  id: string;
  name: string;
  containers: Map<string, Map<string, BlobRecord>>;
}

/** Identity as stored on an account or pool (canonical id → original spelling). @internal */
export interface IdentityAssignment {
  type: string;
  /** User-assigned identity ids in the spelling the client sent. */
  userAssigned: string[];
}

/** An application package version. @internal */
export interface PackageRecord {
  version: string;
  state: "Pending" | "Active";
  format?: string;
  lastActivationTime?: string;
  etag: string;
}

/** An application. @internal */
export interface ApplicationRecord {
  name: string;
  displayName?: string;
  allowUpdates: boolean;
  defaultVersion?: string;
  versions: Map<string, PackageRecord>;
}

/** A Batch account. @internal */
export interface AccountRecord {
  name: string;
  id: string;
  resourceGroup: string;
  location: string;
  tags: Record<string, string>;
  identity: IdentityAssignment;
  /** Principal of the system-assigned identity, created once and kept. */
  systemPrincipalId?: string;
  autoStorage?: {
    storageAccountId: string;
    authenticationMode: "StorageKeys" | "BatchAccountManagedIdentity";
    nodeIdentityReference?: string;
    lastKeySync: string;
  };
  /** Everything else the client sent under `properties`, echoed back. */
  extraProperties: Record<string, unknown>;
  applications: Map<string, ApplicationRecord>;
  pools: Map<string, PoolRecord>;
  jobs: Map<string, JobRecord>;
  creationTime: number;
  /** Shared Key account keys (Base64), made on first use (`listKeys` or a Shared Key request). */
  keys?: { primary: string; secondary: string };
}

/**
 * One entry of a pool's identity history (see `Emulator.poolIdentityHistory`).
 * @example
 * ```ts
 * const stale = emulator.poolIdentityHistory("acct", "render").some((c) => c.nodesExisted);
 * ```
 */
export interface IdentityChange {
  /** When the change was applied (simulated clock, ISO 8601). */
  at: string;
  /** The pool's user-assigned identity ids after the change. */
  identities: string[];
  /** How many nodes the pool had when the change was applied. */
  nodeCount: number;
  /** Whether any node existed then (those nodes keep their old identities). */
  nodesExisted: boolean;
}

/** A pool. @internal */
export interface PoolRecord {
  name: string;
  id: string;
  identity: IdentityAssignment;
  /** The ARM `properties` as last sent (identity lives beside it). */
  properties: Record<string, unknown>;
  etag: string;
  creationTime: number;
  lastModified: number;
  allocationStateTransitionTime: number;
  identityHistory: IdentityChange[];
  /** The identities new nodes get: the pool's list as it was when the pool last had 0 nodes. */
  nodeIdentities?: string[];
  nodes: Map<string, NodeRecord>;
  nodeCounter: number;
}

/** A file on a node. @internal */
export interface NodeFile {
  content: Buffer;
  at: number;
}

/**
 * Application package status on a node.
 * @example
 * ```ts
 * const [pkg] = emulator.inspectNode("acct", "render", nodeId)!.packages; // { applicationId: "ffmpeg", version: "6.1", status: "downloaded" }
 * ```
 */
export interface NodePackageStatus {
  /** Application id. */
  applicationId: string;
  /** Version (resolved default when none was given). */
  version: string | undefined;
  /** What happened to it on this node. */
  status: "downloaded" | "notDownloaded" | "failed";
  /** Why, in a few words, when not downloaded. */
  reason?: string;
}

/** A compute node. @internal */
export interface NodeRecord {
  id: string;
  poolName: string;
  accountName: string;
  state: string;
  /** The pool's identities when this node was allocated (kept until the pool shrinks to 0: BatchManagement.json, `Pool.identity`). */
  identities: string[];
  isDedicated: boolean;
  allocationTime: number;
  stateTransitionTime: number;
  /** Simulated time at which the next lifecycle step happens. */
  nextAt: number;
  /** Lifecycle phase, finer than `state`. */
  phase: "creating" | "starting" | "join-stuck" | "starttask" | "ready" | "failed";
  errors: Array<{ code: string; message: string; errorDetails?: Array<{ name: string; value: string }> }>;
  startTaskInfo?: Record<string, unknown>;
  packages: NodePackageStatus[];
  files: Map<string, NodeFile>;
  log: string[];
  runningTask?: { jobId: string; taskId: string };
  totalTasksRun: number;
  totalTasksSucceeded: number;
  ipAddress: string;
}

/** One run of a job preparation or release task on a node (`*TaskExecutionInformation` of the data plane). @internal */
export interface JobTaskExecution {
  state: "running" | "completed";
  startTime: number;
  endTime?: number;
  exitCode?: number;
  result?: "success" | "failure";
  failureInfo?: { category: string; code: string; message: string; details?: Array<{ name: string; value: string }> };
}

/** What the job preparation and release tasks did on one node. @internal */
export interface JobNodeRecord {
  poolId: string;
  nodeId: string;
  preparation: JobTaskExecution;
  /** Set once the release task ran (the job was terminated or deleted). */
  release?: JobTaskExecution;
}

/** A job. @internal */
export interface JobRecord {
  id: string;
  spec: Record<string, unknown>;
  poolId?: string;
  autoPool: boolean;
  state: string;
  creationTime: number;
  lastModified: number;
  stateTransitionTime: number;
  etag: string;
  tasks: Map<string, TaskRecord>;
  /** Nodes that ran the job preparation task, by node id. */
  nodes: Map<string, JobNodeRecord>;
  /** Set when the job was terminated. */
  endTime?: number;
  terminateReason?: string;
}

/** A task. @internal */
export interface TaskRecord {
  id: string;
  jobId: string;
  spec: Record<string, unknown>;
  state: "active" | "preparing" | "running" | "completed";
  creationTime: number;
  stateTransitionTime: number;
  lastModified: number;
  etag: string;
  nodeId?: string;
  poolId?: string;
  startTime?: number;
  endTime?: number;
  /** When a running task finishes (simulated). */
  finishAt?: number;
  exitCode?: number;
  failureInfo?: { category: string; code: string; message: string; details?: Array<{ name: string; value: string }> };
  files: Map<string, NodeFile>;
}

/** The whole emulated world. @internal */
export class World {
  readonly identities = new Map<string, IdentityRecord>();
  readonly roleAssignments = new Map<string, RoleAssignmentRecord>();
  readonly storage = new Map<string, StorageRecord>();
  readonly accounts = new Map<string, AccountRecord>();

  constructor(
    readonly subscriptionId: string,
    readonly resourceGroup: string,
    readonly tenantId: string,
    readonly location: string,
    readonly clock: SimClock,
    readonly random: Random,
  ) {}

  /** A fresh ETag. */
  etag(): string {
    return `"0x8${this.random.hex(14).toUpperCase()}"`;
  }

  /** User-assigned identity by (case-insensitive) resource id. */
  identity(resourceId: string): IdentityRecord | undefined {
    return this.identities.get(canonicalId(resourceId));
  }

  /** Identity by its principal (object) id. */
  identityByPrincipal(principalId: string): IdentityRecord | undefined {
    const p = principalId.toLowerCase();
    for (const identity of this.identities.values()) if (identity.principalId.toLowerCase() === p) return identity;
    return undefined;
  }

  /** Account by name (Batch account names are lower case, compare that way). */
  account(name: string): AccountRecord | undefined {
    return this.accounts.get(name.toLowerCase());
  }

  /** Registers a storage account (idempotent) and returns it. */
  ensureStorage(name: string, resourceGroup: string = this.resourceGroup): StorageRecord {
    const key = name.toLowerCase();
    let record = this.storage.get(key);
    if (!record) {
      record = {
        id: `/subscriptions/${this.subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Storage/storageAccounts/${key}`,
        name: key,
        containers: new Map(),
      };
      this.storage.set(key, record);
    }
    return record;
  }
}
