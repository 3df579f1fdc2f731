import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.js";

/** Payloads shaped on Azure's REST API examples (both planes): no error finding, alone or joined. */

const dir = fileURLToPath(new URL("../fixtures/rest-examples/", import.meta.url));
const files = readdirSync(dir)
  .filter((name) => name.endsWith(".json"))
  .sort()
  .map((name) => `${dir}${name}`);

function findings(args: readonly string[]): { status: number | null; found: { severity: string; code: string; file: string }[] } {
  const run = runCli(["check", ...args, "--json"]);
  expect(run.stderr).toBe("");
  return { status: run.status, found: (JSON.parse(run.stdout) as { findings: { severity: string; code: string; file: string }[] }).findings };
}

describe("check on Azure's REST examples", () => {
  it("covers both planes and the examples with identities", () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
    expect(files.some((f) => f.endsWith("PoolCreate_UserAssignedIdentities.json"))).toBe(true);
    expect(files.some((f) => f.endsWith("JobScheduleAdd_Complex.json"))).toBe(true);
  });

  it.each(files.map((f) => [f.slice(dir.length), f]))("%s alone: exit 0, no error finding", (_name, file) => {
    const { status, found } = findings([file]);
    expect(found.filter((f) => f.severity === "error")).toEqual([]);
    expect(status).toBe(0);
  });

  it("all of them as one deployment: exit 0, no error finding, subid only a warning", () => {
    const { status, found } = findings(files);
    expect(found.filter((f) => f.severity === "error")).toEqual([]);
    expect(status).toBe(0);
    const placeholders = found.filter((f) => f.code === "PLACEHOLDER_SUBSCRIPTION");
    expect(placeholders.length).toBeGreaterThanOrEqual(5);
    expect(placeholders.every((f) => f.severity === "warning")).toBe(true);
  });
});
