/**
 * The public `*Properties` / `*Input` / `*Options` types pass the SDK's own types through, minus the
 * identity-bearing parts. None of them may reach an `identityReference` (or `nodeIdentityReference`)
 * except through a typed-batch handle, or the compile-time checks could be walked around. Read with
 * the TypeScript compiler API over `src/index.ts`.
 */
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, test } from "vitest";
import { repoRoot } from "./compiler.js";
import { identityPaths, programFor } from "./identity-paths.js";

const program = programFor([join(repoRoot, "src/index.ts")]);
const checker = program.getTypeChecker();
const index = program.getSourceFile(join(repoRoot, "src/index.ts"));
const moduleSymbol = index === undefined ? undefined : checker.getSymbolAtLocation(index);
const exported = moduleSymbol === undefined ? [] : checker.getExportsOfModule(moduleSymbol);

const inputNames = exported.map((s) => s.name).filter((name) => /(Properties|Input|Options)$/.test(name));

function typeOfExport(name: string): ts.Type {
  const symbol = exported.find((s) => s.name === name) as ts.Symbol;
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  return checker.getDeclaredTypeOfSymbol(target);
}

const isHandle = (type: ts.Type) => (type.aliasSymbol ?? type.getSymbol())?.name === "UserAssignedIdentity";

describe("public input types reach identities only through handles", () => {
  test("no *Properties / *Input / *Options type reaches a raw identityReference; identities come as handles", () => {
    expect(inputNames.length).toBeGreaterThan(10);
    const offending: string[] = [];
    const seen: string[] = [];
    for (const name of inputNames) {
      for (const p of identityPaths(program, name, typeOfExport(name), { stopAt: isHandle })) {
        seen.push(`${name}: ${p.path} (${p.typeName})`);
        // A raw reference is what the SDK models carry; handles carry an identity the types can check.
        const rawReference = /(^|\.)(identityReference|nodeIdentityReference)$/.test(p.path) || p.typeName.includes("ComputeNodeIdentityReference");
        if (rawReference) offending.push(`${name}: ${p.path} (${p.typeName})`);
      }
    }
    console.log(`identity paths of ${inputNames.length} public input types:\n${seen.join("\n")}`);
    expect(offending).toEqual([]);
  });
});
