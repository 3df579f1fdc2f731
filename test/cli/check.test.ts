import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { corpusCases, essentials } from "../diagnose/corpus.js";
import { bundlesDir, cliPath, runCli, stackLine } from "./support/run-cli.js";

const fixture = (name: string) => `${bundlesDir}${name}`;
const parseFindings = (stdout: string) => (JSON.parse(stdout) as { findings: Array<Record<string, string>> }).findings;

describe("typed-batch check: exit codes", () => {
  it.each(corpusCases().map((c) => [c.name, c] as const))("%s exits with its expected code and --json findings", (_name, c) => {
    const run = runCli(["check", c.file, "--json"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(c.exitCode);
    const findings = parseFindings(run.stdout);
    expect(findings.map((f) => essentials(f as never))).toEqual(c.findings);
    for (const f of findings) expect(f["file"]).toBe(c.file);
  });

  it("exits 0 with warnings only, 1 with any error", () => {
    expect(runCli(["check", fixture("broken/unknown-pool.json")]).status).toBe(0);
    expect(runCli(["check", fixture("broken/unknown-pool.json"), fixture("broken/mount-credentials.json")]).status).toBe(1);
  });

  it("exits 2 when any file is unusable, and still reports the others", () => {
    const run = runCli(["check", fixture("broken/mount-credentials.json"), fixture("unreadable/not-json.json"), "--json"]);
    expect(run.status).toBe(2);
    expect(parseFindings(run.stdout).map((f) => f["code"])).toEqual(["MOUNT_CREDENTIALS"]);
    expect(run.stderr).toContain("not-json.json");
  });

  it("reads standard input for '-'", () => {
    const run = runCli(["check", "-", "--json"], { input: readFileSync(fixture("broken/node-identity-not-in-pool.json"), "utf8") });
    expect(run.status).toBe(1);
    expect(parseFindings(run.stdout)[0]).toMatchObject({ file: "(stdin)", code: "NODE_IDENTITY_NOT_IN_POOL" });
  });

  it("exits 2 on usage errors (no file, unknown option)", () => {
    expect(runCli(["check"]).status).toBe(2);
    expect(runCli(["check", fixture("valid/full.json"), "--bogus"]).status).toBe(2);
  });
});

describe("typed-batch check: unreadable input", () => {
  it.each([
    ["unreadable/not-json.json", /invalid JSON at line 1, column 1: expected a value/],
    ["unreadable/truncated.json", /invalid JSON at line \d+, column \d+: expected .*found the end of the input/],
    ["unreadable/empty-file.json", /invalid JSON at line 1, column 1/],
    ["unreadable/top-level-array.json", /unusable document: .*found an array/],
    ["unreadable/pools-not-array.json", /unusable document: pools: .*expected an array/],
    ["unreadable/unrecognised-object.json", /unusable document: .*not a bundle/],
    ["does-not-exist.json", /cannot read file: no such file/],
    ["", /cannot read file: is a directory/],
  ])("%s: exit 2, one line naming the file, no stack trace", (name, reason) => {
    for (const json of [[], ["--json"]]) {
      const run = runCli(["check", fixture(name), ...json]);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(reason);
      expect(run.stderr).toContain(fixture(name));
      expect(run.stderr).not.toMatch(stackLine);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      if (json.length > 0) expect(JSON.parse(run.stdout)).toEqual({ findings: [] });
    }
  });

  it("reads a file that starts with a byte order mark", () => {
    const run = runCli(["check", fixture("valid/bom-prefixed.json")]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
  });
});

describe("typed-batch check: output", () => {
  it("--json prints exactly { findings } and nothing else on standard output", () => {
    const run = runCli(["check", fixture("broken/node-identity-reference-missing.json"), fixture("valid/full.json"), "--json"]);
    const parsed = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(["findings"]);
    expect(parsed["findings"]).toEqual([
      {
        file: fixture("broken/node-identity-reference-missing.json"),
        severity: "error",
        code: "NODE_IDENTITY_REFERENCE_MISSING",
        path: "pools[0].properties.applicationPackages[0]",
        message: expect.stringContaining("pool 'render' needs autostorage") as unknown,
        fix: expect.stringContaining("nodeIdentityReference") as unknown,
        scenario: "application-packages#3",
      },
    ]);
  });

  it("prints findings grouped by file with severity, code, path, message, fix and the article scenario in words", () => {
    const file = fixture("broken/node-identity-reference-missing.json");
    const run = runCli(["check", file, fixture("valid/full.json")]);
    expect(run.status).toBe(1);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe(file);
    expect(lines[1]).toMatch(/^\s+error\s+NODE_IDENTITY_REFERENCE_MISSING at pools\[0\]\.properties\.applicationPackages\[0\]$/);
    expect(lines[2]).toContain("needs autostorage, but account 'renderacct' has no node identity reference");
    expect(lines[3]).toMatch(/fix: set autoStorage\.nodeIdentityReference\.resourceId/);
    expect(lines[4]).toContain("article: application packages, scenario 3 — nodes stuck in Starting");
    expect(run.stdout).toContain(`${fixture("valid/full.json")}: no findings`);
    expect(lines.at(-2)).toBe("2 files checked: 1 error, no warnings");
  });

  it("prints no colour codes when NO_COLOR is set or stdout is not a terminal", () => {
    const run = runCli(["check", fixture("broken/unknown-pool.json")], { env: { NO_COLOR: "" } });
    expect(run.stdout).not.toContain("\u001b[");
  });
});

describe("typed-batch check: secrets never printed", () => {
  const canaries = /SECRETCANARY|ACCOUNTKEYCANARY/;

  it.each([[[]], [["--json"]]])("bundle with a SAS sig= and an accountKey canary, args %j", (extra) => {
    const run = runCli(["check", fixture("secrets/canaries.json"), ...extra]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("[redacted]");
    expect(run.stdout).not.toMatch(canaries);
    expect(run.stderr).not.toMatch(canaries);
    if (extra.length > 0) expect(() => JSON.parse(run.stdout) as unknown).not.toThrow();
  });

  it("invalid JSON holding a secret: the message quotes none of it", () => {
    const run = runCli(["check", fixture("secrets/invalid-json-with-secret.json")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/line 2, column \d+/);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(canaries);
  });
});

describe("typed-batch check: closed pipe", () => {
  it("stops writing when standard output closes early, keeps the exit code and prints no stack trace", async () => {
    const dir = mkdtempSync(`${tmpdir()}/typed-batch-pipe-`);
    const file = `${dir}/many.json`;
    // 5,000 findings: far more than a pipe buffer holds.
    writeFileSync(file, JSON.stringify({ jobs: [{ id: "j", poolInfo: { poolId: "p" }, tasks: Array.from({ length: 5000 }, (_, i) => ({ id: `t${i}`, resourceFiles: [{ httpUrl: "https://x/y" }] })) }] }));
    try {
      const child = spawn(process.execPath, [cliPath, "check", file], { env: { ...process.env, NO_COLOR: "1" } });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.once("data", () => child.stdout.destroy());
      const status = await new Promise<number | null>((done) => child.on("close", (code) => done(code)));
      expect(status).toBe(1);
      expect(stderr).toBe("");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
