import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { bundlesDir, runCli } from "./support/run-cli.js";

// Both halves: ESM resolution (module.register hooks) and CommonJS require().
const hook = fileURLToPath(new URL("./support/forbid-azure-sdk.mjs", import.meta.url));
const requireHook = fileURLToPath(new URL("./support/forbid-azure-sdk-require.cjs", import.meta.url));
const nodeArgs = ["--require", requireHook, "--import", hook];

describe("check and explain load no Azure SDK", () => {
  it("the guard does catch an Azure SDK import (ESM and CommonJS)", () => {
    const esm = spawnSync(process.execPath, [...nodeArgs, "--input-type=module", "-e", "await import('@azure/logger')"], { encoding: "utf8" });
    expect(esm.status).not.toBe(0);
    expect(esm.stderr).toContain("AZURE-SDK-LOADED @azure/logger");
    const cjs = spawnSync(process.execPath, [...nodeArgs, "-e", "require('@azure/logger')"], { encoding: "utf8" });
    expect(cjs.status).not.toBe(0);
    expect(cjs.stderr).toContain("AZURE-SDK-LOADED @azure/logger");
  });

  it.each([
    [["check", `${bundlesDir}valid/full.json`, `${bundlesDir}broken/node-identity-not-in-pool.json`, "--json"], 1],
    [["check", `${bundlesDir}unreadable/not-json.json`], 2],
    [["explain", "ApplicationPackageError"], 0],
    [["explain", "NODE_IDENTITY_REFERENCE_MISSING"], 0],
    [["--help"], 0],
  ])("%j runs with the guard in place", (args, status) => {
    const run = runCli(args, { nodeArgs });
    expect(run.stderr).not.toContain("AZURE-SDK-LOADED");
    expect(run.status).toBe(status);
  });
});
