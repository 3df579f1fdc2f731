/**
 * Tasks: add, add collection, get, list (paged), delete, and the task's files.
 * `addtaskcollection` follows Batch's limits: at most 100 tasks (400
 * `InvalidPropertyValue` otherwise) and a body under 1 MB (413
 * `RequestBodyTooLarge`). Per-task results carry `TaskExists` for ids that
 * exist, and, with faults on, `ServerBusy` server errors for some tasks
 * (those are not added). Statuses are spelled as the `@azure/batch` 10.x
 * models spell them for API 2022-10-01.16.0: `success`, `clienterror`,
 * `servererror` (older API versions documented camel case; compare
 * case-insensitively).
 */
import type { BatchErrorCode } from "../../azure/index.js";
import type { Env } from "../env.js";
import type { Router } from "../router.js";
import type { JobRecord, TaskRecord, World } from "../state.js";
import { batch, bodyObject, odata, page, type BatchCtx } from "./common.js";

/** Largest add-collection body Batch accepts. @internal */
export const MAX_COLLECTION_BYTES = 1024 * 1024;
/** Most tasks in one add-collection call. @internal */
export const MAX_COLLECTION_TASKS = 100;

/** A new task record from a TaskAddParameter. @internal */
export function newTask(world: World, job: JobRecord, spec: Record<string, unknown>): TaskRecord {
  const now = world.clock.now();
  return {
    id: String(spec["id"]),
    jobId: job.id,
    spec,
    state: "active",
    creationTime: now,
    stateTransitionTime: now,
    lastModified: now,
    etag: world.etag(),
    files: new Map(),
  };
}

/** Checks what Batch checks when a task is added; returns [code, message, values] or undefined. */
function validateTask(spec: Record<string, unknown>): { code: BatchErrorCode; message: string; values: Array<{ key: string; value: string }> } | undefined {
  const id = spec["id"];
  if (typeof id !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
    return { code: "InvalidPropertyValue", message: "The value provided for one of the properties in the request body is invalid.", values: [{ key: "PropertyName", value: "id" }] };
  }
  if (typeof spec["commandLine"] !== "string") {
    return { code: "MissingRequiredProperty", message: "A required property was not specified in the request body.", values: [{ key: "PropertyName", value: "commandLine" }] };
  }
  const files = spec["resourceFiles"];
  if (Array.isArray(files)) {
    for (const [i, f] of (files as Array<Record<string, unknown>>).entries()) {
      const sources = ["autoStorageContainerName", "storageContainerUrl", "httpUrl"].filter((k) => typeof f[k] === "string");
      if (sources.length !== 1) {
        return {
          code: "InvalidPropertyValue",
          message: "Exactly one of autoStorageContainerName, storageContainerUrl or httpUrl must be specified for a resource file.",
          values: [{ key: "PropertyName", value: `resourceFiles[${i}]` }],
        };
      }
    }
  }
  return undefined;
}

function taskJson(ctx: BatchCtx, task: TaskRecord): Record<string, unknown> {
  const iso = (t: number): string => new Date(t).toISOString();
  const started = task.startTime !== undefined;
  const nodeUrl = task.nodeId !== undefined && task.poolId !== undefined ? `${ctx.base}/pools/${task.poolId}/nodes/${task.nodeId}` : undefined;
  const result =
    task.state === "completed" ? (task.failureInfo ? "failure" : "success") : undefined;
  return {
    ...task.spec,
    id: task.id,
    url: `${ctx.base}/jobs/${task.jobId}/tasks/${task.id}`,
    eTag: task.etag,
    creationTime: iso(task.creationTime),
    lastModified: iso(task.lastModified),
    state: task.state,
    stateTransitionTime: iso(task.stateTransitionTime),
    constraints: { maxWallClockTime: "P10675199DT2H48M5.4775807S", retentionTime: "P7D", maxTaskRetryCount: 0 },
    executionInfo: {
      retryCount: 0,
      requeueCount: 0,
      ...(started ? { startTime: iso(task.startTime ?? 0) } : {}),
      ...(task.endTime !== undefined ? { endTime: iso(task.endTime) } : {}),
      ...(task.exitCode !== undefined ? { exitCode: task.exitCode } : {}),
      ...(task.failureInfo ? { failureInfo: task.failureInfo } : {}),
      ...(result ? { result } : {}),
    },
    ...(nodeUrl !== undefined
      ? {
          nodeInfo: {
            affinityId: `TVM:${task.nodeId ?? ""}`,
            nodeUrl,
            poolId: task.poolId,
            nodeId: task.nodeId,
            taskRootDirectory: `workitems/${task.jobId}/job-1/${task.id}`,
            taskRootDirectoryUrl: `${nodeUrl}/files/workitems/${task.jobId}/job-1/${task.id}`,
          },
        }
      : {}),
  };
}

