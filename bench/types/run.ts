/**
 * Type cost of typed-batch beside the raw SDK types, side by side under TypeScript 5.9 and 7.0.
 * Generates the programs of `generate.ts` under `.tmp/type-bench/`, checks each with
 * `tsc --extendedDiagnostics`, and prints markdown tables. Numbers only: nothing here passes or
 * fails (the deterministic instantiation budgets are in test/types-budget/).
 *
 *   npm run bench:build && npm run bench:types
 *
 * The headline pairs are run interleaved (typed, raw, raw, typed, ...) so that a busy machine
 * slows both sides alike; each figure is the median of the runs:
 * - 500 tasks × 3 identity references (the builder chain, and the one-call `task(id, job, {...})`)
 *   against the same tasks as raw SDK object literals: goal check time ≤ 1.5x raw;
 * - a two-file consumer program with `skipLibCheck: false` importing typed-batch, against the same
 *   program importing only the three SDKs: goal ≤ 0.5 s more check time.
 *
 * Environment: BENCH_TYPES_TASKS (default 500), BENCH_TYPES_IDS (identities on the pool in the
 * headline, default 32), BENCH_TYPES_REPEATS (default 5), BENCH_TYPES_COMPILERS (default "5.9,7.0"),
 * BENCH_TYPES_SIZES (e.g. "8,32,128": also the per-size sweep with error paths and growth; off by
 * default), BENCH_TYPES_TRACE=1 (also a `--generateTrace` and `--generateCpuProfile` of the typed
 * headline programs under TypeScript 5.9, summarised).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fixed, int, machineLine, markdownTable, median, ratio } from "../markdown-table.js";
import { expectedErrors, generateProgram, programName, tsconfigFor, type ProgramSpec } from "./generate.js";
import { summariseCpuProfile, summariseTrace } from "./trace-summary.js";

const root = resolve(process.cwd());
const outDir = join(root, ".tmp/type-bench");
const tasks = Number(process.env.BENCH_TYPES_TASKS ?? 500);
const headlineIds = Number(process.env.BENCH_TYPES_IDS ?? 32);
const repeats = Number(process.env.BENCH_TYPES_REPEATS ?? 5);
const sizes = process.env.BENCH_TYPES_SIZES === undefined ? [] : process.env.BENCH_TYPES_SIZES.split(",").map(Number);
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

interface Run {
  readonly stats: Stats;
  readonly errors: number;
  readonly wall: number;
  readonly output: string;
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
  readonly files: number;
  readonly memoryMiB: number;
  readonly keys: readonly string[];
}

function writeProgram(spec: ProgramSpec): string {
  const dir = join(outDir, programName(spec));
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(generateProgram(spec))) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, "tsconfig.json"), tsconfigFor(spec));
  return dir;
}

function runTsc(bin: string, dir: string, extra: string[] = []): Run {
  const start = performance.now();
  const r = spawnSync(process.execPath, [bin, "-p", dir, "--extendedDiagnostics", "--pretty", "false", ...extra], { cwd: root, encoding: "utf8", maxBuffer: 256 * 2 ** 20 });
  const wall = (performance.now() - start) / 1000;
  const output = `${r.stdout}${r.stderr}`;
  const errors = output.split("\n").filter((l) => /error TS\d+/.test(l)).length;
  return { stats: parseStats(output), errors, wall, output };
}

function summarise(spec: ProgramSpec, compiler: string, runs: readonly Run[]): Result {
  const first = runs[0]!;
  const expected = expectedErrors(spec);
  if (first.errors !== expected) {
    console.error(`warning: ${programName(spec)} under ${compiler}: ${first.errors} errors, expected ${expected}\n${first.output.split("\n").slice(0, 5).join("\n")}`);
  }
  const pick = (key: string) => median(runs.map((r) => r.stats.get(key) ?? Number.NaN));
  return {
    spec,
    compiler,
    errors: first.errors,
    check: pick("Check time"),
    total: pick("Total time"),
    wall: median(runs.map((r) => r.wall)),
    instantiations: first.stats.get("Instantiations") ?? Number.NaN,
    types: first.stats.get("Types") ?? Number.NaN,
    files: first.stats.get("Files") ?? Number.NaN,
    memoryMiB: pick("Memory used") / 1024,
    keys: [...first.stats.keys()],
  };
}

/** Runs the programs of each group interleaved, `repeats` times, in alternating order. */
function measureInterleaved(compiler: (typeof compilers)[number], specs: readonly ProgramSpec[]): Result[] {
  const dirs = specs.map(writeProgram);
  const runs: Run[][] = specs.map(() => []);
  for (let r = 0; r < repeats; r++) {
    const order = specs.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) runs[i]!.push(runTsc(compiler.bin, dirs[i]!));
  }
  return specs.map((spec, i) => {
    const result = summarise(spec, compiler.name, runs[i]!);
    process.stderr.write(`  ${compiler.name} ${programName(spec)}: check ${fixed(result.check)} s, ${int(result.instantiations)} instantiations, ${result.errors} errors\n`);
    return result;
  });
}

