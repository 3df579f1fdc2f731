// The emulator as an oracle: every code it can emit and every Azure code `explain` knows is in
// Azure's published list (src/azure, each with its source); the emulator does not read our rule
// notes; docs/testing.md shows the provenance tables as generated.
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { AZURE_ERRORS, allAzureErrors } from "../../src/azure/index.js";
import { azureErrorEntries } from "../../src/diagnose/azure-errors.js";
import { ARM_CHECKS, provenanceMarkdown } from "../../src/testing/provenance.js";

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
const sources = files("src/testing").map((path) => ({ path, text: readFileSync(path, "utf8") }));

/** Every code literal handed to an emitting function, by plane. */
function emitted(): Array<{ plane: keyof typeof AZURE_ERRORS; code: string; status?: number; at: string }> {
  const out: Array<{ plane: keyof typeof AZURE_ERRORS; code: string; status?: number; at: string }> = [];
  const patterns: Array<[RegExp, keyof typeof AZURE_ERRORS]> = [
    [/armError\(\s*(\d{3}),\s*"(\w+)"/g, "arm"],
    [/storageError\(\s*(\d{3}),\s*"(\w+)"/g, "storage"],
    [/batchError\(\s*(\d{3}),\s*\w+,\s*"(\w+)"/g, "batch"],
    [/\berror\(\s*(\d{3}),\s*"(\w+)"/g, "batch"],
    [/()taskFailure\(\s*"(\w+)"/g, "task"],
    [/()unusable\(\s*env,\s*node,\s*"(\w+)"/g, "node"],
    [/()published\(\s*"(\w+)"/g, "arm"],
  ];
  for (const { path, text } of sources) {
    for (const [re, plane] of patterns) {
      for (const m of text.matchAll(re)) out.push({ plane, code: m[2] ?? "", ...(m[1] ? { status: Number(m[1]) } : {}), at: path });
    }
  }
  return out;
}

describe("provenance", () => {
  test("every code the emulator emits is in Azure's published list, on its plane, with the listed status", () => {
    const found = emitted();
    expect(found.length).toBeGreaterThan(60);
    const wrong: string[] = [];
    for (const e of found) {
      const fact = (AZURE_ERRORS[e.plane] as Record<string, { status?: number }>)[e.code];
      if (fact === undefined) wrong.push(`${e.at}: ${e.plane} ${e.code} is not in src/azure`);
      else if (e.status !== undefined && fact.status !== undefined && e.status !== fact.status) wrong.push(`${e.at}: ${e.code} ${e.status}, listed ${fact.status}`);
    }
    expect(wrong).toEqual([]);
  });

  test("the invented codes are gone from the emulator", () => {
    for (const { path, text } of sources) expect(text, path).not.toMatch(/ContainerRegistryAuthFailed|"UserError"|"ServerError"/);
  });

  test("every Azure code explain knows is in the list, and explain knows every identity, storage and package failure in it", () => {
    const keys = new Set(allAzureErrors().map((f) => f.key));
    const known = azureErrorEntries.map((e) => e.explanation.code);
    for (const code of known) expect(keys.has(code), code).toBe(true);
    const mustKnow = [
      ...Object.keys(AZURE_ERRORS.task).filter((k) => k !== "FailureExitCode" && k !== "TaskEnded"),
      ...Object.keys(AZURE_ERRORS.node),
      ...Object.keys(AZURE_ERRORS.nodeLog),
      "AutoStorageNoPermission",
      "InvalidApplicationPackageReferences",
      "AuthorizationPermissionMismatch",
      "MultipleUserAssignedIdentities",
      "IdentityNotFound",
    ];
    for (const code of mustKnow) expect(known, code).toContain(code);
  });

  test("every check of the ARM routes for accounts, pools, identities and application packages is in ARM_CHECKS with a public source", () => {
    const routes = sources.filter(({ path }) => /src\/testing\/arm\/(accounts|account-keys|identity-spec|identities|pools|applications)\.ts$/.test(path));
    expect(routes).toHaveLength(6);
    const emittedCodes = new Set<string>();
    for (const { text } of routes) {
      for (const m of text.matchAll(/armError\(\s*[\w.]+,\s*"(\w+)"/g)) emittedCodes.add(m[1] ?? "");
      for (const m of text.matchAll(/published\(\s*"(\w+)"/g)) emittedCodes.add(m[1] ?? "");
    }
    expect(emittedCodes.size).toBeGreaterThan(15);
    const explained = new Set(ARM_CHECKS.map((c) => c.code));
    expect([...emittedCodes].filter((code) => !explained.has(code))).toEqual([]);
    for (const c of ARM_CHECKS) {
      expect((AZURE_ERRORS.arm as Record<string, unknown>)[c.code], c.code).toBeDefined();
      expect(c.source, c.check).not.toMatch(/rule \d|domain notes|our notes|src\/rules/i);
    }
  });

  test("nothing under src/testing or src/azure cites our rule notes as the source of a behaviour", () => {
    const azure = files("src/azure").map((path) => ({ path, text: readFileSync(path, "utf8") }));
    for (const { path, text } of [...sources, ...azure]) expect(text, path).not.toMatch(/\brules? \d+\b|domain notes/i);
  });

  test("no file under src/testing imports src/rules, src/diagnose or src/identity (the emulator is not written from our rule notes)", () => {
    for (const { path, text } of sources) {
      expect(text, path).not.toMatch(/from\s+"(\.\.\/)+(rules|diagnose|identity)(\/|")/);
      expect(text, path).not.toMatch(/import\(\s*"(\.\.\/)+(rules|diagnose|identity)(\/|")/);
    }
  });

  test("docs/testing.md shows the provenance tables as generated (UPDATE_DOCS=1 rewrites them)", () => {
    const doc = readFileSync("docs/testing.md", "utf8");
    const begin = "<!-- provenance:begin (generated from src/azure and src/testing/provenance.ts) -->";
    const end = "<!-- provenance:end -->";
    const block = `${begin}\n${provenanceMarkdown()}\n${end}`;
    if (process.env["UPDATE_DOCS"] === "1") {
      const at = doc.indexOf(begin);
      const next = at === -1 ? `${doc.trimEnd()}\n\n## Provenance: where each behaviour comes from\n\n${block}\n` : doc.slice(0, at) + block + doc.slice(doc.indexOf(end) + end.length);
      writeFileSync("docs/testing.md", next);
      return;
    }
    expect(doc).toContain(block);
  });
});
