/**
 * Task scheduling and execution. A task runs only on a node that is `idle`
 * (one task per node); with no usable node it stays `active`. Before the
 * command runs the node checks, in order: the task's container registry
 * identity (`ContainerInvalidImage`, as Azure/Batch#122 shows for a refused pull), the job preparation task (once
 * per node, see job-tasks.ts), the task's application packages (`ApplicationPackageError`,
 * same mechanism as pool packages), then the task's resource files (see
 * resource-files.ts). Any failure completes the task at once with
 * `executionInfo.result = "failure"` and a `failureInfo`.
 * The command "runs" for 2 s; `exit N` anywhere in the command line sets the
 * exit code. Output files are uploaded afterwards.
 */
import { packageBlob, packageContainer, resolvePackage } from "../arm/applications.js";
import type { Env } from "../env.js";
import { storageAccountName } from "../ids.js";
import type { AccountRecord, JobRecord, NodeRecord, PoolRecord, TaskRecord } from "../state.js";
import { failureDetails, openContainer } from "./agent.js";
import { prepareNode } from "./job-tasks.js";
import { taskFailure, type FailureInfo } from "./failures.js";
import { DURATIONS, containerFailure } from "./node-lifecycle.js";
import { downloadResourceFiles, uploadOutputFiles } from "./resource-files.js";

/** Completes a task (with a failure, or an exit code) and frees the node that ran it. @internal */
export function complete(env: Env, task: TaskRecord, node: NodeRecord | undefined, failure: FailureInfo | undefined, exitCode?: number): void {
  const now = env.world.clock.now();
  task.state = "completed";
  task.stateTransitionTime = now;
  task.lastModified = now;
  task.endTime = now;
  task.etag = env.world.etag();
  delete task.finishAt;
  if (exitCode !== undefined) task.exitCode = exitCode;
  if (failure) task.failureInfo = failure;
  if (node) {
    delete node.runningTask;
    node.totalTasksRun++;
    if (!failure) node.totalTasksSucceeded++;
    if (node.state === "running") {
      node.state = "idle";
      node.stateTransitionTime = now;
    }
  }
}

function taskPackagesFailure(env: Env, account: AccountRecord, node: NodeRecord, task: TaskRecord): FailureInfo | undefined {
  const refs = task.spec["applicationPackageReferences"];
  if (!Array.isArray(refs) || refs.length === 0) return undefined;
  const auto = account.autoStorage;
  const storageName = auto ? storageAccountName(auto.storageAccountId) : undefined;
  const managed = auto?.authenticationMode === "BatchAccountManagedIdentity";
  for (const raw of refs as Array<Record<string, unknown>>) {
    const id = String(raw["applicationId"] ?? "");
    const resolved = resolvePackage(account, { id, version: typeof raw["version"] === "string" ? raw["version"] : undefined });
    const invalid = (details: Array<{ name: string; value: string }>): FailureInfo =>
      taskFailure("ApplicationPackageError", [{ name: "ApplicationId", value: id }, ...details]);
    if (!resolved || !auto || storageName === undefined) return invalid([{ name: "Reason", value: "package not found or not active" }]);
    if (managed && auto.nodeIdentityReference === undefined) {
      return invalid([{ name: "Reason", value: "the account has no node identity reference for autostorage" }]);
    }
    const opened = openContainer(
      env,
      node,
      { account: storageName, container: packageContainer(resolved.app.name), identity: managed ? auto.nodeIdentityReference : undefined, sas: !managed },
      "read",
    );
    if (!opened.ok) return invalid(failureDetails(opened.failure));
    const blob = opened.blobs?.get(packageBlob(resolved.app.name, resolved.version));
    // Activation needs the blob, so only a blob deleted afterwards is missing: nothing to download.
    if (!blob) return invalid(failureDetails({ stage: "storage", status: 404, code: "BlobNotFound" }));
    node.files.set(`root/applications/${resolved.app.name}#${resolved.version}/${packageBlob(resolved.app.name, resolved.version)}`, {
      content: blob.content,
      at: env.world.clock.now(),
    });
  }
  return undefined;
}

