import type { BatchServiceClient, TaskAddParameter } from "@azure/batch";
import { postTaskCollection, type CollectionResult } from "./task-collection.js";
import { redact } from "../errors/redact.js";
import { backoffDelay, type BackoffOptions, failureOf, isRetriable, sleep } from "./retry.js";

/**
 * Bulk task submission over `task.addCollection`, the only bulk call `@azure/batch` 10.x has:
 * streamed chunks of at most 100 tasks and under 1 MB, several in flight, 413 split, retriable
 * failures retried per task, `TaskExists` after our own retry counted as added.
 */

/** Progress reported by `addMany`. */
export interface AddManyProgress {
  /** Tasks added so far. */
  readonly added: number;
  /** Tasks that failed for good so far. */
  readonly failed: number;
  /** Tasks read from the input so far. */
  readonly submitted: number;
}

/** Options of `client.tasks.addMany`. */
export interface AddManyOptions extends BackoffOptions {
  /**
   * Chunks (of up to 100 tasks) in flight at once. 64 is where `npm run bench` stops gaining at
   * 300 ms per request on a 2-core machine (see the README's performance section).
   * @default 64
   */
  readonly concurrency?: number;
  /**
   * Attempts per task before it is reported as failed. Generous because only retriable failures
   * (5xx, 429, dropped connections, per-task server errors) use them and each waits its backoff.
   * @default 30
   */
  readonly maxAttempts?: number;
  /** Called after each chunk settles. */
  readonly onProgress?: (progress: AddManyProgress) => void;
  /** Cancels the submission: no new chunk is sent; the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Outcome of `addMany`. */
export interface AddManyResult {
  /** Tasks the service has (including ones it already had from a retry of ours). */
  readonly added: number;
  /** Tasks that could not be added, with Azure's code and message. */
  readonly failed: Array<{
    /** The task's id. */
    readonly taskId: string;
    /** Azure's error code. */
    readonly code: string;
    /** Azure's error message. */
    readonly message: string;
  }>;
}

/** The service's limits for one `addCollection` call. */
export const maxTasksPerChunk = 100;
/** Request bodies must stay under 1 MB; a margin covers the JSON envelope. */
export const maxChunkBytes = 1_000_000 - 4_096;

interface Pending {
  readonly task: TaskAddParameter;
  /** The task's JSON, made once: it sizes the chunk and becomes part of the request body. */
  readonly json: string;
  readonly bytes: number;
  /** Attempts already made; after the first, `TaskExists` means an earlier attempt of ours landed. */
  attempts: number;
}

/** Groups a stream of tasks into chunks that respect the count and size limits. */
async function* chunksOf(tasks: AsyncIterable<TaskAddParameter> | Iterable<TaskAddParameter>, onRead: () => void): AsyncGenerator<Pending[]> {
  let chunk: Pending[] = [];
  let bytes = 0;
  for await (const task of tasks) {
    onRead();
    const json = JSON.stringify(task);
    const size = Buffer.byteLength(json) + 1;
    if (chunk.length > 0 && (chunk.length === maxTasksPerChunk || bytes + size > maxChunkBytes)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push({ task, json, bytes: size, attempts: 0 });
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}

/** Submits `tasks` to `jobId`; never throws for per-task failures, only for an abort. */
export async function addMany(
  client: BatchServiceClient,
  jobId: string,
  tasks: AsyncIterable<TaskAddParameter> | Iterable<TaskAddParameter>,
  options: AddManyOptions = {},
): Promise<AddManyResult> {
  const concurrency = Math.max(1, options.concurrency ?? 64);
  const maxAttempts = options.maxAttempts ?? 30;
  const failed: AddManyResult["failed"][number][] = [];
  let added = 0;
  let submitted = 0;
  const report = () => options.onProgress?.({ added, failed: failed.length, submitted });

  const fail = (p: Pending, code: string, message: string) => failed.push({ taskId: p.task.id, code, message: redact(message) });

  /** Sends one chunk until each of its tasks is added or failed for good. */
  const send = async (chunk: Pending[]): Promise<void> => {
    let todo = chunk;
    while (todo.length > 0) {
      options.signal?.throwIfAborted();
      for (const p of todo) p.attempts++;
      let retry: Pending[] = [];
      let wait = 0;
      try {
        const response: CollectionResult = await postTaskCollection(client, jobId, todo.map((p) => p.json), options.signal);
        const byId = new Map(response.value.map((r) => [r.taskId, r]));
        for (const p of todo) {
          const r = byId.get(p.task.id);
          if (r === undefined) {
            retry.push(p);
          } else if (String(r.status).toLowerCase() === "success") {
            added++;
          } else if (r.error?.code === "TaskExists" && p.attempts > 1) {
            added++; // an earlier attempt of ours landed but its answer was lost
          } else if (String(r.status).toLowerCase() === "servererror" || isRetriable({ ...(r.error?.code !== undefined && { code: r.error.code }) })) {
            retry.push(p);
          } else {
            fail(p, r.error?.code ?? "Unknown", r.error?.message?.value ?? "");
          }
        }
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        const failure = failureOf(error);
        if (failure.status === 413 || failure.code === "RequestBodyTooLarge") {
          const only = todo.length === 1 ? todo[0] : undefined;
          if (only !== undefined && only.bytes > maxChunkBytes) {
            fail(only, "RequestBodyTooLarge", "The task alone is larger than the service accepts in one request.");
            todo = [];
            continue;
          }
          if (only === undefined) {
            // Split and send both halves; a 413 means nothing of this request was added.
            for (const p of todo) p.attempts--;
            const half = Math.ceil(todo.length / 2);
            await send(todo.slice(0, half));
            await send(todo.slice(half));
            todo = [];
            continue;
          }
          // A single task under the limit refused as too large: the service's limit moved or it erred; try again later.
        }
        if (!isRetriable(failure) && failure.status !== 413 && failure.code !== "RequestBodyTooLarge") {
          const message = error instanceof Error ? error.message : String(error);
          for (const p of todo) fail(p, failure.code ?? String(failure.status ?? "Error"), message);
          todo = [];
          continue;
        }
        retry = todo;
        wait = backoffDelay(Math.max(...todo.map((p) => p.attempts)), failure, options);
      }
      todo = [];
      for (const p of retry) {
        if (p.attempts >= maxAttempts) fail(p, "RetriesExhausted", `Gave up after ${p.attempts} attempts.`);
        else todo.push(p);
      }
      if (todo.length > 0) await sleep(wait || backoffDelay(todo[0]?.attempts ?? 1, {}, options), options.signal);
    }
  };

  // A fixed set of workers pulls chunks from one shared stream, so memory stays bounded by
  // `concurrency` chunks whatever the task count.
  const stream = chunksOf(tasks, () => submitted++);
  let streamDone = false;
  const nextChunk = async (): Promise<Pending[] | undefined> => {
    if (streamDone) return undefined;
    const next = await stream.next();
    if (next.done) streamDone = true;
    return next.done ? undefined : next.value;
  };
  // Serialise pulls: an async generator must not be advanced concurrently.
  let pulling: Promise<unknown> = Promise.resolve();
  const pull = () => {
    const result = pulling.then(nextChunk);
    pulling = result.catch(() => undefined);
    return result;
  };
  const worker = async () => {
    for (let chunk = await pull(); chunk !== undefined; chunk = await pull()) {
      await send(chunk);
      report();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  report();
  return { added, failed };
}