/** Registers task routes. @internal */
export function registerTasks(router: Router, env: Env): void {
  const world = env.world;
  const jobOf = (ctx: BatchCtx): JobRecord | undefined => ctx.account.jobs.get((ctx.req.params["job"] ?? "").toLowerCase());

  router.on(
    "POST",
    "/batch/:account/jobs/:job/tasks",
    batch(env, (ctx) => {
      const job = jobOf(ctx);
      if (!job) return ctx.error(404, "JobNotFound", "The specified job does not exist.");
      const body = bodyObject(ctx.req);
      if (!body) return ctx.error(400, "InvalidRequestBody", "The specified Request Body is not syntactically valid.");
      const invalid = validateTask(body);
      if (invalid) return ctx.error(400, invalid.code, invalid.message, invalid.values);
      const key = String(body["id"]).toLowerCase();
      if (job.tasks.has(key)) return ctx.error(409, "TaskExists", "The specified task already exists.");
      const task = newTask(world, job, body);
      job.tasks.set(key, task);
      const url = `${ctx.base}/jobs/${job.id}/tasks/${task.id}`;
      return { status: 201, headers: { etag: task.etag, "last-modified": new Date(task.lastModified).toUTCString(), dataserviceid: url, location: url } };
    }),
  );

  router.on(
    "POST",
    "/batch/:account/jobs/:job/addtaskcollection",
    batch(env, (ctx) => {
      if (ctx.req.body.length > MAX_COLLECTION_BYTES) {
        return ctx.error(413, "RequestBodyTooLarge", "The request body is too large and exceeds the maximum permissible limit.", [
          { key: "MaxLimit", value: String(MAX_COLLECTION_BYTES) },
        ]);
      }
      const job = jobOf(ctx);
      if (!job) return ctx.error(404, "JobNotFound", "The specified job does not exist.");
      const body = bodyObject(ctx.req);
      const value = body?.["value"];
      if (!Array.isArray(value)) return ctx.error(400, "InvalidRequestBody", "The specified Request Body is not syntactically valid.");
      if (value.length > MAX_COLLECTION_TASKS) {
        return ctx.error(400, "InvalidPropertyValue", "The value provided for one of the properties in the request body is invalid.", [
          { key: "PropertyName", value: "value" },
          { key: "PropertyValue", value: String(value.length) },
          { key: "Reason", value: `A task collection may contain at most ${MAX_COLLECTION_TASKS} tasks.` },
        ]);
      }
      const results = (value as Array<Record<string, unknown>>).map((spec) => {
        const taskId = typeof spec["id"] === "string" ? spec["id"] : "";
        const err = (code: BatchErrorCode, message: string, values?: Array<{ key: string; value: string }>) => ({
          code,
          message: { lang: "en-US", value: message },
          ...(values ? { values } : {}),
        });
        const invalid = validateTask(spec);
        if (invalid) return { status: "clienterror", taskId, error: err(invalid.code, invalid.message, invalid.values) };
        const key = taskId.toLowerCase();
        if (job.tasks.has(key)) return { status: "clienterror", taskId, error: err("TaskExists", "The specified task already exists.") };
        if (env.faults?.perTask(ctx.req.path, taskId)) {
          return { status: "servererror", taskId, error: err("ServerBusy", "The server is currently unable to receive requests. Please retry your request.") };
        }
        const task = newTask(world, job, spec);
        job.tasks.set(key, task);
        return {
          status: "success",
          taskId,
          eTag: task.etag,
          lastModified: new Date(task.lastModified).toISOString(),
          location: `${ctx.base}/jobs/${job.id}/tasks/${taskId}`,
        };
      });
      return {
        status: 200,
        headers: { "content-type": "application/json;odata=minimalmetadata" },
        body: { "odata.metadata": odata(ctx.base, "Microsoft.Azure.Batch.Protocol.Entities.TaskAddCollectionResult"), value: results },
      };
    }),
  );

  router.on(
    "GET",
    "/batch/:account/jobs/:job/tasks/:task",
    batch(env, (ctx) => {
      const job = jobOf(ctx);
      if (!job) return ctx.error(404, "JobNotFound", "The specified job does not exist.");
      const task = job.tasks.get((ctx.req.params["task"] ?? "").toLowerCase());
      if (!task) return ctx.error(404, "TaskNotFound", "The specified task does not exist.");
      return {
        status: 200,
        headers: { "content-type": "application/json;odata=minimalmetadata", etag: task.etag },
        body: { "odata.metadata": odata(ctx.base, `tasks/@Element`), ...taskJson(ctx, task) },
      };
    }),
  );
  router.on(
    "GET",
    "/batch/:account/jobs/:job/tasks",
    batch(env, (ctx) => {
      const job = jobOf(ctx);
      if (!job) return ctx.error(404, "JobNotFound", "The specified job does not exist.");
      return page(ctx.req, ctx.base, "tasks", [...job.tasks.values()].map((t) => taskJson(ctx, t)));
    }),
  );
  router.on(
    "DELETE",
    "/batch/:account/jobs/:job/tasks/:task",
    batch(env, (ctx) => {
      const job = jobOf(ctx);
      if (!job) return ctx.error(404, "JobNotFound", "The specified job does not exist.");
      const key = (ctx.req.params["task"] ?? "").toLowerCase();
      if (!job.tasks.delete(key)) return ctx.error(404, "TaskNotFound", "The specified task does not exist.");
      return { status: 200 };
    }),
  );
}