// ---- the headline: side by side
interface Pair {
  readonly label: string;
  readonly typed: ProgramSpec;
  readonly raw: ProgramSpec;
  /** `ratio`: typed check time ≤ limit × raw; `extra`: typed check time ≤ raw + limit seconds. */
  readonly goal: { readonly kind: "ratio" | "extra"; readonly limit: number };
}

const pairs: Pair[] = [
  {
    label: `${tasks} tasks × 3 refs, ${headlineIds} ids: builder chain`,
    typed: { flavour: "typed", variant: "happy", identities: headlineIds, tasks },
    raw: { flavour: "raw", variant: "happy", identities: headlineIds, tasks },
    goal: { kind: "ratio", limit: 1.5 },
  },
  {
    label: "consumer, skipLibCheck: false (two files)",
    typed: { flavour: "typed", variant: "consumer", identities: 1, tasks: 1 },
    raw: { flavour: "raw", variant: "consumer", identities: 1, tasks: 1 },
    goal: { kind: "extra", limit: 0.5 },
  },
];

console.log(`\n## Type cost, side by side\n`);
console.log(`${await machineLine()}; median of ${repeats} interleaved run(s) per program; programs in .tmp/type-bench/\n`);

const headline: { compiler: string; pair: Pair; typed: Result; raw: Result }[] = [];
for (const compiler of compilers) {
  for (const pair of pairs) {
    const [typed, raw] = measureInterleaved(compiler, [pair.typed, pair.raw]) as [Result, Result];
    headline.push({ compiler: compiler.name, pair, typed, raw });
  }
}

const verdict = (ok: boolean) => (ok ? "met" : "missed");
console.log("");
console.log(
  markdownTable(
    ["tsc", "program", "typed-batch check s", "raw SDK check s", "typed / raw", "extra s", "typed-batch instantiations", "raw instantiations", "files (typed / raw)", "goal", "verdict"],
    headline.map(({ compiler, pair, typed, raw }) => [
      compiler,
      pair.label,
      fixed(typed.check),
      fixed(raw.check),
      ratio(typed.check, raw.check),
      fixed(typed.check - raw.check),
      int(typed.instantiations),
      int(raw.instantiations),
      `${int(typed.files)} / ${int(raw.files)}`,
      pair.goal.kind === "ratio" ? `≤ ${pair.goal.limit}x` : `≤ +${pair.goal.limit} s`,
      verdict(pair.goal.kind === "ratio" ? typed.check <= pair.goal.limit * raw.check : typed.check - raw.check <= pair.goal.limit),
    ]),
  ),
);

// ---- optional: the per-size sweep (error paths, growth with the pool's identities)
const results: Result[] = [];
if (sizes.length > 0) {
  const specs: ProgramSpec[] = [
    { flavour: "typed", variant: "baseline", identities: 0, tasks: 0 },
    { flavour: "raw", variant: "baseline", identities: 0, tasks: 0 },
    ...sizes.flatMap((n) => (["happy", "error"] as const).flatMap((variant) => (["typed", "raw"] as const).map((flavour): ProgramSpec => ({ flavour, variant, identities: n, tasks })))),
  ];
  for (const compiler of compilers) results.push(...measureInterleaved(compiler, specs));
}

