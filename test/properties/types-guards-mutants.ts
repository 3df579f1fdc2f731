/**
 * Mutants of the rule engine for the types = guards mutation check: for each place in
 * `src/rules/check.ts` that reports a finding (`out.push(finding("CODE", ...))`), a copy of the
 * library with that one report removed. The copies are the real sources transpiled to JavaScript
 * (`ts.transpileModule`, no type checking) into `node_modules/.cache/typed-batch-mutants/<n>/`,
 * where Node resolves their dependencies from the repo's `node_modules`; nothing in the shipped
 * code knows about mutants.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import type { Guards } from "./model.js";

/** A copy's `diagnose` (the JSON entry point `typed-batch check` uses). */
export type Diagnose = (bundle: unknown) => ReadonlyArray<{ severity: string; code: string; path: string; scenario?: string | undefined }>;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const srcDir = join(repoRoot, "src");
const cacheDir = join(repoRoot, "node_modules/.cache/typed-batch-mutants");
const engine = "rules/check.ts";

/** One reported finding in the engine: the rule a mutant removes. */
export interface RuleSite {
  readonly code: string;
  /** 1-based line in src/rules/check.ts. */
  readonly line: number;
  /** The function it sits in, for the report. */
  readonly where: string;
}

const report = /out\.push\(finding\("([A-Z_]+)"/;

/** Every `out.push(finding("CODE", ...))` of the engine, in source order. */
export function ruleSites(): RuleSite[] {
  const lines = readFileSync(join(srcDir, engine), "utf8").split("\n");
  const sites: RuleSite[] = [];
  let where = "(top level)";
  lines.forEach((line, i) => {
    const fn = /^(?:export )?function (\w+)/.exec(line);
    if (fn) where = fn[1] as string;
    const m = report.exec(line);
    if (m) sites.push({ code: m[1] as string, line: i + 1, where });
  });
  return sites;
}

function sourcesOf(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourcesOf(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [path] : [];
  });
}

function transpile(text: string): string {
  return ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, sourceMap: false } }).outputText;
}

/** The engine's source with the report at `line` removed (the finding is made, then dropped). */
export function withoutReport(source: string, line: number): string {
  const lines = source.split("\n");
  const text = lines[line - 1] ?? "";
  if (!report.test(text)) throw new Error(`line ${line} of ${engine} reports no finding`);
  lines[line - 1] = text.replace("out.push(finding(", "[].push(finding(");
  return lines.join("\n");
}

/**
 * Writes one copy of the library per rule site (and one unmutated copy, `original`) and imports
 * each one's guards. The unmutated copy is compared with the library itself, so a transpiling slip
 * shows as a difference there rather than as a killed mutant.
 */
export async function loadMutants(): Promise<{ original: Guards; mutants: { site: RuleSite; guards: Guards; diagnose: Diagnose }[] }> {
  rmSync(cacheDir, { recursive: true, force: true });
  const files = sourcesOf(srcDir).map((path) => ({ rel: relative(srcDir, path).replace(/\.ts$/, ".js"), path, js: transpile(readFileSync(path, "utf8")) }));
  const engineSource = readFileSync(join(srcDir, engine), "utf8");
  const write = (name: string, engineJs: string): string => {
    const root = join(cacheDir, name);
    for (const f of files) {
      const out = join(root, f.rel);
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, f.rel === engine.replace(/\.ts$/, ".js") ? engineJs : f.js);
    }
    // Node reads these as ES modules.
    writeFileSync(join(root, "package.json"), JSON.stringify({ type: "module" }));
    return root;
  };
  const load = async (root: string) => (await import(pathToFileURL(join(root, "rules/validate.js")).href)) as Guards;
  const loadDiagnose = async (root: string) => ((await import(pathToFileURL(join(root, "diagnose/diagnose.js")).href)) as { diagnose: Diagnose }).diagnose;
  const original = await load(write("original", transpile(engineSource)));
  const sites = ruleSites();
  const mutants = await Promise.all(
    sites.map(async (site, i) => {
      const root = write(`m${i}-${site.code}-l${site.line}`, transpile(withoutReport(engineSource, site.line)));
      return { site, guards: await load(root), diagnose: await loadDiagnose(root) };
    }),
  );
  return { original, mutants };
}
