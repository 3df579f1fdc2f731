/**
 * Start-up cost, each sample in a fresh node process (median of N):
 * - `import("typed-batch")` against importing the Azure SDKs it wraps (`@azure/arm-batch`,
 *   `@azure/batch`, `@azure/identity`), timed inside the child around the import, and as whole
 *   process wall time (both net of an empty `node` process);
 * - `typed-batch --version` and `typed-batch check` on a tiny bundle (`node dist/cli/main.js`).
 *
 * Numbers only. `node build/bench/runtime/startup.js`; BENCH_STARTUP_RUNS (default 15).
 * BENCH_STARTUP_PROFILE=1 also writes `--cpu-prof` profiles of `import("typed-batch")` and of the
 * SDK imports under .tmp/runtime-bench/.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fixed, machineLine, markdownTable, median, ratio } from "../markdown-table.js";

const root = resolve(process.cwd());
const runs = Number(process.env.BENCH_STARTUP_RUNS ?? 15);
const outDir = join(root, ".tmp/runtime-bench");
mkdirSync(outDir, { recursive: true });

/** A child that imports `specifiers` one after another and prints the milliseconds it took. */
function importScript(specifiers: readonly string[]): string {
  return `const s = performance.now(); ${specifiers.map((m) => `await import(${JSON.stringify(m)});`).join(" ")} console.log(performance.now() - s);`;
}

interface Sample { readonly inner: number; readonly wall: number }

function runNode(args: readonly string[]): Sample {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
  const wall = performance.now() - start;
  if (r.status !== 0 && r.status !== 1) throw new Error(`node ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  const inner = Number(r.stdout.trim().split("\n").pop());
  return { inner, wall };
}

function sampled(args: readonly string[]): { inner: number; wall: number } {
  runNode(args); // warm the file system cache
  const samples = Array.from({ length: runs }, () => runNode(args));
  return { inner: median(samples.map((s) => s.inner)), wall: median(samples.map((s) => s.wall)) };
}

const esm = (code: string) => ["--input-type=module", "-e", code];
const sdks = ["@azure/arm-batch", "@azure/batch", "@azure/identity"];
const cases: Array<[string, readonly string[]]> = [
  ["empty node process", esm("console.log(0)")],
  ["import the three SDKs (@azure/arm-batch, @azure/batch, @azure/identity)", esm(importScript(sdks))],
  ["import the SDKs typed-batch loads (+ @azure/arm-authorization, @azure/ms-rest-js)", esm(importScript([...sdks, "@azure/arm-authorization", "@azure/ms-rest-js"]))],
  ["import typed-batch", esm(importScript(["typed-batch"]))],
  ["import zod (a typed-batch dependency)", esm(importScript(["zod"]))],
];
const tiny = join(outDir, "tiny.json");
writeFileSync(tiny, JSON.stringify({ pools: [{ name: "render", identity: { type: "None" }, properties: {} }] }));
const cli: Array<[string, readonly string[]]> = [
  ["typed-batch --version", ["dist/cli/main.js", "--version"]],
  ["typed-batch check tiny.json", ["dist/cli/main.js", "check", tiny]],
];

console.log(`\n## Start-up: fresh node process per sample\n`);
console.log(`${await machineLine()}; median of ${runs} runs\n`);
const results = new Map<string, { inner: number; wall: number }>();
for (const [name, args] of cases) results.set(name, sampled(args));
const empty = results.get("empty node process")!;
const sdk = results.get(cases[1]![0])!;
console.log(markdownTable(["import", "import ms (in process)", "process wall ms", "wall − empty process", "import vs three SDKs"], cases.map(([name]) => {
  const r = results.get(name)!;
  return [name, name === "empty node process" ? "—" : fixed(r.inner, 1), fixed(r.wall, 1), fixed(r.wall - empty.wall, 1), name === "empty node process" ? "" : ratio(r.inner, sdk.inner)];
})));

const cliRows = cli.map(([name, args]) => {
  const r = sampled(args);
  return [name, fixed(r.wall, 1), fixed(r.wall - empty.wall, 1)];
});
console.log(`\n${markdownTable(["command", "process wall ms", "wall − empty process"], cliRows)}`);

const typed = results.get("import typed-batch")!;
console.log(`\n### Goal: importing typed-batch at most 1.1x importing the SDKs it wraps\n`);
console.log(markdownTable(["measure", "value", "verdict"], [
  ["import typed-batch / import the three SDKs (in process)", ratio(typed.inner, sdk.inner), typed.inner <= 1.1 * sdk.inner ? "met" : "missed"],
  ["same, process wall net of an empty process", ratio(typed.wall - empty.wall, sdk.wall - empty.wall), typed.wall - empty.wall <= 1.1 * (sdk.wall - empty.wall) ? "met" : "missed"],
]));

if (process.env.BENCH_STARTUP_PROFILE === "1") {
  for (const [name, specs] of [["typed-batch", ["typed-batch"]], ["sdks", sdks]] as const) {
    const dir = join(outDir, `cpu-${name}`);
    spawnSync(process.execPath, ["--cpu-prof", "--cpu-prof-dir", dir, ...esm(importScript(specs))], { cwd: root });
    console.log(`\nprofile: ${dir}`);
  }
}
