/**
 * Type-checks the code in doc comments and guides against the built package.
 *
 * The convention, the same in TSDoc comments (src/**\/*.ts) and in README.md and docs/*.md:
 * - a ```ts block that imports from "typed-batch" or "typed-batch/testing" is a complete program
 *   a reader may paste, and it is type-checked;
 * - a ```ts block without such an import is a fragment (it continues an earlier example, with
 *   `client` or `emulator` already in scope) and is not checked;
 * - ```ts fragment opts a block out even when it imports (say, an excerpt with `...` in it).
 * Other languages are ignored. The report counts the fragments, so the share left unchecked shows.
 *
 * Each block becomes a module under .tmp/doc-examples/ and all of them are compiled in one program
 * with the project's TypeScript (5.9) and compiler options. "typed-batch" resolves through the
 * package's own `exports` (self-reference), i.e. to dist/*.d.ts: build first. Errors are reported
 * at the file and line of the block in its source.
 *
 * Usage: node build/scripts/check-doc-examples.js   (exit 0 clean, 1 type errors, 2 no dist)
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** One extracted block. */
export interface DocExample {
  /** Source file, relative to the repository root. */
  readonly source: string;
  /** 1-based line of the block's first code line in the source. */
  readonly line: number;
  /** The code, comment markers removed. */
  readonly code: string;
}

/** One type error, at its place in the source file. */
export interface DocExampleError {
  /** `src/rules/validate.ts:82`. */
  readonly at: string;
  /** `TS2304`. */
  readonly code: string;
  /** The compiler's message. */
  readonly message: string;
}

const fence = /^(\s*)```(\S*)(.*)$/;
const importsPackage = /from\s+["']typed-batch(\/testing)?["']/;

/** The ```ts blocks of one text whose lines are already free of comment markers. */
function blocks(lines: readonly string[], lineOf: (index: number) => number, source: string, fragments: DocExample[]): DocExample[] {
  const out: DocExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = fence.exec(lines[i] ?? "");
    if (open === null) continue;
    const [, indent = "", lang = "", rest = ""] = open;
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end] ?? "")) end++;
    const body = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()));
    const code = body.join("\n");
    const isTs = lang === "ts" || lang === "typescript";
    const checked = isTs && !/\bfragment\b/.test(rest) && importsPackage.test(code);
    if (checked) out.push({ source, line: lineOf(i + 1), code });
    else if (isTs) fragments.push({ source, line: lineOf(i + 1), code });
    i = end;
  }
  return out;
}

/** ```ts blocks in the doc comments of one TypeScript source. */
export function examplesInSource(text: string, source: string, fragments: DocExample[] = []): DocExample[] {
  const out: DocExample[] = [];
  const comment = /\/\*\*[\s\S]*?\*\//g;
  for (let m = comment.exec(text); m !== null; m = comment.exec(text)) {
    const firstLine = text.slice(0, m.index).split("\n").length;
    const lines = m[0].split("\n").map((l) => l.replace(/^\s*\/?\*\*?\/?\s?/, "").replace(/\s*\*\/$/, ""));
    out.push(...blocks(lines, (index) => firstLine + index, source, fragments));
  }
  return out;
}

/** Checked ```ts blocks of one Markdown file. */
export function examplesInMarkdown(text: string, source: string, fragments: DocExample[] = []): DocExample[] {
  return blocks(text.split("\n"), (index) => index + 1, source, fragments);
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full) : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** Every checked block of the repository at `root`. */
export function collectExamples(root: string, fragments: DocExample[] = []): DocExample[] {
  const rel = (p: string) => path.relative(root, p).split(path.sep).join("/");
  const fromSrc = walk(path.join(root, "src")).sort().flatMap((f) => examplesInSource(readFileSync(f, "utf8"), rel(f), fragments));
  const markdown = [path.join(root, "README.md"), ...readdirSync(path.join(root, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => path.join(root, "docs", f))];
  const fromMd = markdown.filter(existsSync).flatMap((f) => examplesInMarkdown(readFileSync(f, "utf8"), rel(f), fragments));
  return [...fromSrc, ...fromMd];
}

/** Writes the blocks as modules under `<root>/.tmp/doc-examples/` and type-checks them together. */
export function checkDocExamples(root: string): { examples: number; fragments: number; errors: DocExampleError[] } {
  const fragmentList: DocExample[] = [];
  const examples = collectExamples(root, fragmentList);
  const outDir = path.join(root, ".tmp", "doc-examples");
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  // A block without import/export would be a script: make every block a module (top-level await).
  const header = "export {};\n";
  const files = new Map<string, DocExample>();
  examples.forEach((ex, n) => {
    const name = path.join(outDir, `${String(n).padStart(3, "0")}-${ex.source.replace(/[\\/.]/g, "_")}-L${ex.line}.ts`);
    writeFileSync(name, header + ex.code + "\n");
    files.set(path.resolve(name), ex);
  });
  const config = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, declaration: false, declarationMap: false, sourceMap: false, rootDir: root };
  const program = ts.createProgram([...files.keys()], options);
  const errors: DocExampleError[] = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    const origin = d.file === undefined ? undefined : files.get(path.resolve(d.file.fileName));
    if (d.file === undefined || origin === undefined || d.start === undefined) {
      errors.push({ at: d.file?.fileName ?? "(options)", code: `TS${d.code}`, message });
      continue;
    }
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    errors.push({ at: `${origin.source}:${origin.line + line - 1}`, code: `TS${d.code}`, message });
  }
  return { examples: examples.length, fragments: fragmentList.length, errors };
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  if (!existsSync(path.join(root, "dist", "index.d.ts"))) {
    console.error("check-doc-examples: dist/index.d.ts is missing: run npm run build first");
    process.exit(2);
  }
  const { examples, fragments, errors } = checkDocExamples(root);
  for (const e of errors) console.error(`${e.at}: ${e.code} ${e.message}`);
  console.log(`${examples} doc examples type-checked (${fragments} fragments not checked): ${errors.length === 0 ? "no errors" : `${errors.length} errors`}`);
  process.exitCode = errors.length === 0 ? 0 : 1;
}
