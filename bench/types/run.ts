/**
 * Type cost of typed-batch beside the raw SDK types: generates the programs of `generate.ts` under
 * `.tmp/type-bench/`, checks each with `tsc --extendedDiagnostics` under TypeScript 5.9 and 7.0,
 * and prints markdown tables (check time, instantiations, types, memory) and the goals.
 * Numbers only: nothing here passes or fails (the deterministic budgets are in test/types-budget/).
 *
 *   npm run bench:build && node build/bench/types/run.js
 *
 * Environment: BENCH_TYPES_SIZES (identities, default "8,32,128"), BENCH_TYPES_TASKS (default 500),
 * BENCH_TYPES_REPEATS (timed runs per program and compiler, median taken; default 3),
 * BENCH_TYPES_COMPILERS (default "5.9,7.0"), BENCH_TYPES_TRACE=1 (also writes `--generateTrace`
 * for typed-happy and typed-error at the largest size, TypeScript 5.9, under .tmp/type-bench/trace-*).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fixed, int, machineLine, markdownTable, median, ratio } from "../markdown-table.js";
import { expectedErrors, generateProgram, programName, tsconfigFor, type ProgramSpec } from "./generate.js";

const root = resolve(process.cwd());
const outDir = join(root, ".tmp/type-bench");
const sizes = (process.env.BENCH_TYPES_SIZES ?? "8,32,128").split(",").map(Number);
const tasks = Number(process.env.BENCH_TYPES_TASKS ?? 500);
const repeats = Number(process.env.BENCH_TYPES_REPEATS ?? 3);
const compilers = [
  { name: "5.9", bin: join(root, "node_modules/typescript/bin/tsc") },
  { name: "7.0", bin: join(root, "node_modules/typescript7/bin/tsc") },
].filter((c) => (process.env.BENCH_TYPES_COMPILERS ?? "5.9,7.0").split(",").includes(c.name));

/** One `--extendedDiagnostics` report: every `Key: value` line, numbers parsed (times in s, memory in KiB). */
type Stats = Map<string, number>;

function parseStats(output: string): Stats {
  const stats: Stats = new Map();
  for (const line of output.split("\n")) {
    const m = /^([A-Za-z][A-Za-z ]*?):\s+([\d.]+)(s|K)?\s*$/.exec(line.trim());
    if (m) stats.set(m[1]!, Number(m[2]));
  }
  return stats;
}

interface Result {
  readonly spec: ProgramSpec;
  readonly compiler: string;
  readonly errors: number;
  readonly check: number;
  readonly total: number;
  readonly wall: number;
  readonly instantiations: number;
  readonly types: number;
  readonly memoryMiB: number;
  readonly keys: readonly string[];
}

function writeProgram(spec: ProgramSpec): string {
  const dir = join(outDir, programName(spec));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "main.ts"), generateProgram(spec));
  writeFileSync(join(dir, "tsconfig.json"), tsconfigFor("main.ts"));
  return dir;
}

function runTsc(bin: string, dir: string, extra: string[] = []): { stats: Stats; errors: number; wall: number; output: string } {
  const start = performance.now();
  const r = spawnSync(process.execPath, [bin, "-p", dir, "--extendedDiagnostics", "--pretty", "false", ...extra], { cwd: root, encoding: "utf8", maxBuffer: 256 * 2 ** 20 });
  const wall = (performance.now() - start) / 1000;
  const output = `${r.stdout}${r.stderr}`;
  const errors = output.split("\n").filter((l) => /error TS\d+/.test(l)).length;
  return { stats: parseStats(output), errors, wall, output };
}

function measure(spec: ProgramSpec, dir: string, compiler: (typeof compilers)[number]): Result {
  const runs = Array.from({ length: repeats }, () => runTsc(compiler.bin, dir));
  const first = runs[0]!;
  const expected = expectedErrors(spec);
  if (first.errors !== expected) {
    console.error(`warning: ${programName(spec)} under ${compiler.name}: ${first.errors} errors, expected ${expected}\n${first.output.split("\n").slice(0, 5).join("\n")}`);
  }
  const pick = (key: string) => median(runs.map((r) => r.stats.get(key) ?? Number.NaN));
  return {
    spec,
    compiler: compiler.name,
    errors: first.errors,
    check: pick("Check time"),
    total: pick("Total time"),
    wall: median(runs.map((r) => r.wall)),
    instantiations: first.stats.get("Instantiations") ?? Number.NaN,
    types: first.stats.get("Types") ?? Number.NaN,
    memoryMiB: pick("Memory used") / 1024,
    keys: [...first.stats.keys()],
  };
}

const specs: ProgramSpec[] = [
  { flavour: "typed", variant: "baseline", identities: 0, tasks: 0 },
  { flavour: "raw", variant: "baseline", identities: 0, tasks: 0 },
  ...sizes.flatMap((n) =>
    (["happy", "error"] as const).flatMap((variant) => (["typed", "raw"] as const).map((flavour): ProgramSpec => ({ flavour, variant, identities: n, tasks }))),
  ),
];

console.log(`\n## Type cost: ${tasks} tasks × 3 identity references, pools of ${sizes.join(", ")} identities\n`);
console.log(`${await machineLine()}; median of ${repeats} run(s); programs in .tmp/type-bench/\n`);

