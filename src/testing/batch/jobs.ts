/**
 * Jobs. As in Batch, a job may name a pool that does not exist yet: the job
 * is accepted and its tasks wait (`active`) until such a pool has nodes.
 * A job manager task is added as an ordinary task of the job.
 * Terminating a job (`POST /jobs/{id}/terminate`) ends its running tasks,
 * leaves its active tasks active, runs the job release task on the nodes
 * that ran the preparation task, and keeps the job (`completed`), so
 * `GET /jobs/{id}/jobpreparationandreleasetaskstatus` can still be read.
 * Deleting a job runs the release task too, then forgets the job.
 */
import { taskFailure } from "../behaviour/failures.js";
import { releaseNodes } from "../behaviour/job-tasks.js";
import { complete } from "../behaviour/task-runner.js";
import type { Env } from "../env.js";
import type { Router } from "../router.js";
import type { AccountRecord, JobRecord, JobTaskExecution } from "../state.js";
import { batch, bodyObject, isBatchId, odata, page, refuseId, refusePoolInfo } from "./common.js";
import { newTask } from "./tasks.js";

const iso = (t: number): string => new Date(t).toISOString();

function jobJson(base: string, job: JobRecord): Record<string, unknown> {
  return {
    ...job.spec,
    id: job.id,
    url: `${base}/jobs/${job.id}`,
    eTag: job.etag,
    lastModified: iso(job.lastModified),
    creationTime: iso(job.creationTime),
    state: job.state,
    stateTransitionTime: iso(job.stateTransitionTime),
    priority: job.spec["priority"] ?? 0,
    usesTaskDependencies: job.spec["usesTaskDependencies"] ?? false,
    onAllTasksComplete: job.spec["onAllTasksComplete"] ?? "noaction",
    onTaskFailure: job.spec["onTaskFailure"] ?? "noaction",
    executionInfo: {
      startTime: iso(job.creationTime),
      ...(job.endTime !== undefined ? { endTime: iso(job.endTime) } : {}),
      ...(job.poolId !== undefined ? { poolId: job.poolId } : {}),
      ...(job.terminateReason !== undefined ? { terminateReason: job.terminateReason } : {}),
    },
  };
}

/** `JobPreparationTaskExecutionInformation` / `JobReleaseTaskExecutionInformation` JSON. */
function executionJson(x: JobTaskExecution, dir: string, dirUrl: string): Record<string, unknown> {
  return {
    state: x.state,
    startTime: iso(x.startTime),
    ...(x.endTime !== undefined ? { endTime: iso(x.endTime) } : {}),
    taskRootDirectory: dir,
    taskRootDirectoryUrl: dirUrl,
    ...(x.exitCode !== undefined ? { exitCode: x.exitCode } : {}),
    ...(x.failureInfo ? { failureInfo: x.failureInfo } : {}),
    retryCount: 0,
    ...(x.result ? { result: x.result } : {}),
  };
}

/** Ends the job's running tasks and frees their nodes (terminate and delete). */
function endRunningTasks(env: Env, account: AccountRecord, job: JobRecord): void {
  const pool = job.poolId !== undefined ? account.pools.get(job.poolId.toLowerCase()) : undefined;
  const nodes = [...(pool?.nodes.values() ?? [])];
  for (const task of job.tasks.values()) {
    if (task.state !== "running" && task.state !== "preparing") continue;
    const node = nodes.find((n) => n.runningTask?.jobId === job.id && n.runningTask.taskId === task.id);
    complete(env, task, node, taskFailure("TaskEnded"));
  }
}

