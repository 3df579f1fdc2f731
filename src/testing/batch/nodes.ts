/**
 * Compute nodes (list, get, upload service logs) and a read-only data-plane
 * view of pools. Log upload writes the node agent's logs, agent-debug.log
 * included, into the target container: with `identityReference` the node gets
 * a token from its IMDS (so the identity must be on the pool and hold a
 * writing data role), otherwise the container URL must carry a SAS. Batch
 * answers before the upload runs, so a refused upload still answers 200; it
 * just uploads nothing (and says so in agent-debug.log).
 */
import { parseBlobUrl, putBlob } from "../blob/blob.js";
import { openContainer } from "../behaviour/agent.js";
import { allocationState, targetNodes } from "../behaviour/node-lifecycle.js";
import type { Env } from "../env.js";
import type { Router } from "../router.js";
import type { NodeRecord, PoolRecord, World } from "../state.js";
import { batch, bodyObject, odata, page, type BatchCtx } from "./common.js";

function nodeJson(ctx: BatchCtx, pool: PoolRecord, node: NodeRecord): Record<string, unknown> {
  const iso = (t: number): string => new Date(t).toISOString();
  return {
    id: node.id,
    url: `${ctx.base}/pools/${pool.name}/nodes/${node.id}`,
    state: node.state,
    schedulingState: "enabled",
    stateTransitionTime: iso(node.stateTransitionTime),
    allocationTime: iso(node.allocationTime),
    ...(node.phase !== "creating" ? { lastBootTime: iso(node.allocationTime) } : {}),
    ipAddress: node.ipAddress,
    affinityId: `TVM:${node.id}`,
    vmSize: String(pool.properties["vmSize"] ?? "standard_d2s_v3").toLowerCase(),
    totalTasksRun: node.totalTasksRun,
    totalTasksSucceeded: node.totalTasksSucceeded,
    runningTasksCount: node.runningTask ? 1 : 0,
    runningTaskSlotsCount: node.runningTask ? 1 : 0,
    isDedicated: node.isDedicated,
    ...(pool.properties["startTask"] !== undefined ? { startTask: pool.properties["startTask"] } : {}),
    ...(node.startTaskInfo ? { startTaskInfo: node.startTaskInfo } : {}),
    ...(node.errors.length > 0 ? { errors: node.errors } : {}),
    ...(node.runningTask
      ? {
          recentTasks: [
            {
              taskUrl: `${ctx.base}/jobs/${node.runningTask.jobId}/tasks/${node.runningTask.taskId}`,
              jobId: node.runningTask.jobId,
              taskId: node.runningTask.taskId,
              taskState: "running",
            },
          ],
        }
      : {}),
    nodeAgentInfo: { version: "1.11.0-emulated", lastUpdateTime: iso(node.allocationTime) },
  };
}

function poolDataJson(ctx: BatchCtx, pool: PoolRecord, world: World): Record<string, unknown> {
  const iso = (t: number): string => new Date(t).toISOString();
  const nodes = [...pool.nodes.values()];
  const target = targetNodes(pool);
  return {
    id: pool.name,
    url: `${ctx.base}/pools/${pool.name}`,
    eTag: pool.etag,
    lastModified: iso(pool.lastModified),
    creationTime: iso(pool.creationTime),
    state: "active",
    stateTransitionTime: iso(pool.creationTime),
    allocationState: allocationState(pool),
    allocationStateTransitionTime: iso(pool.allocationStateTransitionTime),
    vmSize: String(pool.properties["vmSize"] ?? "standard_d2s_v3").toLowerCase(),
    currentDedicatedNodes: nodes.filter((n) => n.isDedicated).length,
    currentLowPriorityNodes: nodes.filter((n) => !n.isDedicated).length,
    targetDedicatedNodes: target.dedicated,
    targetLowPriorityNodes: target.lowPriority,
    enableAutoScale: false,
    taskSlotsPerNode: 1,
    ...(pool.identity.userAssigned.length > 0
      ? {
          identity: {
            type: "UserAssigned",
            userAssignedIdentities: pool.identity.userAssigned.map((resourceId) => {
              const record = world.identity(resourceId);
              return { resourceId, clientId: record?.clientId, principalId: record?.principalId };
            }),
          },
        }
      : {}),
  };
}

