/**
 * Compute node lifecycle, driven by the simulated clock:
 * `creating` (5 s) → `starting` (10 s) → join checks → start task (3 s) → `idle`.
 *
 * At the end of `starting` the node does what a Batch node does, in order:
 * 1. Pool application packages under `BatchAccountManagedIdentity` need the
 *    account's node identity reference. Without one the node never finishes
 *    joining: it stays `starting` and its agent-debug.log gets a line
 *    "pool not fully joined yet, health=Status.TvmJoinPoolInProgress" every
 *    30 s (table 1, row 3).
 * 2. Blob mounts (`azureBlobFileSystemConfiguration`) with an identity: IMDS
 *    refuses an identity that is not on the node, or Storage refuses a
 *    principal without a data role → `unusable`, error `MountConfigurationError`.
 * 3. The pool's container registries with an identity that IMDS refuses →
 *    `unusable`, error `ContainerInvalidImage` (an assumption: Azure/Batch#122
 *    shows this code for a refused pull on a task; no node-level list is published).
 *    A start task's own registry fails the start task instead (step 5).
 * 4. Application packages: IMDS refuses the node identity reference (it is
 *    not on the pool) → `unusable`, error `ApplicationPackageError` (row 4);
 *    Storage refuses (no data role) → the node still becomes `idle` but the
 *    packages are not downloaded (row 2); otherwise they land in
 *    `root/applications/{app}#{version}/` (row 1). `StorageKeys` downloads by key.
 * 5. Start task resource files (same rules as task resource files). Failure
 *    with `waitForSuccess` (default true) → `starttaskfailed`, else `idle`.
 *
 * A node gets the pool's identity list when it is allocated and keeps it:
 * changing the pool's identities only reaches new nodes (MANAGEMENT_SPEC,
 * `Pool.identity`: "only the new vms which are created after the pool
 * shrinks to 0 will have the updated identities").
 */
import { resolvePackage, packageBlob, packageContainer } from "../arm/applications.js";
import type { Env } from "../env.js";
import { storageAccountName } from "../ids.js";
import { imdsToken } from "../imds/imds.js";
import type { AccountRecord, NodeRecord, PoolRecord } from "../state.js";
import type { NodeErrorCode } from "../../azure/index.js";
import { failureDetails, openContainer } from "./agent.js";
import { nodeError, taskFailure, type FailureDetail, type FailureInfo } from "./failures.js";
import { downloadResourceFiles } from "./resource-files.js";

/** Simulated durations, in milliseconds. @internal */
export const DURATIONS = { create: 5_000, start: 10_000, startTask: 3_000, joinRetry: 30_000, task: 2_000 } as const;

const JOIN_LINE = "pool not fully joined yet, health=Status.TvmJoinPoolInProgress";
const MAX_LOG_LINES = 500;

function log(env: Env, node: NodeRecord, level: string, message: string): void {
  node.log.push(`${new Date(env.world.clock.now()).toISOString()} ${level} ${message}`);
  if (node.log.length > MAX_LOG_LINES) node.log.splice(0, node.log.length - MAX_LOG_LINES);
}

function setState(env: Env, node: NodeRecord, state: string): void {
  if (node.state !== state) {
    node.state = state;
    node.stateTransitionTime = env.world.clock.now();
  }
}

function unusable(env: Env, node: NodeRecord, code: NodeErrorCode, details?: FailureDetail[]): void {
  const error = nodeError(code, details);
  node.errors.push(error);
  node.phase = "failed";
  setState(env, node, "unusable");
  log(env, node, "ERROR", `${code}: ${error.message}`);
}

/** Target node counts of a pool from its scale settings. @internal */
export function targetNodes(pool: PoolRecord): { dedicated: number; lowPriority: number } {
  const scale = pool.properties["scaleSettings"] as { fixedScale?: Record<string, unknown>; autoScale?: unknown } | undefined;
  // No scaleSettings at all: one dedicated node, so a bare pool is testable.
  if (scale === undefined) return { dedicated: 1, lowPriority: 0 };
  const fixed = scale.fixedScale;
  if (fixed) {
    const n = (v: unknown): number => (typeof v === "number" && v >= 0 ? Math.floor(v) : 0);
    return { dedicated: n(fixed["targetDedicatedNodes"]), lowPriority: n(fixed["targetLowPriorityNodes"]) };
  }
  // Autoscale formulas are not evaluated.
  return { dedicated: 1, lowPriority: 0 };
}

