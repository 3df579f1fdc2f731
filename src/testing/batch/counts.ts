/**
 * Count reads the Azure CLI uses (`az batch job task-counts show`, `az batch pool node-counts list`),
 * shaped as BatchService.json (2024-07-01.20.0) defines them:
 * - `GET /jobs/{jobId}/taskcounts` → `TaskCountsResult` `{ taskCounts, taskSlotCounts }`, each with
 *   `active`, `running`, `completed`, `succeeded`, `failed` (a completed task has failed when it
 *   has a `failureInfo`, as the emulator's task `executionInfo.result` says; `preparing` counts as
 *   running); slots are each task's `requiredSlots` (default 1);
 * - `GET /nodecounts` → `PoolNodeCountsListResult` `{ value: [{ poolId, dedicated, lowPriority }] }`,
 *   each `NodeCounts` holding one count per node state plus `total`.
 */
import type { Env } from "../env.js";
import type { Router } from "../router.js";
import type { NodeRecord, TaskRecord } from "../state.js";
import { batch, odata } from "./common.js";

/** NodeCounts property for each node state the data plane reports. */
const NODE_STATE_KEYS: Record<string, string> = {
  creating: "creating",
  idle: "idle",
  offline: "offline",
  preempted: "preempted",
  rebooting: "rebooting",
  reimaging: "reimaging",
  running: "running",
  starting: "starting",
  starttaskfailed: "startTaskFailed",
  leavingpool: "leavingPool",
  unknown: "unknown",
  unusable: "unusable",
  waitingforstarttask: "waitingForStartTask",
  upgradingos: "upgradingOS",
};

function nodeCounts(nodes: NodeRecord[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(Object.values(NODE_STATE_KEYS).map((k) => [k, 0]));
  for (const node of nodes) {
    const key = NODE_STATE_KEYS[node.state.toLowerCase()] ?? "unknown";
    counts[key] = (counts[key] ?? 0) + 1;
  }
  counts["total"] = nodes.length;
  return counts;
}

function taskCounts(tasks: TaskRecord[], weight: (t: TaskRecord) => number): Record<string, number> {
  const counts = { active: 0, running: 0, completed: 0, succeeded: 0, failed: 0 };
  for (const task of tasks) {
    const w = weight(task);
    if (task.state === "active") counts.active += w;
    else if (task.state === "running" || task.state === "preparing") counts.running += w;
    else {
      counts.completed += w;
      if (task.failureInfo) counts.failed += w;
      else counts.succeeded += w;
    }
  }
  return counts;
}

/** Registers the two count reads. @internal */
export function registerCounts(router: Router, env: Env): void {
  router.on(
    "GET",
    "/batch/:account/jobs/:job/taskcounts",
    batch(env, ({ req, account, error }) => {
      const job = account.jobs.get((req.params["job"] ?? "").toLowerCase());
      if (!job) return error(404, "JobNotFound", "The specified job does not exist.");
      const tasks = [...job.tasks.values()];
      const slots = (t: TaskRecord): number => (typeof t.spec["requiredSlots"] === "number" ? t.spec["requiredSlots"] : 1);
      return { status: 200, body: { taskCounts: taskCounts(tasks, () => 1), taskSlotCounts: taskCounts(tasks, slots) } };
    }),
  );
  router.on(
    "GET",
    "/batch/:account/nodecounts",
    batch(env, ({ account, base }) => {
      const value = [...account.pools.values()].map((pool) => {
        const nodes = [...pool.nodes.values()];
        return { poolId: pool.name, dedicated: nodeCounts(nodes.filter((n) => n.isDedicated)), lowPriority: nodeCounts(nodes.filter((n) => !n.isDedicated)) };
      });
      return { status: 200, body: { "odata.metadata": odata(base, "poolnodecounts"), value } };
    }),
  );
}
