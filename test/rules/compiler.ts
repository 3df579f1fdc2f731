/**
 * Compiles in-memory TypeScript programs against the repo's `src/index.ts` (as "typed-batch") and
 * returns their diagnostics, for tests that assert compile-time error texts and positions.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, "../..");
/** Virtual files live here (the directory must sit under the repo so `@types/node` and the `type: module` package.json apply). */
const virtualDir = join(repoRoot, "test/rules/__virtual__");

/** The options `tsconfig.json` uses, plus `paths` so "typed-batch" is the source, not the build. */
export function compilerOptions(extra: ts.CompilerOptions = {}): ts.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2023.d.ts"],
    types: ["node"],
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    noEmit: true,
    // Full texts: the default truncation (about 160 characters per type) would cut the messages.
    noErrorTruncation: true,
    paths: { "typed-batch": [join(repoRoot, "src/index.ts")] },
    ...extra,
  };
}

/** One diagnostic, flattened. */
export interface Diagnostic {
  readonly code: number;
  /** `ts.flattenDiagnosticMessageText(..., "\n")`. */
  readonly text: string;
  /** 0-based offset. */
  readonly start: number;
  /** 1-based line and column. */
  readonly line: number;
  readonly column: number;
  /** The source text the diagnostic spans. */
  readonly spanText: string;
  /** The typed-batch error text quoted in the message (`typed-batch: ...`), unescaped; undefined when there is none. */
  readonly typeErrorText: string | undefined;
  /** Every distinct typed-batch text quoted in the message (a union type shows several). */
  readonly typeErrorTexts: readonly string[];
}

const quoted = /"(typed-batch: (?:[^"\\]|\\.)*)"/g;

/** The typed-batch texts quoted in a diagnostic (string literal types are printed with JS escapes). */
export function typeErrorTextsOf(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(quoted)) out.add(JSON.parse(`"${m[1]}"`) as string);
  return [...out];
}

function toDiagnostic(d: ts.Diagnostic): Diagnostic {
  const file = d.file as ts.SourceFile;
  const start = d.start ?? 0;
  const { line, character } = file.getLineAndCharacterOfPosition(start);
  const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
  const texts = typeErrorTextsOf(text);
  return {
    code: d.code,
    text,
    start,
    line: line + 1,
    column: character + 1,
    spanText: file.text.slice(start, start + (d.length ?? 0)),
    typeErrorText: texts[0],
    typeErrorTexts: texts,
  };
}

/**
 * Type-checks virtual files (name → source) in one program and returns the diagnostics of those
 * files, by file name.
 */
export function compile(files: Readonly<Record<string, string>>, extra: ts.CompilerOptions = {}): Map<string, Diagnostic[]> {
  const options = compilerOptions(extra);
  const host = ts.createCompilerHost(options, true);
  const virtual = new Map(Object.entries(files).map(([name, text]) => [join(virtualDir, name), text]));
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = virtual.get(resolve(fileName));
    return text !== undefined ? ts.createSourceFile(fileName, text, languageVersion, true) : getSourceFile.call(host, fileName, languageVersion, onError, shouldCreate);
  };
  host.fileExists = (fileName) => virtual.has(resolve(fileName)) || fileExists.call(host, fileName);
  host.readFile = (fileName) => virtual.get(resolve(fileName)) ?? readFile.call(host, fileName);
  const program = ts.createProgram([...virtual.keys()], options, host);
  const out = new Map<string, Diagnostic[]>();
  for (const [path] of virtual) {
    const source = program.getSourceFile(path);
    if (source === undefined) throw new Error(`virtual file ${path} was not loaded`);
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    out.set(path.slice(virtualDir.length + 1), diagnostics.map(toDiagnostic));
  }
  return out;
}

/** Type-checks one virtual module. */
export function compileOne(source: string, extra: ts.CompilerOptions = {}): Diagnostic[] {
  return compile({ "snippet.ts": source }, extra).get("snippet.ts") ?? [];
}

// ------------------------------------------------------------------ the case file

export const casesPath = join(here, "fixtures/cases.ts");
const marker = "/*!*/";

/** One function of `fixtures/cases.ts` with what the compiler says about it. */
export interface CompiledCase {
  readonly name: string;
  /** Where diagnostics must start: right after each `/*!*\/` marker. */
  readonly expected: readonly { readonly start: number; readonly line: number; readonly column: number; readonly code: string }[];
  readonly diagnostics: readonly Diagnostic[];
}

/** The case file with its `@ts-expect-error` directives blanked out (same length, so positions hold). */
export function casesSource(): string {
  return readFileSync(casesPath, "utf8").replaceAll("@ts-expect-error", " ".repeat("@ts-expect-error".length));
}

let cached: { readonly cases: Map<string, CompiledCase>; readonly outside: readonly Diagnostic[]; readonly ms: number } | undefined;

/** Compiles `fixtures/cases.ts` once (one program, one diagnostic pass) and splits the diagnostics by case function. */
export function compiledCases() {
  if (cached !== undefined) return cached;
  const t0 = performance.now();
  const text = casesSource();
  const diagnostics = compile({ "cases.ts": text }).get("cases.ts") ?? [];
  const source = ts.createSourceFile("cases.ts", text, ts.ScriptTarget.ES2022, true);
  const cases = new Map<string, CompiledCase>();
  const claimed = new Set<Diagnostic>();
  for (const statement of source.statements) {
    if (!ts.isFunctionDeclaration(statement) || statement.name === undefined) continue;
    const from = statement.getStart(source);
    const to = statement.end;
    const expected: { start: number; line: number; column: number; code: string }[] = [];
    for (let at = text.indexOf(marker, from); at !== -1 && at < to; at = text.indexOf(marker, at + 1)) {
      let start = at + marker.length;
      while (/\s/.test(text[start] ?? "")) start++;
      const { line, character } = source.getLineAndCharacterOfPosition(start);
      const lineEnd = text.indexOf("\n", start);
      expected.push({ start, line: line + 1, column: character + 1, code: text.slice(start, Math.min(lineEnd, start + 60)) });
    }
    const own = diagnostics.filter((d) => d.start >= from && d.start < to);
    for (const d of own) claimed.add(d);
    cases.set(statement.name.text, { name: statement.name.text, expected, diagnostics: own });
  }
  cached = { cases, outside: diagnostics.filter((d) => !claimed.has(d)), ms: performance.now() - t0 };
  return cached;
}

/** The compiled case `name` (throws when the case file has no such function). */
export function compiledCase(name: string): CompiledCase {
  const found = compiledCases().cases.get(name);
  if (found === undefined) throw new Error(`no case ${name} in ${casesPath}`);
  return found;
}