/**
 * The pool's `allocationState`: `resizing` while nodes are being allocated (a node still in
 * `creating`), else `steady` (data-plane spec 2024-07-01.20.0, AllocationState: "resizing: Compute Nodes
 * are being added to or removed from the Pool"). Removal is instant here, so only adding shows.
 * @internal
 */
export function allocationState(pool: PoolRecord): "steady" | "resizing" {
  return [...pool.nodes.values()].some((n) => n.phase === "creating") ? "resizing" : "steady";
}

/** Adds or removes nodes so the pool matches its target. @internal */
export function resizePool(env: Env, account: AccountRecord, pool: PoolRecord): void {
  const world = env.world;
  const target = targetNodes(pool);
  // A pool's identity list reaches only nodes created after the pool shrank to 0 nodes
  // (MANAGEMENT_SPEC BatchPoolIdentity: "...only nodes created after the pool shrinks to 0...").
  if (pool.nodes.size === 0 || pool.nodeIdentities === undefined) pool.nodeIdentities = [...pool.identity.userAssigned];
  for (const dedicated of [true, false]) {
    const want = dedicated ? target.dedicated : target.lowPriority;
    const have = [...pool.nodes.values()].filter((n) => n.isDedicated === dedicated);
    for (let i = have.length; i < want; i++) {
      pool.nodeCounter++;
      const id = `tvmps_${world.random.hex(64)}_${dedicated ? "d" : "p"}`;
      const now = world.clock.now();
      const node: NodeRecord = {
        id,
        poolName: pool.name,
        accountName: account.name,
        state: "creating",
        identities: [...pool.nodeIdentities],
        isDedicated: dedicated,
        allocationTime: now,
        stateTransitionTime: now,
        nextAt: now + DURATIONS.create,
        phase: "creating",
        errors: [],
        packages: [],
        files: new Map(),
        log: [],
        totalTasksRun: 0,
        totalTasksSucceeded: 0,
        ipAddress: `10.0.0.${3 + (pool.nodeCounter % 250)}`,
      };
      log(env, node, "INFO", `node allocated to pool ${pool.name}`);
      pool.nodes.set(id, node);
    }
    // Shrink: idle nodes first, then the rest (their tasks go back to the queue).
    const excess = have.length - want;
    if (excess > 0) {
      const order = [...have].sort((a, b) => Number(a.runningTask !== undefined) - Number(b.runningTask !== undefined));
      for (const node of order.slice(0, excess)) {
        if (node.runningTask) {
          const task = account.jobs.get(node.runningTask.jobId)?.tasks.get(node.runningTask.taskId);
          if (task && task.state !== "completed") {
            task.state = "active";
            delete task.nodeId;
            delete task.finishAt;
            task.stateTransitionTime = world.clock.now();
          }
        }
        pool.nodes.delete(node.id);
      }
    }
  }
  pool.allocationStateTransitionTime = world.clock.now();
}

/** The identity reference of a registry or mount, if any. */
const refOf = (value: unknown): string | undefined => {
  const id = (value as { identityReference?: { resourceId?: unknown } } | undefined)?.identityReference?.resourceId;
  return typeof id === "string" ? id : undefined;
};

/** Asks IMDS for an ACR token with the registry's identity. @internal */
export function registryTokenFailure(env: Env, node: NodeRecord, registry: unknown): FailureDetail[] | undefined {
  const identity = refOf(registry);
  if (identity === undefined) return undefined;
  const query = new URLSearchParams({ "api-version": "2018-02-01", resource: "https://management.azure.com/", mi_res_id: identity });
  const outcome = imdsToken(env.world, node, query, "true");
  if (outcome.ok) return undefined;
  const server = (registry as { registryServer?: unknown }).registryServer;
  return [
    { name: "RegistryServer", value: typeof server === "string" ? server : "" },
    ...failureDetails({ stage: "imds", status: outcome.status, error: outcome.body.error, description: outcome.body.error_description }),
  ];
}

