import { describe, expect, it } from "vitest";
import { azureCases } from "../diagnose/azure-cases.js";
import { runCli, stackLine } from "./support/run-cli.js";

describe("typed-batch explain", () => {
  it.each(azureCases.map((c) => [c.code, c] as const))("%s: cause, fix and article rows, exit 0", (code, c) => {
    const run = runCli(["explain", code]);
    expect(run.status).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe(code);
    expect(run.stdout).toMatch(/cause: /);
    expect(run.stdout).toMatch(/fix: /);
    for (const scenario of c.scenario ?? []) {
      const [table, row] = scenario.split("#");
      expect(run.stdout).toContain(`article: ${table?.replace("-", " ")}, scenario ${row} — `);
    }
  });

  it("explains an unquoted log line given as several arguments", () => {
    const run = runCli(["explain", "pool", "not", "fully", "joined", "yet,", "health=Status.TvmJoinPoolInProgress"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^TvmJoinPoolInProgress\n/);
  });

  it("explains a finding code, and prints JSON with --json", () => {
    const run = runCli(["explain", "NODE_IDENTITY_NOT_IN_POOL", "--json"]);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ code: "NODE_IDENTITY_NOT_IN_POOL", scenario: ["application-packages#4", "resource-files#4"] });
  });

  it("lists the known codes without an argument", () => {
    const run = runCli(["explain"]);
    expect(run.status).toBe(0);
    for (const c of azureCases) expect(run.stdout).toContain(`${c.code}\n`);
  });

  it("exits 1 with a one-line message when nothing matches, redacting what it echoes", () => {
    const run = runCli(["explain", "https://x.blob.core.windows.net/c?sig=SECRETCANARY"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^typed-batch: no explanation for/);
    expect(run.stderr).not.toMatch(/SECRETCANARY/);
    expect(run.stderr).not.toMatch(stackLine);
  });
});
