/**
 * Files on compute nodes and in task directories (data-plane spec 2024-07-01.20.0, operations
 * File_ListFromTask, File_GetFromTask, File_GetPropertiesFromTask, File_ListFromComputeNode,
 * File_GetFromComputeNode, File_GetPropertiesFromComputeNode). Node paths are relative to the
 * node's root directory (`startup/stdout.txt`, `workitems/{job}/job-1/{task}/wd/...`), task paths
 * to the task directory (`stdout.txt`, `wd/...`). Without `recursive=true` a list shows the top
 * level only, directories included (`isDirectory`), as Batch does.
 * Unknown files are 404 `FileNotFound` (status-code page, "Batch Service Error Codes").
 */
import type { Env } from "../env.js";
import type { Req, Res, Router } from "../router.js";
import type { NodeFile } from "../state.js";
import { type BatchCtx, batch, page } from "./common.js";

/** The NodeFile entries of a file map under `prefix` (a URL for each). */
function listing(files: Map<string, NodeFile>, req: Req, url: (name: string) => string): Array<Record<string, unknown>> {
  const recursive = /^true$/i.test(req.query.get("recursive") ?? "");
  const out = new Map<string, Record<string, unknown>>();
  for (const [name, f] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const parts = name.split("/");
    if (!recursive && parts.length > 1) {
      const dir = parts[0] ?? "";
      if (!out.has(dir)) out.set(dir, { name: dir, url: url(dir), isDirectory: true });
      continue;
    }
    if (recursive) {
      // Directories on the way are listed too.
      for (let i = 1; i < parts.length; i++) {
        const dir = parts.slice(0, i).join("/");
        if (!out.has(dir)) out.set(dir, { name: dir, url: url(dir), isDirectory: true });
      }
    }
    out.set(name, {
      name,
      url: url(name),
      isDirectory: false,
      properties: {
        creationTime: new Date(f.at).toISOString(),
        lastModified: new Date(f.at).toISOString(),
        contentLength: f.content.length,
        contentType: "application/octet-stream",
      },
    });
  }
  return [...out.values()];
}

/** A file's content (GET) or properties only (HEAD), with Batch's `ocp-*` headers. */
function fileResponse(ctx: BatchCtx, file: NodeFile | undefined, url: string, head: boolean): Res {
  if (!file) return ctx.error(404, "FileNotFound", "The specified file does not exist.");
  const at = new Date(file.at).toUTCString();
  return {
    status: 200,
    headers: {
      "content-type": "application/octet-stream",
      "content-length": String(file.content.length),
      "last-modified": at,
      "ocp-creation-time": at,
      "ocp-batch-file-isdirectory": "false",
      "ocp-batch-file-url": url,
    },
    ...(head ? {} : { body: file.content }),
  };
}

/** Registers the node and task file routes. @internal */
export function registerFiles(router: Router, env: Env): void {
  const nodeFiles = (ctx: BatchCtx): { files: Map<string, NodeFile>; base: string } | Res => {
    const pool = ctx.account.pools.get((ctx.req.params["pool"] ?? "").toLowerCase());
    if (!pool) return ctx.error(404, "PoolNotFound", "The specified pool does not exist.");
    const node = pool.nodes.get(ctx.req.params["node"] ?? "");
    if (!node) return ctx.error(404, "NodeNotFound", "The specified node does not exist.");
    // The emulator keeps node paths under `root/`; Batch names them relative to the root directory.
    const files = new Map([...node.files.entries()].filter(([k]) => k.startsWith("root/")).map(([k, v]) => [k.slice(5), v] as const));
    return { files, base: `${ctx.base}/pools/${pool.name}/nodes/${node.id}/files` };
  };
  const taskFiles = (ctx: BatchCtx): { files: Map<string, NodeFile>; base: string } | Res => {
    const job = ctx.account.jobs.get((ctx.req.params["job"] ?? "").toLowerCase());
    if (!job) return ctx.error(404, "JobNotFound", "The specified job does not exist.");
    const task = job.tasks.get((ctx.req.params["task"] ?? "").toLowerCase());
    if (!task) return ctx.error(404, "TaskNotFound", "The specified task does not exist.");
    return { files: task.files, base: `${ctx.base}/jobs/${job.id}/tasks/${task.id}/files` };
  };
  const isRes = (x: { files: Map<string, NodeFile> } | Res): x is Res => !("files" in x);

  for (const [kind, find] of [
    ["nodes", nodeFiles],
    ["tasks", taskFiles],
  ] as const) {
    const prefix = kind === "nodes" ? "/batch/(?<account>[^/]+)/pools/(?<pool>[^/]+)/nodes/(?<node>[^/]+)/files" : "/batch/(?<account>[^/]+)/jobs/(?<job>[^/]+)/tasks/(?<task>[^/]+)/files";
    router.on(
      "GET",
      new RegExp(`^${prefix}/?$`, "i"),
      batch(env, (ctx) => {
        const found = find(ctx);
        if (isRes(found)) return found;
        return page(ctx.req, ctx.base, "files", listing(found.files, ctx.req, (name) => `${found.base}/${name}`));
      }),
    );
    for (const method of ["GET", "HEAD"]) {
      router.on(
        method,
        new RegExp(`^${prefix}/(?<path>.+)$`, "i"),
        batch(env, (ctx) => {
          const found = find(ctx);
          if (isRes(found)) return found;
          const path = (ctx.req.params["path"] ?? "").replace(/\\/g, "/");
          return fileResponse(ctx, found.files.get(path), `${found.base}/${path}`, method === "HEAD");
        }),
      );
    }
  }
}