/** Registers job routes. @internal */
export function registerJobs(router: Router, env: Env): void {
  const world = env.world;
  router.on(
    "POST",
    "/batch/:account/jobs",
    batch(env, ({ req, account, base, error }) => {
      const body = bodyObject(req);
      if (!body) return error(400, "InvalidRequestBody", "The specified Request Body is not syntactically valid.");
      const id = body["id"];
      if (!isBatchId(id)) return refuseId(id, error);
      const poolInfo = body["poolInfo"] as { poolId?: unknown; autoPoolSpecification?: unknown } | undefined;
      const poolId = typeof poolInfo?.poolId === "string" ? poolInfo.poolId : undefined;
      const autoPool = poolInfo?.autoPoolSpecification !== undefined;
      const badPoolInfo = refusePoolInfo(poolInfo, "poolInfo", error);
      if (badPoolInfo) return badPoolInfo;
      if (account.jobs.has(id.toLowerCase())) return error(409, "JobExists", "The specified job already exists.");
      // Batch runs the release task only where the preparation task ran, so it refuses one without the other.
      if (body["jobReleaseTask"] !== undefined && body["jobPreparationTask"] === undefined) {
        return error(400, "InvalidPropertyValue", "The value provided for one of the properties in the request body is invalid.", [
          { key: "PropertyName", value: "jobReleaseTask" },
          { key: "Reason", value: "A Job Release Task cannot be specified without also specifying a Job Preparation Task for the Job." },
        ]);
      }
      const now = world.clock.now();
      const job: JobRecord = {
        id,
        spec: body,
        ...(poolId !== undefined ? { poolId } : {}),
        autoPool,
        state: "active",
        creationTime: now,
        lastModified: now,
        stateTransitionTime: now,
        etag: world.etag(),
        tasks: new Map(),
        nodes: new Map(),
      };
      const manager = body["jobManagerTask"] as Record<string, unknown> | undefined;
      if (manager && typeof manager["id"] === "string") {
        job.tasks.set(manager["id"].toLowerCase(), newTask(world, job, manager));
      }
      account.jobs.set(id.toLowerCase(), job);
      return {
        status: 201,
        headers: { etag: job.etag, "last-modified": new Date(now).toUTCString(), dataserviceid: `${base}/jobs/${id}`, location: `${base}/jobs/${id}` },
      };
    }),
  );
  router.on(
    "GET",
    "/batch/:account/jobs/:job",
    batch(env, ({ req, account, base, error }) => {
      const job = account.jobs.get((req.params["job"] ?? "").toLowerCase());
      if (!job) return error(404, "JobNotFound", "The specified job does not exist.");
      return {
        status: 200,
        headers: { "content-type": "application/json;odata=minimalmetadata", etag: job.etag },
        body: { "odata.metadata": odata(base, "jobs/@Element"), ...jobJson(base, job) },
      };
    }),
  );
  router.on(
    "GET",
    "/batch/:account/jobs",
    batch(env, ({ req, account, base }) => page(req, base, "jobs", [...account.jobs.values()].map((j) => jobJson(base, j)))),
  );
  router.on(
    "DELETE",
    "/batch/:account/jobs/:job",
    batch(env, ({ req, account, error }) => {
      const key = (req.params["job"] ?? "").toLowerCase();
      const job = account.jobs.get(key);
      if (!job) return error(404, "JobNotFound", "The specified job does not exist.");
      endRunningTasks(env, account, job);
      // A job still active when deleted ends first, release task included.
      if (job.state === "active") releaseNodes(env, account, job);
      account.jobs.delete(key);
      return { status: 202 };
    }),
  );
  router.on(
    "POST",
    "/batch/:account/jobs/:job/terminate",
    batch(env, ({ req, account, base, error }) => {
      const job = account.jobs.get((req.params["job"] ?? "").toLowerCase());
      if (!job) return error(404, "JobNotFound", "The specified job does not exist.");
      if (job.state === "completed") return error(409, "JobCompleted", "The specified job is already in a completed state.");
      const reason = bodyObject(req)?.["terminateReason"];
      endRunningTasks(env, account, job);
      releaseNodes(env, account, job);
      const now = world.clock.now();
      job.state = "completed";
      job.stateTransitionTime = now;
      job.endTime = now;
      job.lastModified = now;
      job.etag = world.etag();
      job.terminateReason = typeof reason === "string" ? reason : "UserTerminate";
      return { status: 202, headers: { etag: job.etag, "last-modified": new Date(now).toUTCString(), dataserviceid: `${base}/jobs/${job.id}` } };
    }),
  );
  router.on(
    "GET",
    "/batch/:account/jobs/:job/jobpreparationandreleasetaskstatus",
    batch(env, ({ req, account, base, error }) => {
      const job = account.jobs.get((req.params["job"] ?? "").toLowerCase());
      if (!job) return error(404, "JobNotFound", "The specified job does not exist.");
      if (job.spec["jobPreparationTask"] === undefined) {
        return error(409, "JobPreparationTaskNotSpecified", "The specified job does not have a Job Preparation task.");
      }
      const entries = [...job.nodes.values()].map((r) => {
        const dir = `workitems/${job.id}/job-1`;
        const nodeUrl = `${base}/pools/${r.poolId}/nodes/${r.nodeId}`;
        return {
          poolId: r.poolId,
          nodeId: r.nodeId,
          nodeUrl,
          jobPreparationTaskExecutionInfo: executionJson(r.preparation, `${dir}/jobpreparation`, `${nodeUrl}/files/${dir}/jobpreparation`),
          ...(r.release ? { jobReleaseTaskExecutionInfo: executionJson(r.release, `${dir}/jobrelease`, `${nodeUrl}/files/${dir}/jobrelease`) } : {}),
        };
      });
      return page(req, base, "jobpreparationandreleasetaskstatuslist", entries);
    }),
  );
}
