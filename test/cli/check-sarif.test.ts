import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import ajvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";
import type { Log } from "sarif";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.js";

/**
 * `check --format sarif` validated against the official SARIF 2.1.0 schema as
 * `@microsoft/jest-sarif` ships it (sarif-2.1.0-rtm.5, JSON Schema draft-04), with Ajv.
 */

const require = createRequire(import.meta.url);
const schema = require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json") as object;
// The schema's language-tag pattern is not valid under the `u` flag; formats are checked with ajv-formats.
// Both are CommonJS with a `default` export.
const ajv = new ajvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
ajvFormats.default(ajv);
const validate = ajv.compile(schema);

const fixtures = fileURLToPath(new URL("../fixtures/", import.meta.url));

function sarif(args: readonly string[]): { status: number | null; log: Log } {
  const run = runCli(["check", ...args, "--format", "sarif"]);
  return { status: run.status, log: JSON.parse(run.stdout) as Log };
}

describe("check --format sarif", () => {
  it("the validator refuses what is not SARIF 2.1.0 (so passing means something)", () => {
    expect(validate({ version: "2.1.0", runs: [{ tool: { driver: { name: "x", rules: [{ id: 1 }] } }, results: [{ message: {}, level: "bogus" }] }] })).toBe(false);
    expect(validate({ version: "2.2.0", runs: [] })).toBe(false);
  });

  it.each([
    [["kinds/pool.json", "kinds/job-on-render.json"], 1],
    [["kinds/bundle-typos.json", "kinds/task-collection.json", "kinds/arm-pool-patch.json"], 1],
    [["bundles/broken/node-identity-not-in-pool.json", "bundles/broken/value-unresolved.json"], 1],
    [["arm/quickstart.json"], 0],
    [["rest-examples/PoolCreate_UserAssignedIdentities.json"], 0],
  ])("%j validates against the 2.1.0 schema, exit %i", (files, status) => {
    const run = sarif(files.map((f) => `${fixtures}${f}`));
    expect(run.status).toBe(status);
    const ok = validate(run.log);
    expect(ajv.errorsText(validate.errors), "schema errors").toBe("No errors");
    expect(ok).toBe(true);
  });

  it("one rule per finding code with help and a docs link; results point at the offending value's line and column", () => {
    const job = `${fixtures}kinds/job-on-render.json`;
    const { log } = sarif([`${fixtures}kinds/pool.json`, job]);
    const run = log.runs[0];
    const rules = run?.tool.driver.rules ?? [];
    expect(rules.map((r) => r.id)).toContain("IDENTITY_NOT_IN_POOL");
    for (const r of rules) {
      expect(r.helpUri).toMatch(/^https:\/\//);
      expect(r.help?.text).toContain("Fix:");
    }
    const result = run?.results?.[0];
    expect(result?.ruleId).toBe("IDENTITY_NOT_IN_POOL");
    expect(rules[result?.ruleIndex ?? -1]?.id).toBe("IDENTITY_NOT_IN_POOL");
    expect(result?.level).toBe("error");
    expect(result?.message.text).toMatch(/is not attached to pool 'render'.*Fix: add/);
    const location = result?.locations?.[0];
    expect(location?.physicalLocation?.artifactLocation?.uri).toBe(job.split("/").map(encodeURIComponent).join("/"));
    expect(location?.logicalLocations?.[0]?.fullyQualifiedName).toBe("jobManagerTask.resourceFiles[0].identityReference");
    // Where the value of "identityReference" starts in the file, found independently.
    const text = readFileSync(job, "utf8");
    const offset = text.indexOf("{", text.indexOf('"identityReference"'));
    const before = text.slice(0, offset).split("\n");
    expect(location?.physicalLocation?.region).toEqual({ startLine: before.length, startColumn: (before.at(-1)?.length ?? 0) + 1 });
  });

  it("prints nothing but the SARIF log on standard output, and no secret", () => {
    const run = runCli(["check", `${fixtures}bundles/secrets/canaries.json`, "--format", "sarif"]);
    expect(run.status).toBe(1);
    expect(validate(JSON.parse(run.stdout))).toBe(true);
    expect(run.stdout).not.toMatch(/SECRETCANARY|ACCOUNTKEYCANARY/);
  });
});
