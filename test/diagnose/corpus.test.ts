import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { diagnose } from "../../src/diagnose/diagnose.js";
import { parseJsonText } from "../../src/diagnose/json-text.js";
import { allFindingCodes, isBuilderOnly, isLiveOnly } from "../../src/rules/codes.js";
import { corpusCases, essentials } from "./corpus.js";

const cases = corpusCases();

function load(file: string): unknown {
  const parsed = parseJsonText(readFileSync(file, "utf8"));
  if (!parsed.ok) throw new Error(`${file} does not parse`);
  return parsed.value;
}

describe("the bundle corpus", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s gives exactly its expected findings (code, path, scenario)", (_name, c) => {
    expect(diagnose(load(c.file)).map(essentials)).toEqual(c.findings);
  });

  it("has valid bundles with no finding at all", () => {
    const valid = cases.filter((c) => c.name.startsWith("valid/"));
    expect(valid.length).toBeGreaterThanOrEqual(6);
    for (const c of valid) expect(c.findings, c.name).toEqual([]);
  });

  it("has a broken bundle for every code diagnose can produce offline, each naming that code first", () => {
    const offline = allFindingCodes.filter((code) => !isLiveOnly(code) && !isBuilderOnly(code));
    for (const code of offline) {
      const stem = `broken/${code.toLowerCase().replaceAll("_", "-")}.json`;
      const c = cases.find((x) => x.name === stem);
      expect(c, `missing ${stem}`).toBeDefined();
      expect(c?.findings[0]?.code).toBe(code);
    }
  });

  it("pins the article's scenario on the node-identity bundles", () => {
    const scenarioOf = (name: string) => cases.find((c) => c.name === name)?.findings[0]?.scenario;
    expect(scenarioOf("broken/node-identity-reference-missing.json")).toBe("application-packages#3");
    expect(scenarioOf("broken/node-identity-not-in-pool.json")).toBe("application-packages#4");
    expect(scenarioOf("broken/node-identity-reference-missing-resource-files.json")).toBe("resource-files#3");
    expect(scenarioOf("broken/node-identity-not-in-pool-resource-files.json")).toBe("resource-files#4");
  });
});
