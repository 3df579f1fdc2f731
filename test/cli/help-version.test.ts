import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.js";

const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

describe("typed-batch --help and --version", () => {
  it("--version prints package.json's version", () => {
    for (const flag of ["--version", "-V"]) {
      const run = runCli([flag]);
      expect(run.status).toBe(0);
      expect(run.stdout.trim()).toBe(version);
    }
  });

  it("--help lists check and explain", () => {
    const run = runCli(["--help"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Usage: typed-batch/);
    expect(run.stdout).toMatch(/check \[options\] <file\.\.\.>/);
    expect(run.stdout).toMatch(/explain/);
  });

  it("check --help documents the exit codes", () => {
    const run = runCli(["check", "--help"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/--json/);
    expect(run.stdout).toMatch(/Exit codes: 0 .* 1 .* 2 /s);
  });

  it("no command: usage on stderr, exit 2; unknown command: exit 2", () => {
    const none = runCli([]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/Usage: typed-batch/);
    expect(runCli(["frobnicate"]).status).toBe(2);
  });
});
