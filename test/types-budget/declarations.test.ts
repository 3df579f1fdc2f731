/**
 * What typed-batch's declarations cost a user whose project checks declaration files
 * (`skipLibCheck: false`): they must not pull in a validation library's types (zod v4's 95
 * declaration files cost about 2 s of checking), and they must themselves check clean under the
 * strictest options we know users run. The time itself is measured by `npm run bench:types`.
 */
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, test } from "vitest";
import { compilerOptions } from "../rules/compiler.js";
import { repoRoot } from "./measure.js";

const { paths: _paths, ...base } = compilerOptions();
const entries = [join(repoRoot, "dist/index.d.ts"), join(repoRoot, "dist/testing/index.d.ts")];

function program(options: ts.CompilerOptions): ts.Program {
  return ts.createProgram(entries, { ...base, ...options });
}

const packageOf = (file: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/.exec(file)?.[1];

describe("the published declarations", () => {
  const lenient = program({});

  test("load no declaration file of zod (or of any package the types do not name)", () => {
    const packages = new Set(lenient.getSourceFiles().map((f) => packageOf(f.fileName)).filter((p) => p !== undefined));
    expect([...packages].filter((p) => /zod|type-fest/.test(p))).toEqual([]);
    // What they may load: the SDKs they wrap and their own dependencies' types, TypeScript's libs, Node's.
    expect(packages.has("@azure/arm-batch") && packages.has("@azure/batch")).toBe(true);
  });

  test("mention no zod type in any typed-batch .d.ts", () => {
    const own = lenient.getSourceFiles().filter((f) => f.fileName.startsWith(join(repoRoot, "dist")));
    expect(own.length).toBeGreaterThan(10);
    expect(own.filter((f) => /from "zod"|import\("zod"\)/.test(f.text)).map((f) => f.fileName)).toEqual([]);
  });

  test("check clean with skipLibCheck: false and lib DOM (which @azure/identity's msal-common needs)", () => {
    const strict = program({ skipLibCheck: false, lib: ["lib.es2023.d.ts", "lib.dom.d.ts"] });
    const errors = strict
      .getSourceFiles()
      .filter((f) => f.fileName.startsWith(join(repoRoot, "dist")))
      .flatMap((f) => strict.getSemanticDiagnostics(f))
      .map((d) => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    expect(errors).toEqual([]);
  });

  test("without lib DOM, the only errors are msal-common's JsonWebKey (documented in the README)", () => {
    const strict = program({ skipLibCheck: false });
    const errors = ts.getPreEmitDiagnostics(strict).filter((d) => d.category === ts.DiagnosticCategory.Error);
    const elsewhere = errors.filter((d) => !(d.file?.fileName.includes("msal-common") && ts.flattenDiagnosticMessageText(d.messageText, "\n").includes("JsonWebKey")));
    expect(elsewhere.map((d) => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`)).toEqual([]);
  });
});
