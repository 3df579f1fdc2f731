/**
 * The site table against Azure's own declarations: every path of every request model typed-batch
 * sends (in the `.d.ts` of `@azure/batch` and `@azure/arm-batch`, read with the TypeScript compiler
 * API) that reaches an identity is a row of `src/rules/sites.ts` or an explicit exclusion with its
 * reason. A new SDK version with a new identity site fails here until the table has it.
 */
import { describe, expect, test } from "vitest";
import { identitySites, type IdentitySite } from "../../src/rules/sites.js";
import { requestModels, siteExclusions } from "../../src/rules/sites.js";
import { armBatchDts, batchDts, declaredType, type IdentityPath, identityPaths, programFor } from "./identity-paths.js";

const program = programFor([batchDts, armBatchDts]);
const found: IdentityPath[] = requestModels.flatMap((m) => identityPaths(program, m.model, declaredType(program, m.sdk === "@azure/batch" ? batchDts : armBatchDts, m.model)));

/** What covers a path: a row id, an exclusion's reason, or nothing. */
type Verdict = { readonly row: string } | { readonly excluded: string } | { readonly unlisted: true };

function matches(pattern: string, path: string): boolean {
  if (!pattern.startsWith("*.")) return pattern === path;
  const tail = pattern.slice(2);
  return path === tail || path.endsWith(`.${tail}`);
}

export function verdictOf(p: IdentityPath, sites: readonly IdentitySite[]): Verdict {
  const model = requestModels.find((m) => m.model === p.root);
  if (model === undefined) return { unlisted: true };
  const excluded = siteExclusions.find((e) => e.models.includes(p.root) && matches(e.path, p.path));
  if (excluded !== undefined) return { excluded: excluded.reason };
  const rest = model.prefix === "" ? p.path : p.path.startsWith(`${model.prefix}.`) ? p.path.slice(model.prefix.length + 1) : undefined;
  const row = rest === undefined ? undefined : sites.find((s) => s.owner === model.owner && s.kind !== "autoStorage" && s.sdkPath === rest);
  return row === undefined ? { unlisted: true } : { row: row.id };
}

function unlisted(sites: readonly IdentitySite[]): IdentityPath[] {
  return found.filter((p) => "unlisted" in verdictOf(p, sites));
}

describe("every identity path of the SDKs' request models is a site or an explicit exclusion", () => {
  test("the paths found, and what covers each", () => {
    const lines = found.map((p) => {
      const v = verdictOf(p, identitySites);
      return `${p.root}: ${p.path} (${p.typeName}) -> ${"row" in v ? `site ${v.row}` : "excluded" in v ? `excluded: ${v.excluded}` : "NOT LISTED"}`;
    });
    console.log(`identity paths in @azure/batch and @azure/arm-batch request models (${found.length}):\n${lines.join("\n")}`);
    expect(found.length).toBeGreaterThan(40);
    expect(unlisted(identitySites).map((p) => `${p.root}: ${p.path}`)).toEqual([]);
  });

  test("every reference row of the SDK versions we wrap is found in some request model (the walk is not blind)", () => {
    const covered = new Set(found.map((p) => verdictOf(p, identitySites)).flatMap((v) => ("row" in v ? [v.row] : [])));
    const rows = identitySites.filter((s) => s.kind === "identityReference" && s.restApiVersion === undefined).map((s) => s.id);
    expect(rows.filter((id) => !covered.has(id))).toEqual([]);
  });

  test("removing any row of the table makes the check fail", () => {
    const rowsThatCover = [...new Set(found.map((p) => verdictOf(p, identitySites)).flatMap((v) => ("row" in v ? [v.row] : [])))];
    for (const id of rowsThatCover) {
      const missing = unlisted(identitySites.filter((s) => s.id !== id));
      expect(missing.length, `without ${id}`).toBeGreaterThan(0);
    }
    const without = unlisted(identitySites.filter((s) => s.id !== "task.multiInstanceSettings.commonResourceFiles"));
    console.log(`without the row task.multiInstanceSettings.commonResourceFiles, unlisted: ${without.map((p) => `${p.root}: ${p.path}`).join("; ")}`);
  });
});
