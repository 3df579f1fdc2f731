/**
 * Jobs. As in Batch, a job may name a pool that does not exist yet: the job
 * is accepted and its tasks wait (`active`) until such a pool has nodes.
 * A job manager task is added as an ordinary task of the job.
 */
import type { Env } from "../env.js";
import type { Router } from "../router.js";
import type { JobRecord } from "../state.js";
import { batch, bodyObject, odata, page } from "./common.js";
import { newTask } from "./tasks.js";

function jobJson(base: string, job: JobRecord): Record<string, unknown> {
  const iso = (t: number): string => new Date(t).toISOString();
  return {
    ...job.spec,
    id: job.id,
    url: `${base}/jobs/${job.id}`,
    eTag: job.etag,
    lastModified: iso(job.lastModified),
    creationTime: iso(job.creationTime),
    state: job.state,
    stateTransitionTime: iso(job.creationTime),
    priority: job.spec["priority"] ?? 0,
    usesTaskDependencies: job.spec["usesTaskDependencies"] ?? false,
    onAllTasksComplete: job.spec["onAllTasksComplete"] ?? "noaction",
    onTaskFailure: job.spec["onTaskFailure"] ?? "noaction",
    executionInfo: { startTime: iso(job.creationTime), ...(job.poolId !== undefined ? { poolId: job.poolId } : {}) },
  };
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
      if (typeof id !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
        return error(400, "InvalidPropertyValue", "The value provided for one of the properties in the request body is invalid.", [
          { key: "PropertyName", value: "id" },
          { key: "PropertyValue", value: String(id) },
        ]);
      }
      const poolInfo = body["poolInfo"] as { poolId?: unknown; autoPoolSpecification?: unknown } | undefined;
      const poolId = typeof poolInfo?.poolId === "string" ? poolInfo.poolId : undefined;
      const autoPool = poolInfo?.autoPoolSpecification !== undefined;
      if (!poolInfo || (poolId === undefined) === !autoPool) {
        return error(400, "InvalidPropertyValue", "Exactly one of poolInfo.poolId and poolInfo.autoPoolSpecification must be specified.", [
          { key: "PropertyName", value: "poolInfo" },
        ]);
      }
      if (account.jobs.has(id.toLowerCase())) return error(409, "JobExists", "The specified job already exists.");
      const now = world.clock.now();
      const job: JobRecord = {
        id,
        spec: body,
        ...(poolId !== undefined ? { poolId } : {}),
        autoPool,
        state: "active",
        creationTime: now,
        lastModified: now,
        etag: world.etag(),
        tasks: new Map(),
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
      // Free nodes that were running the job's tasks.
      const pool = job.poolId !== undefined ? account.pools.get(job.poolId.toLowerCase()) : undefined;
      for (const node of pool?.nodes.values() ?? []) {
        if (node.runningTask?.jobId === job.id) {
          delete node.runningTask;
          if (node.state === "running") node.state = "idle";
        }
      }
      account.jobs.delete(key);
      return { status: 202 };
    }),
  );
}