/**
 * The failure of a task (or start, preparation, release task) whose `containerSettings.registry`
 * names an identity IMDS refuses: the pull is refused, `ContainerInvalidImage` (Azure/Batch#122).
 * @internal
 */
export function containerFailure(env: Env, node: NodeRecord, spec: Record<string, unknown> | undefined): FailureInfo | undefined {
  const settings = spec?.["containerSettings"] as { registry?: unknown; imageName?: unknown } | undefined;
  if (settings?.registry === undefined) return undefined;
  const details = registryTokenFailure(env, node, settings.registry);
  if (!details) return undefined;
  return taskFailure("ContainerInvalidImage", [{ name: "ContainerImage", value: typeof settings.imageName === "string" ? settings.imageName : "" }, ...details]);
}

function finishStart(env: Env, account: AccountRecord, pool: PoolRecord, node: NodeRecord): void {
  const world = env.world;
  const props = pool.properties;
  const auto = account.autoStorage;
  const packages = Array.isArray(props["applicationPackages"]) ? (props["applicationPackages"] as Array<Record<string, unknown>>) : [];
  const managed = auto?.authenticationMode === "BatchAccountManagedIdentity";

  // 1. Joining needs the node identity reference when packages come from managed-identity autostorage.
  if (packages.length > 0 && managed && auto?.nodeIdentityReference === undefined) {
    node.phase = "join-stuck";
    node.nextAt = world.clock.now() + DURATIONS.joinRetry;
    node.packages = packages.map((p) => ({ applicationId: String(p["id"] ?? ""), version: typeof p["version"] === "string" ? p["version"] : undefined, status: "notDownloaded", reason: "node has not joined the pool" }));
    log(env, node, "WARNING", JOIN_LINE);
    return;
  }

  // 2. Blob mounts.
  const mounts = Array.isArray(props["mountConfiguration"]) ? (props["mountConfiguration"] as Array<Record<string, unknown>>) : [];
  for (const mount of mounts) {
    const blobfs = mount["azureBlobFileSystemConfiguration"] as Record<string, unknown> | undefined;
    if (!blobfs) continue;
    const identity = refOf(blobfs);
    if (identity === undefined) continue;
    const opened = openContainer(
      env,
      node,
      { account: String(blobfs["accountName"] ?? "").toLowerCase(), container: String(blobfs["containerName"] ?? "").toLowerCase(), identity, sas: false },
      "read",
    );
    if (!opened.ok) {
      unusable(env, node, "MountConfigurationError", [
        { name: "MountPath", value: String(blobfs["relativeMountPath"] ?? "") },
        ...failureDetails(opened.failure),
      ]);
      return;
    }
  }

  // 3. The pool's container registries (image prefetch). The start task's own registry is the
  //    start task's business: it fails the start task, not the node (see finishStartTask).
  const container = (props["deploymentConfiguration"] as { virtualMachineConfiguration?: { containerConfiguration?: { containerRegistries?: unknown } } } | undefined)
    ?.virtualMachineConfiguration?.containerConfiguration;
  const registries: unknown[] = Array.isArray(container?.containerRegistries) ? container.containerRegistries : [];
  for (const registry of registries) {
    const failure = registryTokenFailure(env, node, registry);
    if (failure) {
      unusable(env, node, "ContainerInvalidImage", failure);
      return;
    }
  }
  const startTask = props["startTask"] as Record<string, unknown> | undefined;

  // 4. Application packages.
  node.packages = [];
  for (const ref of packages) {
    const id = String(ref["id"] ?? "");
    const version = typeof ref["version"] === "string" ? ref["version"] : undefined;
    const resolved = resolvePackage(account, { id, version });
    const storageName = auto ? storageAccountName(auto.storageAccountId) : undefined;
    if (!resolved || !auto || storageName === undefined) {
      node.packages.push({ applicationId: id, version, status: "notDownloaded", reason: "package not found" });
      continue;
    }
    const appId = resolved.app.name;
    const opened = openContainer(
      env,
      node,
      { account: storageName, container: packageContainer(appId), identity: managed ? auto.nodeIdentityReference : undefined, sas: !managed },
      "read",
    );
    if (!opened.ok && opened.failure.stage === "imds") {
      for (const p of node.packages) p.status = "notDownloaded";
      node.packages.push({ applicationId: appId, version: resolved.version, status: "failed", reason: opened.failure.description });
      unusable(env, node, "ApplicationPackageError", failureDetails(opened.failure));
      return;
    }
    if (!opened.ok) {
      const f = opened.failure;
      const why = `storage answered ${f.status} ${f.stage === "storage" ? f.code : f.error}`;
      node.packages.push({ applicationId: appId, version: resolved.version, status: "notDownloaded", reason: why });
      log(env, node, "ERROR", `application package ${appId}#${resolved.version} download failed: ${why}`);
      continue;
    }
    const blob = opened.blobs?.get(packageBlob(appId, resolved.version));
    if (!blob) {
      // Activation needs the blob, so only a blob deleted afterwards gets here; nothing to download.
      node.packages.push({ applicationId: appId, version: resolved.version, status: "notDownloaded", reason: "storage answered 404 BlobNotFound" });
      log(env, node, "ERROR", `application package ${appId}#${resolved.version} download failed: storage answered 404 BlobNotFound`);
      continue;
    }
    const dir = `root/applications/${appId}#${resolved.version}`;
    node.files.set(`${dir}/${packageBlob(appId, resolved.version)}`, { content: blob.content, at: world.clock.now() });
    node.packages.push({ applicationId: appId, version: resolved.version, status: "downloaded" });
    log(env, node, "INFO", `application package ${appId}#${resolved.version} downloaded to ${dir}`);
  }

  // 5. Start task.
  if (startTask) {
    const wait = startTask["waitForSuccess"] !== false;
    node.phase = "starttask";
    node.nextAt = world.clock.now() + DURATIONS.startTask;
    node.startTaskInfo = { state: "running", startTime: new Date(world.clock.now()).toISOString(), retryCount: 0 };
    setState(env, node, wait ? "waitingforstarttask" : "idle");
    return;
  }
  node.phase = "ready";
  setState(env, node, "idle");
  log(env, node, "INFO", "node joined the pool and is idle");
}

