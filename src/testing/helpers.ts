/**
 * Helpers a user's tests need on top of the Azure SDKs: uploading to a blob URL (an application
 * package's `storageUrl`), reading a node's or a task's file, running a job's tasks to completion
 * on the simulated clock, and the full IMDS token URL of a node.
 */
import https from "node:https";
import { advance } from "./behaviour/engine.js";
import type { Env } from "./env.js";

/**
 * Where a job's task ended up, as {@link Emulator.waitForTasks} reports it.
 * @example
 * ```ts
 * const tasks: TaskOutcome[] = emulator.waitForTasks("acct", "frames");
 * expect(tasks.every((t) => t.result === "success")).toBe(true);
 * ```
 */
export interface TaskOutcome {
  /** Task id. */
  id: string;
  /** Batch task state (`completed` for every entry {@link Emulator.waitForTasks} returns). */
  state: string;
  /** `success` or `failure` (the data plane's `executionInfo.result`). */
  result: "success" | "failure";
  /** Process exit code, when the task ran. */
  exitCode?: number;
  /** `executionInfo.failureInfo.code`, when the task failed. */
  failureCode?: string;
}

/**
 * Options of {@link Emulator.waitForTasks}.
 * @example
 * ```ts
 * emulator.waitForTasks("acct", "frames", { timeoutMs: 10 * 60_000 });
 * ```
 */
export interface WaitForTasksOptions {
  /**
   * Simulated milliseconds to wait at most; the call throws when tasks are still not completed then.
   * @default 3_600_000 (one simulated hour)
   */
  timeoutMs?: number;
}

/**
 * What {@link Emulator.imdsTokenUrl} puts in the query.
 * @example
 * ```ts
 * const url = emulator.imdsTokenUrl("acct", "render", nodeId, { resource: "https://storage.azure.com/", identity: worker.resourceId });
 * ```
 */
export interface ImdsTokenRequest {
  /** The audience, e.g. `https://storage.azure.com/`. */
  resource: string;
  /** The user-assigned identity to ask for: its ARM resource id (sent as `mi_res_id`). Omit on a node with one identity. */
  identity?: string;
}

const STEP_MS = 1_000;

/** Runs simulated time until every task of a job completed; throws after `timeoutMs`. @internal */
export function waitForTasks(env: Env, accountName: string, jobId: string, options: WaitForTasksOptions = {}): TaskOutcome[] {
  const job = env.world.account(accountName)?.jobs.get(jobId.toLowerCase());
  if (!job) throw new Error(`waitForTasks: no job '${jobId}' in Batch account '${accountName}'`);
  const timeout = options.timeoutMs ?? 3_600_000;
  const start = env.world.clock.now();
  const pending = () => [...job.tasks.values()].filter((t) => t.state !== "completed");
  advance(env, 0);
  while (pending().length > 0) {
    if (env.world.clock.now() - start >= timeout) {
      const left = pending().map((t) => `${t.id} (${t.state})`);
      throw new Error(`waitForTasks: after ${timeout} simulated ms, tasks of job '${jobId}' not completed: ${left.join(", ")}`);
    }
    advance(env, STEP_MS);
  }
  return [...job.tasks.values()]
    .map((t) => ({
      id: t.id,
      state: t.state,
      result: t.failureInfo ? ("failure" as const) : ("success" as const),
      ...(t.exitCode !== undefined && { exitCode: t.exitCode }),
      ...(t.failureInfo && { failureCode: t.failureInfo.code }),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Content of a file on a node (path rooted at `root/`, as {@link Emulator.nodeFiles} lists it). @internal */
export function readNodeFile(env: Env, accountName: string, poolName: string, nodeId: string, path: string): Buffer | undefined {
  return env.world.account(accountName)?.pools.get(poolName.toLowerCase())?.nodes.get(nodeId)?.files.get(path)?.content;
}

/** Content of a task's file (path relative to the task directory, as {@link Emulator.taskFiles} lists it). @internal */
export function readTaskFile(env: Env, accountName: string, jobId: string, taskId: string, path: string): Buffer | undefined {
  return env.world.account(accountName)?.jobs.get(jobId.toLowerCase())?.tasks.get(taskId.toLowerCase())?.files.get(path)?.content;
}

/** The token URL code on a node calls: `{imds}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=...&mi_res_id=...`. @internal */
export function imdsTokenUrl(endpoint: string, request: ImdsTokenRequest): string {
  const query = new URLSearchParams({ "api-version": "2018-02-01", resource: request.resource });
  if (request.identity !== undefined) query.set("mi_res_id", request.identity);
  return `${endpoint}/metadata/identity/oauth2/token?${query.toString()}`;
}

/**
 * Uploads `content` to a blob URL over HTTPS as a Put Blob with the URL's own SAS (what
 * `az storage blob upload --blob-url` does), so the emulator's Blob service applies its checks.
 * @internal
 */
export async function uploadBlob(url: string, content: string | Uint8Array, ca: string): Promise<void> {
  const body = Buffer.from(content);
  const status = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = https.request(
      url,
      { method: "PUT", ca, headers: { "x-ms-blob-type": "BlockBlob", "x-ms-version": "2021-12-02", "content-length": body.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
  if (status.status !== 201) {
    const code = /<Code>([^<]*)<\/Code>/.exec(status.text)?.[1] ?? "";
    throw new Error(`uploadBlob: Blob service answered ${status.status} ${code}`.trim());
  }
}
