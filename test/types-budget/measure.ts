/**
 * Counts what the TypeScript 5.9 checker does (`program.getInstantiationCount()`, `getTypeCount()`) for a small program written against typed-batch's
 * built declarations (`dist/index.d.ts`, what users' compilers load): instantiations and types,
 * net of an imports-only baseline, so the numbers are the cost of the code and not of loading
 * `@types/node` and the Azure SDKs. Source files are parsed once and shared between programs (as
 * the language service does), so many small programs stay fast.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { compilerOptions } from "../rules/compiler.js";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, "../..");
/** Virtual files sit under the package, so "typed-batch" resolves through its own `exports` to dist. */
const virtualFile = join(repoRoot, "test/types-budget/__virtual__/main.ts");

// The project's options without `paths`: here "typed-batch" is the built package, as users see it.
const { paths: _sourcePaths, ...options } = compilerOptions();

const cache = new Map<string, ts.SourceFile>();
const base = ts.createCompilerHost(options, true);

function host(source: string): ts.CompilerHost {
  return {
    ...base,
    fileExists: (f) => f === virtualFile || base.fileExists(f),
    readFile: (f) => (f === virtualFile ? source : base.readFile(f)),
    getSourceFile(fileName, languageVersion, onError) {
      if (fileName === virtualFile) return ts.createSourceFile(fileName, source, languageVersion, true);
      const key = `${fileName}\0${typeof languageVersion === "object" ? `${languageVersion.languageVersion}/${languageVersion.impliedNodeFormat}` : languageVersion}`;
      let file = cache.get(key);
      if (file === undefined) {
        file = base.getSourceFile(fileName, languageVersion, onError);
        if (file !== undefined) cache.set(key, file);
      }
      return file;
    },
  };
}

/** What checking one program cost. */
export interface Cost {
  readonly instantiations: number;
  readonly types: number;
  /** Error diagnostics of the program text, flattened. */
  readonly errors: readonly string[];
}

/** Checks `source` as a module in the package and returns the checker's counts (not net of anything). */
export function measureRaw(source: string): Cost {
  const program = ts.createProgram({ rootNames: [virtualFile], options, host: host(source) });
  const file = program.getSourceFile(virtualFile);
  if (file === undefined) throw new Error("virtual file missing from the program");
  const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
  // Program's counts read its checker's (TypeScript 5.9 exposes them on Program, not TypeChecker).
  return {
    instantiations: program.getInstantiationCount(),
    types: program.getTypeCount(),
    errors: diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")),
  };
}

let baseline: Cost | undefined;

/** The imports every fixture starts with. */
export const imports = `import { batchAccount, job, outputFile, pool, resourceFile, task, userAssignedIdentity } from "typed-batch";\n`;

/** Cost of `body` (appended to {@link imports}) net of the imports alone. */
export function measure(body: string): Cost {
  baseline ??= measureRaw(`${imports}export const used = [batchAccount, job, outputFile, pool, resourceFile, task, userAssignedIdentity] as const;\n`);
  const cost = measureRaw(`${imports}${body}`);
  return { instantiations: cost.instantiations - baseline.instantiations, types: cost.types - baseline.types, errors: cost.errors };
}

/** True when the built declarations exist (the budget test needs `npm run build` or vitest's global setup). */
export function distBuilt(): boolean {
  try {
    readFileSync(join(repoRoot, "dist/index.d.ts"));
    return true;
  } catch {
    return false;
  }
}
