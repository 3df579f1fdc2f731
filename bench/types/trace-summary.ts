/**
 * Reads a `tsc --generateTrace` directory and says where check time went: per package (declaration
 * files grouped by the `node_modules` package they belong to), the slowest files, and the longest
 * single checker events (the ones `@typescript/analyze-trace` calls hot spots).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  readonly args?: Record<string, unknown>;
}

/** Where a file belongs: its innermost `node_modules` package, else the program's own code. */
function packageOf(path: string, ownDir: string): string {
  let last: string | undefined;
  for (const m of path.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)) last = m[1];
  if (last !== undefined) return last;
  return path.includes("/dist/") ? "typed-batch (dist/*.d.ts)" : path.startsWith(ownDir) ? "the program itself" : path;
}

/** A short text report: check time per package, slowest files, longest events. */
export function summariseTrace(traceDir: string, ownDir: string, top = 8): string {
  const events = JSON.parse(readFileSync(join(traceDir, "trace.json"), "utf8")) as TraceEvent[];
  const perFile = new Map<string, number>();
  const open: TraceEvent[] = [];
  for (const e of events) {
    if (e.name !== "checkSourceFile") continue;
    if (e.ph === "B") open.push(e);
    else if (e.ph === "E") {
      const begin = open.pop();
      const path = String(begin?.args?.["path"] ?? "?");
      if (begin !== undefined) perFile.set(path, (perFile.get(path) ?? 0) + (e.ts - begin.ts) / 1000);
    }
  }
  const perPackage = new Map<string, number>();
  for (const [path, ms] of perFile) perPackage.set(packageOf(path, ownDir), (perPackage.get(packageOf(path, ownDir)) ?? 0) + ms);
  const ms = (n: number) => `${n.toFixed(0).padStart(6)} ms`;
  const short = (p: string) => p.replace(/.*node_modules\//, "").replace(ownDir, ".");
  const lines = ["check time by package:"];
  for (const [name, t] of [...perPackage].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${ms(t)}  ${name}`);
  lines.push("slowest files:");
  for (const [path, t] of [...perFile].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${ms(t)}  ${short(path)}`);
  lines.push("longest checker events (excluding program creation):");
  const skip = new Set(["processRootFiles", "findSourceFile", "createProgram", "resolveModuleNamesWorker"]);
  const longest = events.filter((e) => e.ph === "X" && e.dur !== undefined && !skip.has(e.name)).sort((a, b) => b.dur! - a.dur!).slice(0, top);
  for (const e of longest) {
    const where = e.args?.["path"] !== undefined ? ` ${short(String(e.args["path"]))}:${String(e.args["pos"])}` : "";
    lines.push(`  ${ms(e.dur! / 1000)}  ${e.name}${where}`);
  }
  return lines.join("\n");
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string };
  readonly children?: readonly number[];
}

/**
 * Reads a `tsc --generateCpuProfile` file and gives the share of samples inside (inclusive) each of
 * the checker functions that matter for generic calls, and the top functions by self time.
 */
export function summariseCpuProfile(file: string, top = 10): string {
  const profile = JSON.parse(readFileSync(file, "utf8")) as { nodes: ProfileNode[]; samples: number[] };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  const self = new Map<string, number>();
  for (const sample of profile.samples) {
    const seen = new Set<string>();
    const leaf = byId.get(sample)?.callFrame.functionName || "(anonymous)";
    self.set(leaf, (self.get(leaf) ?? 0) + 1);
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
      const name = byId.get(id)?.callFrame.functionName || "(anonymous)";
      if (!seen.has(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + 1), seen.add(name);
    }
  }
  const total = profile.samples.length;
  const pct = (n: number) => `${((100 * n) / total).toFixed(1).padStart(5)}%`;
  const lines = [`${total} samples; share of samples inside:`];
  for (const name of ["checkSourceFile", "checkCallExpression", "resolveCall", "chooseOverload", "inferTypeArguments", "instantiateType", "isTypeRelatedTo", "checkTypeRelatedTo", "getConditionalType", "getIndexedAccessType", "getReturnTypeOfSignature"]) {
    if (inclusive.has(name)) lines.push(`  ${pct(inclusive.get(name)!)}  ${name}`);
  }
  lines.push("top functions by self time:");
  for (const [name, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(n)}  ${name}`);
  return lines.join("\n");
}
