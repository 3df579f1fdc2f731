/**
 * `addMany` of N tasks from a lazy generator against an emulator in another process that injects
 * faults (413, 429, 503, dropped connections: 10% each, and 10% per-task server errors), with the
 * client's heap sampled during the run. Shared by test/scale/*.test.ts and scripts/faults-100k.ts.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import https from "node:https";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import { listEveryTask } from "../support/list-every-task.js";
import { BatchServiceClient, type CloudTask } from "@azure/batch";
import { AzureIdentityCredentialAdapter } from "@azure/ms-rest-js";
import { batchAccount, createBatchClient, job, pool, task, type JobSpec, type TaskSpec } from "typed-batch";
import { emulatorCredential, type EmulatorClientConfig } from "typed-batch/testing";

v8.setFlagsFromString("--expose-gc");
/** A full collection, for heap baselines. */
export const gc = vm.runInNewContext("gc") as () => void;

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) || !existsSync(join(dir, "test/scale/emulator-child.mjs"))) dir = dirname(dir);
  return dir;
}

/** What the child prints: the client configuration without its credential, plus the world facts. */
type ChildConfig = Omit<EmulatorClientConfig, "credential"> & { tenantId: string; principalId: string; location: string };

/** Starts the emulator child; `send` writes one command and resolves with the child's answer. */
export async function startChild(seed: number, accountName: string) {
  const child = spawn(process.execPath, [join(repoRoot(), "test/scale/emulator-child.mjs"), String(seed), accountName], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const queue: Array<(line: string) => void> = [];
  const first = new Promise<string>((resolve, reject) => {
    queue.push(resolve);
    child.once("exit", (code) => reject(new Error(`emulator child exited with ${code}`)));
  });
  lines.on("line", (line) => queue.shift()?.(line));
  const config = JSON.parse(await first) as ChildConfig;
  const send = (cmd: unknown) =>
    new Promise<Record<string, unknown>>((resolve) => {
      queue.push((line) => resolve(JSON.parse(line) as Record<string, unknown>));
      child.stdin.write(`${JSON.stringify(cmd)}\n`);
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.stdin.end();
    });
  return { config, send, stop };
}

/** Tasks built one at a time, as they are pulled. */
export function* lazyTasks(frames: JobSpec, count: number, onYield?: (i: number) => void): Generator<TaskSpec> {
  for (let i = 0; i < count; i++) {
    if (onYield !== undefined && i % 250 === 0) onYield(i);
    yield task(`t${String(i).padStart(7, "0")}`, frames)
      .withCommandLine(`render.sh --frame ${i} --scene scene-${i % 97}.blend --out frame-${i}.png --quality high --samples 256 --threads 8 --tile 64 --denoise on --seed ${i * 7919}`)
      .withProperties({ environmentSettings: [{ name: "FRAME", value: String(i) }, { name: "SCENE", value: `scene-${i % 97}` }, { name: "OUTPUT", value: `https://store.blob.core.windows.net/frames/frame-${i}.png` }] })
      .build();
  }
}

/** Lists every task of a job with the raw SDK, retrying whatever the fault injector breaks. */
export async function listAll(config: ChildConfig, jobId: string): Promise<CloudTask[]> {
  const credential = emulatorCredential(config.principalId, config.tenantId);
  const agent = new https.Agent({ ca: config.tlsCa });
  const batch = new BatchServiceClient(new AzureIdentityCredentialAdapter(credential, "https://batch.core.windows.net//.default"), config.accountEndpoint, {
    agentSettings: { https: agent, http: new (await import("node:http")).Agent() },
    noRetryPolicy: true,
  });
  const out = await listEveryTask(batch, jobId);
  agent.destroy();
  return out;
}

export interface FaultRunResult {
  readonly count: number;
  readonly added: number;
  readonly failed: number;
  readonly listed: number;
  readonly distinct: number;
  readonly missing: number;
  readonly ms: number;
  /** Heap growth over the pre-run baseline, at its peak during the run, garbage included (bytes). */
  readonly peakGrowth: number;
  /** Retained heap growth (after a full collection, sampled 20 times while tasks are pulled), at its peak (bytes). */
  readonly retainedGrowth: number;
  /** Retained heap growth at each sample (bytes). */
  readonly retainedSeries: number[];
  /** addtaskcollection responses by status. */
  readonly statuses: Record<string, number>;
}

/** One run: set up a job cleanly, turn faults on, addMany `count` tasks lazily, turn faults off, list. */
export async function runFaults(count: number, options: { seed?: number; concurrency?: number } = {}): Promise<FaultRunResult> {
  const child = await startChild(options.seed ?? 11, "scale");
  try {
    const { config } = child;
    const client = createBatchClient({ ...config, credential: emulatorCredential(config.principalId, config.tenantId) });
    const account = batchAccount(config.accountName, { location: config.location }).build();
    await client.accounts.createOrUpdate(account);
    const render = pool("render", account).withProperties({ vmSize: "STANDARD_D2S_V3", scaleSettings: { fixedScale: { targetDedicatedNodes: 0 } } }).build();
    await client.pools.create(render);
    const frames = job("frames", render).build();
    await client.jobs.create(frames);
    await child.send({ faults: { rate: 0.4, kinds: ["413", "429", "503", "drop"], planes: ["batch"], perTaskRate: 0.1 } });

    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    const sample = () => {
      const used = process.memoryUsage().heapUsed;
      if (used > peak) peak = used;
    };
    let retainedPeak = baseline;
    const retainedSeries: number[] = [];
    const every = Math.max(500, Math.floor(count / 20 / 250) * 250);
    const onYield = (i: number) => {
      sample();
      if (i % every === 0 && i > 0) {
        gc();
        const used = process.memoryUsage().heapUsed;
        retainedSeries.push(used - baseline);
        retainedPeak = Math.max(retainedPeak, used);
      }
    };
    const timer = setInterval(sample, 25);
    const t0 = performance.now();
    const result = await client.tasks.addMany(frames, lazyTasks(frames, count, onYield), { concurrency: options.concurrency ?? 64, baseMs: 5, maxMs: 50 });
    const ms = performance.now() - t0;
    clearInterval(timer);
    sample();
    await child.send({ faults: null });
    const statuses = (await child.send({ stats: true }))["statuses"] as Record<string, number>;
    const listed = await listAll(config, "frames");
    const ids = new Set(listed.map((t) => t.id ?? ""));
    let missing = 0;
    for (let i = 0; i < count; i++) if (!ids.has(`t${String(i).padStart(7, "0")}`)) missing++;
    return { count, added: result.added, failed: result.failed.length, listed: listed.length, distinct: ids.size, missing, ms, peakGrowth: peak - baseline, retainedGrowth: retainedPeak - baseline, retainedSeries, statuses };
  } finally {
    await child.stop();
  }
}

/** Heap retained by `count` built tasks held in an array: what buffering the input would cost. */
export function bufferedCost(count: number): number {
  const frames = job("frames", pool("render", batchAccount("scale", { location: "westeurope" }).build()).build()).build();
  gc();
  const before = process.memoryUsage().heapUsed;
  const held = [...lazyTasks(frames, count)];
  gc();
  const after = process.memoryUsage().heapUsed;
  if (held.length !== count) throw new Error("unreachable");
  return after - before;
}