const find = (compiler: string, flavour: ProgramSpec["flavour"], variant: ProgramSpec["variant"], n: number) =>
  results.find((r) => r.compiler === compiler && r.spec.flavour === flavour && r.spec.variant === variant && (variant === "baseline" || r.spec.identities === n));

if (sizes.length > 0) {
  for (const compiler of compilers) {
    console.log(`\n### By pool size, TypeScript ${compiler.name} (\`node ${compiler.bin.slice(root.length + 1)} --extendedDiagnostics\`)\n`);
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

  console.log(`\n### Goals by pool size\n`);
  const goalRows: (string | number)[][] = [];
  for (const compiler of compilers) {
    const c = compiler.name;
    for (const n of sizes) {
      const typed = find(c, "typed", "happy", n);
      const raw = find(c, "raw", "happy", n);
      if (typed && raw) goalRows.push([c, `check time ≤ 1.5x raw SDK, ${n} ids`, ratio(typed.check, raw.check), verdict(typed.check <= 1.5 * raw.check)]);
    }
    // Growth: instantiations above the imports-only baseline, per identity, between sizes.
    const base = find(c, "typed", "baseline", 0)?.instantiations ?? 0;
    const net = sizes.map((n) => (find(c, "typed", "happy", n)?.instantiations ?? Number.NaN) - base);
    if (net.length >= 2) {
      const grow = net[net.length - 1]! / net[0]!;
      const idsGrow = sizes[sizes.length - 1]! / sizes[0]!;
      goalRows.push([c, `instantiations grow ≤ linearly in ids (${sizes[0]}→${sizes[sizes.length - 1]} ids: ${idsGrow}x ids)`, `${grow.toFixed(2)}x (net of baseline: ${net.map(int).join(" → ")})`, verdict(grow <= idsGrow)]);
    }
    for (const n of sizes) {
      const happy = find(c, "typed", "happy", n);
      const error = find(c, "typed", "error", n);
      if (happy && error) {
        goalRows.push([c, `error path ≤ 5x happy, ${n} ids (${error.errors} errors): instantiations`, ratio(error.instantiations, happy.instantiations), verdict(error.instantiations <= 5 * happy.instantiations)]);
        goalRows.push([c, `error path ≤ 5x happy, ${n} ids: check time`, ratio(error.check, happy.check), verdict(error.check <= 5 * happy.check)]);
      }
    }
  }
  console.log(markdownTable(["tsc", "goal", "measured", "verdict"], goalRows));
}

// ---- what TypeScript 7.0 does not print
const allResults = [...headline.flatMap((h) => [h.typed, h.raw]), ...results];
const keysOf = (c: string) => new Set(allResults.find((r) => r.compiler === c)?.keys ?? []);
if (compilers.length === 2) {
  const k5 = keysOf("5.9");
  const k7 = keysOf("7.0");
  console.log(`\nTypeScript 7.0 \`--extendedDiagnostics\` does not print: ${[...k5].filter((k) => !k7.has(k)).join(", ") || "—"}.`);
  console.log(`It prints, where 5.9 does not: ${[...k7].filter((k) => !k5.has(k)).join(", ") || "—"}.`);
}

// ---- profile
if (process.env.BENCH_TYPES_TRACE === "1") {
  const ts59 = join(root, "node_modules/typescript/bin/tsc");
  for (const pair of pairs) {
    const dir = writeProgram(pair.typed);
    const traceDir = join(outDir, `trace-${programName(pair.typed)}`);
    const cpuProfile = join(outDir, `cpu-${programName(pair.typed)}.cpuprofile`);
    // Separate runs: writing the trace would show up in the CPU profile.
    runTsc(ts59, dir, ["--generateTrace", traceDir]);
    runTsc(ts59, dir, ["--generateCpuProfile", cpuProfile]);
    console.log(`\n### Profile: ${pair.label} (TypeScript 5.9, typed-batch side)\n`);
    console.log("```");
    console.log(summariseTrace(traceDir, dir));
    console.log(summariseCpuProfile(cpuProfile));
    console.log("```");
    console.log(`trace: ${traceDir.slice(root.length + 1)}; CPU profile: ${cpuProfile.slice(root.length + 1)}`);
  }
}
