/**
 * The type tests and examples under plain `tsc`, for each TypeScript given (5.9 and the native 7.0).
 *
 * tsd (`npm run test:types`) runs type-tests/*.test-d.ts with its own bundled TypeScript. This
 * script runs the same files, plus examples/*.ts, through each compiler's CLI with
 * type-tests/tsconfig.json ("typed-batch" resolves to the built dist/ through the package's self
 * reference) and checks what tsd would: every error lies inside an `expectError(...)` call, and every
 * `expectError(...)` call has an error. Then it compares the compilers: the same errors, at the same
 * places, with the same codes.
 *
 * Usage: node build/scripts/type-tests-tsc.js <tsc.js>...   e.g. node_modules/typescript7/bin/tsc
 * Exit 0 clean, 1 otherwise.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const project = "type-tests/tsconfig.json";

interface TscError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly code: string;
  readonly text: string;
}

/** `expectError(...)` spans of a file, as [startLine, startCol, endLine, endCol] (1-based). */
function expectErrorSpans(file: string): Array<{ from: [number, number]; to: [number, number]; hit: boolean }> {
  const text = readFileSync(path.join(root, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const spans: Array<{ from: [number, number]; to: [number, number]; hit: boolean }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "expectError") {
      const a = source.getLineAndCharacterOfPosition(node.getStart());
      const b = source.getLineAndCharacterOfPosition(node.getEnd());
      spans.push({ from: [a.line + 1, a.character + 1], to: [b.line + 1, b.character + 1], hit: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return spans;
}

function within(e: TscError, s: { from: [number, number]; to: [number, number] }): boolean {
  const after = e.line > s.from[0] || (e.line === s.from[0] && e.column >= s.from[1]);
  const before = e.line < s.to[0] || (e.line === s.to[0] && e.column <= s.to[1]);
  return after && before;
}

function run(tsc: string): { version: string; errors: TscError[]; ms: number } {
  const version = spawnSync(process.execPath, [tsc, "--version"], { cwd: root, encoding: "utf8" }).stdout.trim();
  const started = performance.now();
  const out = spawnSync(process.execPath, [tsc, "-p", project, "--pretty", "false"], { cwd: root, encoding: "utf8" });
  const ms = performance.now() - started;
  const errors: TscError[] = [];
  for (const line of `${out.stdout}${out.stderr}`.split("\n")) {
    const m = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
    if (m) errors.push({ file: m[1]!.split(path.sep).join("/"), line: Number(m[2]), column: Number(m[3]), code: m[4]!, text: m[5]! });
    else if (/error TS\d+/.test(line)) errors.push({ file: "(config)", line: 0, column: 0, code: "config", text: line });
  }
  if (out.status !== 0 && errors.length === 0) errors.push({ file: "(tsc)", line: 0, column: 0, code: "crash", text: `${out.stdout}${out.stderr}`.slice(0, 2000) });
  return { version, errors, ms };
}

const compilers = process.argv.slice(2);
if (compilers.length === 0) {
  console.error("usage: type-tests-tsc.js <path to tsc>...");
  process.exit(2);
}
const testFiles = readdirSync(path.join(root, "type-tests")).filter((f) => f.endsWith(".test-d.ts")).map((f) => `type-tests/${f}`);
let failed = false;
const results: Array<{ tsc: string; version: string; errors: TscError[] }> = [];
for (const tsc of compilers) {
  const { version, errors, ms } = run(tsc);
  results.push({ tsc, version, errors });
  const spans = new Map(testFiles.map((f) => [f, expectErrorSpans(f)]));
  const stray = errors.filter((e) => {
    const span = spans.get(e.file)?.find((s) => within(e, s));
    if (span) span.hit = true;
    return span === undefined;
  });
  const missed = [...spans].flatMap(([f, list]) => list.filter((s) => !s.hit).map((s) => `${f}:${s.from[0]}`));
  const expected = errors.length - stray.length;
  console.log(`${version} (${tsc}): ${expected} expected errors, ${stray.length} unexpected, ${missed.length} expectError without error, ${(ms / 1000).toFixed(1)} s`);
  for (const e of stray) console.error(`  unexpected ${e.file}:${e.line}:${e.column} ${e.code} ${e.text}`);
  for (const m of missed) console.error(`  no error inside expectError at ${m}`);
  if (stray.length > 0 || missed.length > 0) failed = true;
}
// The compilers must agree on line and code, so an error only one of them reports shows up. Columns
// may differ: for a failed overload (TS2769) 5.9 points at the argument, 7.0 inside it.
// One code pair is the same finding in other words: where an argument lacks a property (a brand,
// say), 5.9 reports the argument (TS2345 "not assignable to parameter") and 7.0 the missing
// property (TS2741 "property is missing"). They compare as one class; any other code must match.
const sameFinding: Readonly<Record<string, string>> = { TS2345: "TS2345|TS2741", TS2741: "TS2345|TS2741" };
const key = (e: TscError) => `${e.file}:${e.line} ${sameFinding[e.code] ?? e.code}`;
const [first, ...others] = results;
for (const other of others) {
  const a = new Set(first!.errors.map(key));
  const b = new Set(other.errors.map(key));
  const onlyA = [...a].filter((k) => !b.has(k));
  const onlyB = [...b].filter((k) => !a.has(k));
  if (onlyA.length + onlyB.length > 0) {
    failed = true;
    console.error(`${first!.version} and ${other.version} disagree:`);
    for (const k of onlyA) console.error(`  only ${first!.version}: ${k}`);
    for (const k of onlyB) console.error(`  only ${other.version}: ${k}`);
  }
}
process.exitCode = failed ? 1 : 0;
