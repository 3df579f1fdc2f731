import https from "node:https";
import http from "node:http";
import type { BatchServiceClient } from "@azure/batch";

/**
 * The article's log hunt for a node stuck in Starting: upload its Batch service logs to a
 * container, read agent-debug.log back and look for the TvmJoinPoolInProgress line. Three
 * requests per node; the doctor does it for one node per pool.
 */

/**
 * What the upload found.
 *
 * @example
 * ```ts
 * const r: NodeLogResult = { ok: true, joinPending: true, line: "pool not fully joined yet, health=Status.TvmJoinPoolInProgress" };
 * ```
 */
export type NodeLogResult = { readonly ok: true; readonly joinPending: boolean; readonly line?: string } | { readonly ok: false; readonly reason: string };

const joinLine = /pool not fully joined yet.*TvmJoinPoolInProgress|TvmJoinPoolInProgress/;

function get(url: string, ca: string | undefined, signal?: AbortSignal): Promise<{ status: number; text: string }> {
  const request = url.startsWith("https:") ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "GET", headers: { "x-ms-version": "2021-12-02" }, ...(ca !== undefined && { ca }), ...(signal && { signal }) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** `base` with `path` appended to its path and `query` added before the SAS. */
function withPath(containerUrl: string, path: string, query: Record<string, string> = {}): string {
  const url = new URL(containerUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}${path === "" ? "" : `/${path.split("/").map(encodeURIComponent).join("/")}`}`;
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url.toString();
}

/**
 * Uploads a node's logs to `containerUrl` (a SAS URL the node can write and we can read and list)
 * and reports whether agent-debug.log says the node has not joined the pool.
 *
 * @example
 * ```ts
 * const result = await readJoinState(batch, "render", nodeId, sasUrl, { since: new Date(Date.now() - 3600_000) });
 * if (result.ok && result.joinPending) console.log(result.line);
 * ```
 */
export async function readJoinState(
  batch: BatchServiceClient,
  pool: string,
  nodeId: string,
  containerUrl: string,
  options: { readonly since: Date; readonly ca?: string; readonly signal?: AbortSignal },
): Promise<NodeLogResult> {
  try {
    const upload = await batch.computeNode.uploadBatchServiceLogs(pool, nodeId, { containerUrl, startTime: options.since }, (options.signal ? { abortSignal: options.signal } : {}) as never);
    const listed = await get(withPath(containerUrl, "", { restype: "container", comp: "list", prefix: upload.virtualDirectoryName }), options.ca, options.signal);
    if (listed.status !== 200) return { ok: false, reason: `listing the log container answered HTTP ${listed.status}` };
    const names = [...listed.text.matchAll(/<Name>([^<]+)<\/Name>/g)].map((m) => (m[1] ?? "").replaceAll("&amp;", "&"));
    const debugLog = names.find((n) => /agent-debug\.log$/i.test(n));
    if (debugLog === undefined) return { ok: false, reason: "the node uploaded no agent-debug.log (can it write to the container?)" };
    const blob = await get(withPath(containerUrl, debugLog), options.ca, options.signal);
    if (blob.status !== 200) return { ok: false, reason: `reading agent-debug.log answered HTTP ${blob.status}` };
    const line = blob.text.split(/\r?\n/).find((l) => joinLine.test(l));
    return line === undefined ? { ok: true, joinPending: false } : { ok: true, joinPending: true, line: line.trim() };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const e = error as { statusCode?: number; code?: string; message?: string };
    return { ok: false, reason: `log upload failed (${e.statusCode !== undefined ? `HTTP ${e.statusCode} ` : ""}${e.code ?? e.message ?? "error"})` };
  }
}
