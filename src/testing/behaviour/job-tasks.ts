/**
 * Job preparation and release tasks on a node. As in Batch:
 * - the preparation task runs once on a node, before the first task of the
 *   job that lands there. The node checks its container registry identity
 *   (`ContainerInvalidImage`), then downloads its resource files
 *   (codes of resource-files.ts). A failure is recorded on the node
 *   (`jobpreparationandreleasetaskstatus`); the task that was to run goes back
 *   to `active` and the job's tasks are not placed on that node again
 *   (data-plane spec 2024-07-01.20.0, TaskState.preparing).
 * - the release task runs when the job is terminated or deleted, on each
 *   node where the preparation task ran: the same registry check and
 *   downloads, recorded for `GET /jobs/{id}/jobpreparationandreleasetaskstatus`.
 *   It completes at once (the emulator does not model its command's run time).
 * A job release task needs a job preparation task (checked when the job is added).
 */
import type { Env } from "../env.js";
import type { AccountRecord, JobRecord, JobTaskExecution, NodeFile, NodeRecord, PoolRecord } from "../state.js";
import type { FailureInfo } from "./failures.js";
import { containerFailure } from "./node-lifecycle.js";
import { downloadResourceFiles } from "./resource-files.js";

/** The node-side checks of a job preparation or release task: registry first, then resource files. */
function runOn(env: Env, account: AccountRecord, node: NodeRecord, spec: Record<string, unknown>, dir: string): JobTaskExecution {
  const startTime = env.world.clock.now();
  const done = (failure: FailureInfo | undefined): JobTaskExecution => ({
    state: "completed",
    startTime,
    endTime: env.world.clock.now(),
    ...(failure ? { result: "failure" as const, failureInfo: failure } : { result: "success" as const, exitCode: 0 }),
  });
  const registryFailure = containerFailure(env, node, spec);
  if (registryFailure) return done(registryFailure);
  const files = new Map<string, NodeFile>();
  const failure = downloadResourceFiles(env, account, node, spec["resourceFiles"], files);
  for (const [p, f] of files) node.files.set(`${dir}/${p}`, f);
  return done(failure);
}

/**
 * Runs the job's preparation task on `node` if it has not run there yet, and
 * returns its failure (with the `JobPreparationTask` detail a task reports), if any.
 * @internal
 */
export function prepareNode(env: Env, account: AccountRecord, job: JobRecord, pool: PoolRecord, node: NodeRecord): FailureInfo | undefined {
  const prep = job.spec["jobPreparationTask"] as Record<string, unknown> | undefined;
  if (!prep) return undefined;
  let record = job.nodes.get(node.id);
  if (!record) {
    record = { poolId: pool.name, nodeId: node.id, preparation: runOn(env, account, node, prep, `root/workitems/${job.id}/job-1/jobpreparation`) };
    job.nodes.set(node.id, record);
  }
  // Recorded by runOn above, so it has FailureInfo's shape.
  const failure = record.preparation.failureInfo as FailureInfo | undefined;
  if (!failure) return undefined;
  return { ...failure, details: [{ name: "JobPreparationTask", value: String(prep["id"] ?? "jobpreparation") }, ...(failure.details ?? [])] };
}

/**
 * Runs the job's release task on every node that ran its preparation task
 * (and still exists), once. Called when the job is terminated or deleted.
 * @internal
 */
export function releaseNodes(env: Env, account: AccountRecord, job: JobRecord): void {
  const release = job.spec["jobReleaseTask"] as Record<string, unknown> | undefined;
  if (!release) return;
  for (const record of job.nodes.values()) {
    if (record.release !== undefined || record.preparation.state !== "completed") continue;
    const node = account.pools.get(record.poolId.toLowerCase())?.nodes.get(record.nodeId);
    if (!node) continue;
    record.release = runOn(env, account, node, release, `root/workitems/${job.id}/job-1/jobrelease`);
  }
}
