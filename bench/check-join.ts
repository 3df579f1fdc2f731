/**
 * Times `typed-batch check` on 1,000 small files (100 pools, 900 jobs with tasks) joined into
 * one deployment against the same files checked one by one (`--each`), both as a child process
 * end to end. Goal: joining costs under 2x. Prints numbers; asserts nothing.
 *
 * Run after `npm run bench:build`: node build/bench/check-join.js [fileCount]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const bin = join(resolve(process.cwd()), "dist/cli/main.js");
const fileCount = Number(process.argv[2] ?? 1000);
const pools = Math.max(1, Math.round(fileCount / 10));
const runs = 5;

const sub = "6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55";
const id = (name: string) => `/subscriptions/${sub}/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;

function poolBody(p: number): unknown {
  return { name: `pool-${p}`, identity: { type: "UserAssigned", userAssignedIdentities: { [id("reader")]: {} } }, properties: { vmSize: "STANDARD_D2S_V3" } };
}

function jobBody(j: number): unknown {
  return {
    id: `job-${j}`,
    poolInfo: { poolId: `pool-${j % pools}` },
    jobManagerTask: {
      id: "manager",
      commandLine: "run.sh",
      resourceFiles: [{ httpUrl: `https://store.blob.core.windows.net/in/${j}`, filePath: "in", identityReference: { resourceId: id(j % 100 === 99 ? "stranger" : "reader") } }],
    },
  };
}

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function time(args: string[]): { ms: number; findings: number } {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [bin, "check", ...args, "--json"], { encoding: "utf8", maxBuffer: 1 << 28 });
  const elapsed = ms(start);
  if (run.status !== 0 && run.status !== 1) throw new Error(`unexpected exit ${run.status}: ${run.stderr.slice(0, 500)}`);
  return { ms: elapsed, findings: (JSON.parse(run.stdout) as { findings: unknown[] }).findings.length };
}

const dir = mkdtempSync(join(tmpdir(), "typed-batch-join-"));
try {
  const files: string[] = [];
  for (let i = 0; i < fileCount; i++) {
    const file = join(dir, i < pools ? `pool-${i}.json` : `job-${i}.json`);
    writeFileSync(file, JSON.stringify(i < pools ? poolBody(i) : jobBody(i), null, 2));
    files.push(file);
  }
  const joined: number[] = [];
  const each: number[] = [];
  let joinedFindings = 0;
  let eachFindings = 0;
  for (let r = 0; r < runs; r++) {
    // Interleaved, so load from other processes hits both alike.
    const a = time(files);
    const b = time([...files, "--each"]);
    joined.push(a.ms);
    each.push(b.ms);
    joinedFindings = a.findings;
    eachFindings = b.findings;
  }
  const ratio = median(joined) / median(each);
  console.log(`check of ${fileCount} small files (${pools} pools, ${fileCount - pools} jobs), child process end to end, median of ${runs}:`);
  console.log(`  joined (one deployment): ${median(joined).toFixed(0)} ms, ${joinedFindings} findings (runs ${joined.map((x) => x.toFixed(0)).join(", ")})`);
  console.log(`  one by one (--each):     ${median(each).toFixed(0)} ms, ${eachFindings} findings (runs ${each.map((x) => x.toFixed(0)).join(", ")})`);
  console.log(`  joined / one by one: ${ratio.toFixed(2)}x (goal < 2x)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