const results: Result[] = [];
for (const compiler of compilers) {
  for (const spec of specs) {
    const dir = writeProgram(spec);
    const r = measure(spec, dir, compiler);
    results.push(r);
    process.stderr.write(`  ${compiler.name} ${programName(spec)}: check ${fixed(r.check)} s, ${int(r.instantiations)} instantiations, ${r.errors} errors\n`);
  }
}

const find = (compiler: string, flavour: ProgramSpec["flavour"], variant: ProgramSpec["variant"], n: number) =>
  results.find((r) => r.compiler === compiler && r.spec.flavour === flavour && r.spec.variant === variant && (variant === "baseline" || r.spec.identities === n));

for (const compiler of compilers) {
  console.log(`\n### TypeScript ${compiler.name} (\`node ${compiler.bin.slice(root.length + 1)} --extendedDiagnostics\`)\n`);
  const rows = results
    .filter((r) => r.compiler === compiler.name)
    .map((r) => {
      const raw = find(compiler.name, "raw", r.spec.variant, r.spec.identities);
      return [
        programName(r.spec),
        r.spec.variant === "baseline" ? "—" : r.spec.identities - (r.spec.variant === "error" ? 1 : 0),
        r.errors,
        fixed(r.check),
        fixed(r.total),
        fixed(r.wall),
        int(r.instantiations),
        int(r.types),
        int(r.memoryMiB),
        r.spec.flavour === "typed" && raw ? ratio(r.check, raw.check) : "",
        r.spec.flavour === "typed" && raw ? ratio(r.total, raw.total) : "",
      ];
    });
  console.log(markdownTable(["program", "ids attached", "errors", "check s", "total s", "wall s", "instantiations", "types", "memory MiB", "check vs raw", "total vs raw"], rows));
}

// ---- goals
console.log(`\n### Goals\n`);
const goalRows: (string | number)[][] = [];
for (const compiler of compilers) {
  const c = compiler.name;
  for (const n of sizes) {
    const typed = find(c, "typed", "happy", n);
    const raw = find(c, "raw", "happy", n);
    if (typed && raw) {
      goalRows.push([c, `check time ≤ 1.5x raw SDK, ${n} ids`, ratio(typed.check, raw.check), typed.check <= 1.5 * raw.check ? "met" : "missed"]);
      goalRows.push([c, `total time ≤ 1.5x raw SDK (incl. loading declarations), ${n} ids`, ratio(typed.total, raw.total), typed.total <= 1.5 * raw.total ? "met" : "missed"]);
    }
  }
  // Growth: instantiations above the imports-only baseline, per identity, between sizes.
  const base = find(c, "typed", "baseline", 0)?.instantiations ?? 0;
  const net = sizes.map((n) => (find(c, "typed", "happy", n)?.instantiations ?? Number.NaN) - base);
  if (net.length >= 2) {
    const grow = net[net.length - 1]! / net[0]!;
    const idsGrow = sizes[sizes.length - 1]! / sizes[0]!;
    goalRows.push([c, `instantiations grow ≤ linearly in ids (${sizes[0]}→${sizes[sizes.length - 1]} ids: ${idsGrow}x ids)`, `${grow.toFixed(2)}x (net of baseline: ${net.map(int).join(" → ")})`, grow <= idsGrow ? "met" : "missed"]);
  }
  for (const n of sizes) {
    const happy = find(c, "typed", "happy", n);
    const error = find(c, "typed", "error", n);
    if (happy && error) {
      goalRows.push([c, `error path ≤ 5x happy, ${n} ids (${error.errors} errors): instantiations`, ratio(error.instantiations, happy.instantiations), error.instantiations <= 5 * happy.instantiations ? "met" : "missed"]);
      goalRows.push([c, `error path ≤ 5x happy, ${n} ids: check time`, ratio(error.check, happy.check), error.check <= 5 * happy.check ? "met" : "missed"]);
    }
  }
}
console.log(markdownTable(["tsc", "goal", "measured", "verdict"], goalRows));

// ---- what TypeScript 7.0 does not print
const keysOf = (c: string) => new Set(results.find((r) => r.compiler === c)?.keys ?? []);
if (compilers.length === 2) {
  const k5 = keysOf("5.9");
  const k7 = keysOf("7.0");
  console.log(`\nTypeScript 7.0 \`--extendedDiagnostics\` does not print: ${[...k5].filter((k) => !k7.has(k)).join(", ") || "—"}.`);
  console.log(`It prints, where 5.9 does not: ${[...k7].filter((k) => !k5.has(k)).join(", ") || "—"}.`);
}

if (process.env.BENCH_TYPES_TRACE === "1") {
  const n = sizes[sizes.length - 1]!;
  for (const variant of ["happy", "error"] as const) {
    const spec: ProgramSpec = { flavour: "typed", variant, identities: n, tasks };
    const traceDir = join(outDir, `trace-${programName(spec)}`);
    runTsc(compilers[0]!.bin, writeProgram(spec), ["--generateTrace", traceDir]);
    console.log(`\ntrace: ${traceDir} (npx @typescript/analyze-trace ${traceDir})`);
  }
}