function finishStartTask(env: Env, account: AccountRecord, pool: PoolRecord, node: NodeRecord): void {
  const startTask = pool.properties["startTask"] as Record<string, unknown> | undefined;
  const wait = startTask?.["waitForSuccess"] !== false;
  const files = new Map<string, { content: Buffer; at: number }>();
  const failure = containerFailure(env, node, startTask) ?? downloadResourceFiles(env, account, node, startTask?.["resourceFiles"], files);
  for (const [path, file] of files) node.files.set(`root/startup/${path}`, file);
  const base = { ...node.startTaskInfo, endTime: new Date(env.world.clock.now()).toISOString(), retryCount: 0 };
  if (failure) {
    node.startTaskInfo = { ...base, state: "completed", result: "failure", failureInfo: failure };
    log(env, node, "ERROR", `start task failed: ${failure.code}`);
    node.phase = wait ? "failed" : "ready";
    setState(env, node, wait ? "starttaskfailed" : "idle");
    return;
  }
  node.startTaskInfo = { ...base, state: "completed", result: "success", exitCode: 0 };
  node.phase = "ready";
  setState(env, node, "idle");
  log(env, node, "INFO", "start task succeeded; node is idle");
}

/** Moves one node along its lifecycle up to the current simulated time. @internal */
export function stepNode(env: Env, account: AccountRecord, pool: PoolRecord, node: NodeRecord): void {
  const now = env.world.clock.now();
  // A few iterations cover several phases that fall due in one step.
  for (let guard = 0; guard < 8 && node.nextAt <= now; guard++) {
    switch (node.phase) {
      case "creating":
        node.phase = "starting";
        node.nextAt += DURATIONS.start;
        setState(env, node, "starting");
        log(env, node, "INFO", "node is starting; joining pool");
        break;
      case "starting":
        node.nextAt = Number.POSITIVE_INFINITY;
        finishStart(env, account, pool, node);
        break;
      case "join-stuck":
        log(env, node, "WARNING", JOIN_LINE);
        node.nextAt += DURATIONS.joinRetry;
        break;
      case "starttask":
        node.nextAt = Number.POSITIVE_INFINITY;
        finishStartTask(env, account, pool, node);
        break;
      default:
        node.nextAt = Number.POSITIVE_INFINITY;
    }
  }
}
