/**
 * Bulk task submission: typed-batch's `addMany` against the loop a JavaScript user writes today
 * (sequential `task.addCollection` chunks of 100 with the raw `@azure/batch` client), and the raw
 * client's own best rate at high concurrency (the ceiling), all against the emulator in its own
 * process with the same added latency per request.
 */
import { BatchServiceClient, type TaskAddParameter } from "@azure/batch";
import { AzureIdentityCredentialAdapter } from "@azure/ms-rest-js";
import https from "node:https";
import { batchAccount, createBatchClient, job, pool, task, type JobSpec } from "typed-batch";
import { emulatorCredential } from "typed-batch/testing";
import { startChildEmulator } from "./emulator-child.js";

const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 300);
const addManyTasks = Number(process.env.BENCH_ADDMANY_TASKS ?? 60_000);
const loopTasks = Number(process.env.BENCH_LOOP_TASKS ?? 3_000);

const child = await startChildEmulator(latencyMs);
const { config } = child;
const credential = emulatorCredential(config.principalId, config.tenantId);
const client = createBatchClient({ ...config, credential });
const account = batchAccount(config.accountName, { location: config.location }).build();
await client.accounts.createOrUpdate(account);
const render = pool("render", account).withProperties({ vmSize: "STANDARD_D2S_V3", scaleSettings: { fixedScale: { targetDedicatedNodes: 0 } } }).build();
await client.pools.create(render);

let jobCounter = 0;
async function freshJob(): Promise<JobSpec> {
  const spec = job(`bench-${++jobCounter}`, render).build();
  await client.jobs.create(spec);
  return spec;
}

function rawTasks(count: number): TaskAddParameter[] {
  return Array.from({ length: count }, (_, i) => ({ id: `t${i}`, commandLine: `render.sh ${i}` }));
}

const rawClient = new BatchServiceClient(new AzureIdentityCredentialAdapter(credential, "https://batch.core.windows.net//.default"), config.accountEndpoint, {
  agentSettings: { https: new https.Agent({ ca: config.tlsCa, keepAlive: true, maxSockets: 256 }), http: undefined as never },
});

async function timed(count: number, run: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await run();
  return count / ((performance.now() - start) / 1000);
}

// 1. The plain loop: sequential chunks of 100.
const plainJob = await freshJob();
const plainRate = await timed(loopTasks, async () => {
  const all = rawTasks(loopTasks);
  for (let i = 0; i < all.length; i += 100) await rawClient.task.addCollection(plainJob.id, all.slice(i, i + 100));
});

// 2. The raw client's ceiling: every chunk of 100 in flight at once, best of a few widths.
let ceiling = 0;
for (const width of [64, 128, 256]) {
  const j = await freshJob();
  const count = Math.min(addManyTasks, width * 100 * 3);
  const rate = await timed(count, async () => {
    const all = rawTasks(count);
    const chunks = Array.from({ length: Math.ceil(count / 100) }, (_, c) => all.slice(c * 100, c * 100 + 100));
    let next = 0;
    await Promise.all(
      Array.from({ length: width }, async () => {
        while (next < chunks.length) await rawClient.task.addCollection(j.id, chunks[next++]!);
      }),
    );
  });
  ceiling = Math.max(ceiling, rate);
}

// 3. typed-batch's addMany (built and guarded specs, streamed), over a few concurrencies.
const sweep: Array<{ concurrency: number; rate: number }> = [];
for (const concurrency of [16, 32, 64, 128]) {
  const j = await freshJob();
  const rate = await timed(addManyTasks, async () => {
    function* specs() {
      for (let i = 0; i < addManyTasks; i++) yield task(`t${i}`, j).withCommandLine(`render.sh ${i}`).build();
    }
    const result = await client.tasks.addMany(j, specs(), { concurrency });
    if (result.added !== addManyTasks) throw new Error(`added ${result.added} of ${addManyTasks}`);
  });
  sweep.push({ concurrency, rate });
}
const defaultJob = await freshJob();
const defaultRate = await timed(addManyTasks, async () => {
  function* specs() {
    for (let i = 0; i < addManyTasks; i++) yield task(`t${i}`, defaultJob).withCommandLine(`render.sh ${i}`).build();
  }
  await client.tasks.addMany(defaultJob, specs());
});

const f = (n: number) => Math.round(n).toLocaleString("en-US");
console.log(`\n## addMany at ${latencyMs} ms latency per request (emulator in its own process)\n`);
console.log("| path | tasks/s |");
console.log("|---|---|");
console.log(`| plain loop: sequential addCollection of 100 (raw @azure/batch), ${f(loopTasks)} tasks | ${f(plainRate)} |`);
for (const s of sweep) console.log(`| addMany, concurrency ${s.concurrency}, ${f(addManyTasks)} tasks | ${f(s.rate)} |`);
console.log(`| addMany, default concurrency, ${f(addManyTasks)} tasks | ${f(defaultRate)} |`);
console.log(`| raw client ceiling (64-256 chunks in flight) | ${f(ceiling)} |`);
console.log(`\naddMany (default) / plain loop: ${(defaultRate / plainRate).toFixed(1)}x; addMany (default) / raw ceiling: ${(defaultRate / ceiling).toFixed(2)}`);
await child.stop();
