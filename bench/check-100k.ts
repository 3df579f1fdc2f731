/**
 * Times `typed-batch check` on a generated 100,000-task bundle: end to end (child process, JSON
 * parse included) and, in process, JSON parse and `diagnose` apart. Prints numbers; asserts nothing.
 *
 * Run after building (the bin is dist/cli/main.js):
 *   node node_modules/typescript/bin/tsc -p tsconfig.json
 *   node node_modules/typescript/bin/tsc bench/check-100k.ts --outDir .tmp/bench --module nodenext --target es2022 --types node --strict --skipLibCheck
 *   node .tmp/bench/check-100k.js [taskCount]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = resolve(process.cwd());
const bin = join(root, "dist/cli/main.js");
const taskCount = Number(process.argv[2] ?? 100_000);
const jobs = 10;
const runs = 3;

const sub = "6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55";
const id = (name: string) => `/subscriptions/${sub}/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
const [worker, reader, stranger] = [id("worker"), id("reader"), id("stranger")];

/** A realistic bundle: every task has three identity-bearing items; one task in 1,000 is wrong. */
function bundle(): unknown {
  const perJob = Math.ceil(taskCount / jobs);
  return {
    account: {
      name: "renderacct",
      identity: { type: "UserAssigned", userAssignedIdentities: { [worker]: {} } },
      properties: { autoStorage: { storageAccountId: `/subscriptions/${sub}/resourceGroups/render/providers/Microsoft.Storage/storageAccounts/store`, authenticationMode: "BatchAccountManagedIdentity", nodeIdentityReference: { resourceId: worker } } },
    },
    pools: [{ name: "render", identity: { type: "UserAssigned", userAssignedIdentities: { [worker]: {}, [reader]: {} } }, properties: { vmSize: "STANDARD_D2S_V3", applicationPackages: [{ id: "ffmpeg" }] } }],
    jobs: Array.from({ length: jobs }, (_, j) => ({
      id: `job-${j}`,
      poolInfo: { poolId: "render" },
      tasks: Array.from({ length: Math.min(perJob, taskCount - j * perJob) }, (_, t) => ({
        id: `frame-${j}-${t}`,
        commandLine: `render.sh ${t}`,
        resourceFiles: [
          { autoStorageContainerName: "inputs", blobPrefix: `scene/${t}/` },
          { httpUrl: `https://store.blob.core.windows.net/models/${t}.bin`, filePath: "model.bin", identityReference: { resourceId: t % 1000 === 999 ? stranger : reader } },
        ],
        outputFiles: [{ filePattern: "*.png", destination: { container: { containerUrl: "https://store.blob.core.windows.net/frames", identityReference: { resourceId: reader } } }, uploadOptions: { uploadCondition: "taskSuccess" } }],
      })),
    })),
  };
}

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "typed-batch-bench-"));
  const file = join(dir, "bundle.json");
  try {
    writeFileSync(file, JSON.stringify(bundle()));
    console.log(`bundle: ${taskCount} tasks in ${jobs} jobs, ${(statSync(file).size / 1e6).toFixed(1)} MB`);

    const cli: number[] = [];
    let findings = 0;
    for (let i = 0; i < runs; i++) {
      const start = process.hrtime.bigint();
      const run = spawnSync(process.execPath, [bin, "check", file, "--json"], { encoding: "utf8", maxBuffer: 1 << 30 });
      cli.push(ms(start));
      findings = (JSON.parse(run.stdout) as { findings: unknown[] }).findings.length;
      if (run.status !== 1) throw new Error(`unexpected exit ${run.status}: ${run.stderr}`);
    }
    console.log(`check --json (child process, end to end): median ${median(cli).toFixed(0)} ms, runs ${cli.map((x) => x.toFixed(0)).join(", ")} ms; ${findings} findings`);

    // The compiled modules, typed here so this script compiles on its own.
    const { parseJsonText } = (await import(pathToFileURL(join(root, "dist/diagnose/json-text.js")).href)) as { parseJsonText(text: string): { ok: boolean; value?: unknown } };
    const { diagnose } = (await import(pathToFileURL(join(root, "dist/diagnose/diagnose.js")).href)) as { diagnose(value: unknown): unknown[] };
    const text = readFileSync(file, "utf8");
    const parse: number[] = [];
    const check: number[] = [];
    for (let i = 0; i < runs; i++) {
      let start = process.hrtime.bigint();
      const parsed = parseJsonText(text);
      parse.push(ms(start));
      if (!parsed.ok) throw new Error("bundle does not parse");
      start = process.hrtime.bigint();
      diagnose(parsed.value);
      check.push(ms(start));
    }
    console.log(`in process: JSON parse median ${median(parse).toFixed(0)} ms, diagnose median ${median(check).toFixed(0)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