/** Registers node and data-plane pool routes. @internal */
export function registerNodes(router: Router, env: Env): void {
  const world = env.world;
  const poolOf = (ctx: BatchCtx): PoolRecord | undefined => ctx.account.pools.get((ctx.req.params["pool"] ?? "").toLowerCase());

  router.on(
    "GET",
    "/batch/:account/pools",
    batch(env, (ctx) => page(ctx.req, ctx.base, "pools", [...ctx.account.pools.values()].map((p) => poolDataJson(ctx, p, world)))),
  );
  router.on(
    "GET",
    "/batch/:account/pools/:pool",
    batch(env, (ctx) => {
      const pool = poolOf(ctx);
      if (!pool) return ctx.error(404, "PoolNotFound", "The specified pool does not exist.");
      return { status: 200, headers: { "content-type": "application/json;odata=minimalmetadata" }, body: { "odata.metadata": odata(ctx.base, "pools/@Element"), ...poolDataJson(ctx, pool, world) } };
    }),
  );
  router.on(
    "GET",
    "/batch/:account/pools/:pool/nodes",
    batch(env, (ctx) => {
      const pool = poolOf(ctx);
      if (!pool) return ctx.error(404, "PoolNotFound", "The specified pool does not exist.");
      return page(ctx.req, ctx.base, "nodes", [...pool.nodes.values()].map((n) => nodeJson(ctx, pool, n)));
    }),
  );
  router.on(
    "GET",
    "/batch/:account/pools/:pool/nodes/:node",
    batch(env, (ctx) => {
      const pool = poolOf(ctx);
      if (!pool) return ctx.error(404, "PoolNotFound", "The specified pool does not exist.");
      const node = pool.nodes.get(ctx.req.params["node"] ?? "");
      if (!node) return ctx.error(404, "NodeNotFound", "The specified node does not exist.");
      return { status: 200, headers: { "content-type": "application/json;odata=minimalmetadata" }, body: { "odata.metadata": odata(ctx.base, "nodes/@Element"), ...nodeJson(ctx, pool, node) } };
    }),
  );
  router.on(
    "POST",
    "/batch/:account/pools/:pool/nodes/:node/uploadbatchservicelogs",
    batch(env, (ctx) => {
      const pool = poolOf(ctx);
      if (!pool) return ctx.error(404, "PoolNotFound", "The specified pool does not exist.");
      const node = pool.nodes.get(ctx.req.params["node"] ?? "");
      if (!node) return ctx.error(404, "NodeNotFound", "The specified node does not exist.");
      const body = bodyObject(ctx.req);
      const containerUrl = body?.["containerUrl"];
      if (typeof containerUrl !== "string" || body?.["startTime"] === undefined) {
        return ctx.error(400, "MissingRequiredProperty", "A required property was not specified in the request body.", [
          { key: "PropertyName", value: typeof containerUrl !== "string" ? "containerUrl" : "startTime" },
        ]);
      }
      const loc = parseBlobUrl(containerUrl, env.url());
      if (!loc) {
        return ctx.error(400, "InvalidPropertyValue", "The value provided for one of the properties in the request body is invalid.", [
          { key: "PropertyName", value: "containerUrl" },
        ]);
      }
      const identity = (body?.["identityReference"] as { resourceId?: unknown } | undefined)?.resourceId;
      const virtualDirectoryName = `${pool.name}/${node.id}/${world.random.uuid()}`;
      const files: Array<[string, string]> = [
        ["agent-debug.log", node.log.join("\n") + "\n"],
        ["agent.log", node.log.filter((l) => !l.includes(" DEBUG ")).join("\n") + "\n"],
      ];
      const opened = openContainer(env, node, { account: loc.account, container: loc.container, identity: typeof identity === "string" ? identity : undefined, sas: loc.sas }, "write");
      if (opened.ok && opened.blobs) {
        for (const [name, text] of files) putBlob(world, opened.storage, loc.container, `${virtualDirectoryName}/${name}`, Buffer.from(text), "text/plain");
      } else {
        const why = opened.ok ? "container not found" : opened.failure.stage === "imds" ? `IMDS ${opened.failure.status} ${opened.failure.description}` : `storage ${opened.failure.status} ${opened.failure.code}`;
        node.log.push(`${new Date(world.clock.now()).toISOString()} ERROR batch service log upload failed: ${why}`);
      }
      return {
        status: 200,
        headers: { "content-type": "application/json;odata=minimalmetadata" },
        body: {
          "odata.metadata": odata(ctx.base, "Microsoft.Azure.Batch.Protocol.Entities.UploadBatchServiceLogsResult"),
          virtualDirectoryName,
          numberOfFilesUploaded: files.length,
        },
      };
    }),
  );
}
