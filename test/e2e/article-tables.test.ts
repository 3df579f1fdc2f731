// The eight rows of the article's two tables, through the raw SDKs and through typed-batch,
// against the emulator over HTTPS (the examples' own scenario code, so the demo is tested too).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startEmulator, type Emulator } from "typed-batch/testing";
import { runArticleScenarios, type ScenarioOutcome } from "../../examples/article-scenarios.js";

let em: Emulator;
let outcomes: Map<string, ScenarioOutcome>;

beforeAll(async () => {
  em = await startEmulator();
  outcomes = new Map((await runArticleScenarios(em)).map((o) => [o.scenario, o]));
});
afterAll(async () => {
  await em.stop();
});

const get = (s: string) => {
  const o = outcomes.get(s);
  if (o === undefined) throw new Error(`no outcome for ${s}`);
  return o;
};

describe("application packages table", () => {
  test("row 1: both paths start the node and download the package", () => {
    expect(get("application-packages#1").raw).toBe("node idle, package downloaded to root/applications");
    expect(get("application-packages#1").typed).toBe("created; node idle, package downloaded to root/applications");
  });
  test("row 2: raw leaves the node idle without the package; the permission preflight stops typed-batch", () => {
    expect(get("application-packages#2").raw).toBe("node idle, package not downloaded");
    const typed = get("application-packages#2");
    expect(typed.typed).toBe("stopped by the permission preflight before the pool was sent: PERMISSION_MISSING (application-packages#2)");
    expect(typed.refused[0]?.message).toContain("worker");
  });
  test("row 3: raw leaves the node in starting; typed-batch refuses with no request", () => {
    const o = get("application-packages#3");
    expect(o.raw).toBe("node starting, package not downloaded");
    expect(o.refused.map((f) => [f.code, f.scenario])).toEqual([["NODE_IDENTITY_REFERENCE_MISSING", "application-packages#3"]]);
    expect(o.typedRequests).toBe(0);
  });
  test("row 4: raw makes the node unusable; typed-batch refuses with no request", () => {
    const o = get("application-packages#4");
    expect(o.raw).toContain('node unusable with ApplicationPackageError "One or more application packages specified for the pool are invalid"');
    expect(o.refused.map((f) => [f.code, f.scenario])).toEqual([["NODE_IDENTITY_NOT_IN_POOL", "application-packages#4"]]);
    expect(o.refused[0]?.message).toContain("'worker'");
    expect(o.typedRequests).toBe(0);
  });
});

describe("resource files table", () => {
  test("row 1: the task downloads its files and succeeds both ways", () => {
    expect(get("resource-files#1").raw).toBe("task completed, exit code 0");
    expect(get("resource-files#1").typed).toBe("created; task completed, exit code 0");
  });
  test("row 2: raw fails with ResourceContainerAccessDenied; the permission preflight stops typed-batch", () => {
    const denied = 'task failed: ResourceContainerAccessDenied "Access for one of the specified Azure Blob container(s) is denied"';
    expect(get("resource-files#2").raw).toBe(denied);
    expect(get("resource-files#2").typed).toBe("stopped by the permission preflight before the task was sent: PERMISSION_MISSING (resource-files#2)");
  });
  test("row 3: raw fails with ResourceContainerAccessDenied; typed-batch refuses", () => {
    const o = get("resource-files#3");
    expect(o.raw).toBe('task failed: ResourceContainerAccessDenied "Access for one of the specified Azure Blob container(s) is denied"');
    expect(o.refused.map((f) => [f.code, f.scenario])).toEqual([["NODE_IDENTITY_REFERENCE_MISSING", "resource-files#3"]]);
    expect(o.typedRequests).toBe(0);
  });
  test("row 4: raw fails with ResourceContainerListMiscError; typed-batch refuses", () => {
    const o = get("resource-files#4");
    expect(o.raw).toBe('task failed: ResourceContainerListMiscError "Miscellaneous error encountered while listing one of the specified Azure Blob container(s)"');
    expect(o.refused.map((f) => [f.code, f.scenario])).toEqual([["NODE_IDENTITY_NOT_IN_POOL", "resource-files#4"]]);
    expect(o.typedRequests).toBe(0);
  });
});