function start(env: Env, account: AccountRecord, job: JobRecord, pool: PoolRecord, node: NodeRecord, task: TaskRecord): void {
  const now = env.world.clock.now();
  task.state = "running";
  task.nodeId = node.id;
  task.poolId = pool.name;
  task.startTime = now;
  task.stateTransitionTime = now;
  task.etag = env.world.etag();
  node.runningTask = { jobId: job.id, taskId: task.id };
  node.state = "running";
  node.stateTransitionTime = now;

  const registryFailure = containerFailure(env, node, task.spec);
  if (registryFailure) {
    complete(env, task, node, registryFailure);
    return;
  }
  if (prepareNode(env, account, job, pool, node)) {
    // TaskState.preparing (data-plane spec 2024-07-01.20.0): "If the Job Preparation Task fails,
    // the Task will return to active and will be eligible to be assigned to a different Compute Node."
    requeue(env, task, node);
    return;
  }
  const pkgFailure = taskPackagesFailure(env, account, node, task);
  if (pkgFailure) {
    complete(env, task, node, pkgFailure);
    return;
  }
  const failure = downloadResourceFiles(env, account, node, task.spec["resourceFiles"], task.files);
  if (failure) {
    complete(env, task, node, failure);
    return;
  }
  task.finishAt = now + DURATIONS.task;
}

function finish(env: Env, node: NodeRecord | undefined, task: TaskRecord): void {
  const command = typeof task.spec["commandLine"] === "string" ? task.spec["commandLine"] : "";
  const exitCode = Number(/\bexit\s+(\d+)/.exec(command)?.[1] ?? 0);
  const now = env.world.clock.now();
  task.files.set("stdout.txt", { content: Buffer.from(`emulated run of: ${command}\n`), at: now });
  task.files.set("stderr.txt", { content: Buffer.alloc(0), at: now });
  let failure: FailureInfo | undefined = exitCode === 0 ? undefined : taskFailure("FailureExitCode");
  if (node) {
    for (const [p, f] of task.files) node.files.set(`root/workitems/${task.jobId}/job-1/${task.id}/${p}`, f);
    const uploadFailure = uploadOutputFiles(env, node, task.spec["outputFiles"], task.files, exitCode === 0);
    failure ??= uploadFailure;
  }
  complete(env, task, node, failure, exitCode);
}

/** Puts a task that has not run back in the queue and frees its node. */
function requeue(env: Env, task: TaskRecord, node: NodeRecord): void {
  const now = env.world.clock.now();
  task.state = "active";
  task.stateTransitionTime = now;
  delete task.nodeId;
  delete task.poolId;
  delete task.startTime;
  delete node.runningTask;
  node.state = "idle";
  node.stateTransitionTime = now;
}

/** Whether the job's preparation task failed on `node` (its tasks are not placed there again). */
const preparationFailedOn = (job: JobRecord, node: NodeRecord): boolean => job.nodes.get(node.id)?.preparation.result === "failure";

/** Finishes due tasks and places active tasks on idle nodes. @internal */
export function stepTasks(env: Env, account: AccountRecord): void {
  const now = env.world.clock.now();
  for (const job of account.jobs.values()) {
    for (const task of job.tasks.values()) {
      if (task.state === "running" && task.finishAt !== undefined && task.finishAt <= now) {
        const pool = job.poolId !== undefined ? account.pools.get(job.poolId.toLowerCase()) : undefined;
        finish(env, task.nodeId !== undefined ? pool?.nodes.get(task.nodeId) : undefined, task);
      }
    }
  }
  for (const job of account.jobs.values()) {
    if (job.state !== "active" || job.poolId === undefined) continue;
    const pool = account.pools.get(job.poolId.toLowerCase());
    if (!pool) continue;
    for (const task of job.tasks.values()) {
      if (task.state !== "active") continue;
      const node = [...pool.nodes.values()].find((n) => n.state === "idle" && n.runningTask === undefined && !preparationFailedOn(job, n));
      if (!node) break;
      start(env, account, job, pool, node, task);
    }
  }
}

/** Whether a pool has a node that can run the job's tasks now or later. @internal */
export function poolCanRun(pool: PoolRecord | undefined, job?: JobRecord): boolean {
  if (!pool) return false;
  return [...pool.nodes.values()].some(
    (n) => (job === undefined || !preparationFailedOn(job, n)) && (n.state === "idle" || n.state === "running" || n.phase === "creating" || n.phase === "starting" || n.phase === "starttask"),
  );
}
