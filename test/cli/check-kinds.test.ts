import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.js";

/** `check` on every Batch body kind, joined files, `--each` and bundle typos, through the CLI. */

const kinds = fileURLToPath(new URL("../fixtures/kinds/", import.meta.url));
const file = (name: string) => `${kinds}${name}`;

interface Found {
  readonly file: string;
  readonly severity: string;
  readonly code: string;
  readonly path: string;
  readonly message: string;
}

function check(...args: string[]): { status: number | null; findings: Found[]; stderr: string } {
  const run = runCli(["check", ...args, "--json"]);
  return { status: run.status, findings: (JSON.parse(run.stdout) as { findings: Found[] }).findings, stderr: run.stderr };
}

const brief = (fs: readonly Found[]) => fs.map((f) => `${f.severity} ${f.code} ${f.path}`);

describe("check: every Batch body kind, by shape", () => {
  it("a data-plane task body: rules that need no pool run, membership is a warning", () => {
    const run = check(file("task.json"));
    expect(run.status).toBe(1);
    expect(brief(run.findings)).toEqual(["error RESOURCE_FILE_PATH_REQUIRED resourceFiles[0].filePath"]);
  });

  it("a task collection ({ value: [...] }): paths into value[n], one warning for the references not checked", () => {
    const run = check(file("task-collection.json"));
    expect(run.status).toBe(1);
    expect(brief(run.findings)).toEqual(["error RESOURCE_FILE_BLOB_PREFIX value[1].resourceFiles[0].blobPrefix", "warning CURRENT_STATE_UNKNOWN value[0]"]);
    expect(run.findings[1]?.message).toContain("given without the job they run in");
  });

  it("a data-plane pool add body with an identity array: paths into the file's own shape", () => {
    const run = check(file("data-plane-pool.json"));
    expect(run.status).toBe(1);
    expect(brief(run.findings)).toEqual([
      "error IDENTITY_NOT_IN_POOL startTask.resourceFiles[1].identityReference",
      "error IDENTITY_NOT_IN_POOL virtualMachineConfiguration.containerConfiguration.containerRegistries[0].identityReference",
    ]);
  });

  it("a data-plane pool update body: identities unknown, a warning and no error", () => {
    const run = check(file("data-plane-pool-update.json"));
    expect(run.status).toBe(0);
    expect(brief(run.findings)).toEqual(["warning CURRENT_STATE_UNKNOWN "]);
  });

  it("an ARM pool PATCH without identity leaves the identities unchanged: a warning, never IDENTITY_NOT_IN_POOL", () => {
    const run = check(file("arm-pool-patch.json"));
    expect(run.status).toBe(0);
    expect(brief(run.findings)).toEqual(["warning CURRENT_STATE_UNKNOWN "]);
    expect(run.findings[0]?.message).toContain("leaves the pool's identities as they are in Azure");
  });

  it("an ARM pool PATCH that sets identity None removes them: the reference is an error", () => {
    const run = check(file("arm-pool-patch-identity-none.json"));
    expect(run.status).toBe(1);
    expect(brief(run.findings)).toEqual(["error IDENTITY_NOT_IN_POOL properties.startTask.resourceFiles[0].identityReference"]);
  });

  it("an ARM account create without identity but with BatchAccountManagedIdentity autostorage: an error", () => {
    const run = check(file("arm-account-create.json"));
    expect(run.status).toBe(1);
    expect(brief(run.findings)).toEqual(["error ACCOUNT_IDENTITY_REQUIRED properties.autoStorage.authenticationMode"]);
  });

  it("the same as an ARM account PATCH (no location, no identity): the identity is unchanged, so a warning", () => {
    const run = check(file("arm-account-patch.json"));
    expect(run.status).toBe(0);
    expect(brief(run.findings)).toEqual(["warning CURRENT_STATE_UNKNOWN "]);
    expect(run.findings[0]?.message).toContain("leaves the account's identity as it is in Azure");
  });

  it("a job schedule body: its jobSpecification is checked as a job", () => {
    const run = check(file("job-schedule.json"), file("pool.json"));
    expect(run.status).toBe(1);
    expect(brief(run.findings)).toEqual(["error IDENTITY_NOT_IN_POOL jobSpecification.jobManagerTask.resourceFiles[0].identityReference"]);
    expect(run.findings[0]?.file).toBe(file("job-schedule.json"));
  });

  it("an uploadBatchServiceLogs body: read, its identity's pool unknown (warning)", () => {
    const run = check(file("upload-logs.json"));
    expect(run.status).toBe(0);
    expect(brief(run.findings)).toEqual(["warning CURRENT_STATE_UNKNOWN "]);
  });

  it("a bundle with a data-plane pool and job schedules: no false INVALID_SHAPE or IDENTITY_NOT_IN_POOL", () => {
    const run = check(file("bundle-data-plane-pool.json"));
    expect(run.findings).toEqual([]);
    expect(run.status).toBe(0);
  });
});

describe("check: many files are one deployment", () => {
  it("a job in one file is checked against the pool in another, the finding names the job's file", () => {
    const run = check(file("pool.json"), file("job-on-render.json"));
    expect(run.status).toBe(1);
    expect(run.findings).toMatchObject([{ file: file("job-on-render.json"), code: "IDENTITY_NOT_IN_POOL", path: "jobManagerTask.resourceFiles[0].identityReference" }]);
    expect(run.findings[0]?.message).toContain("is not attached to pool 'render'");
  });

  it("--each keeps the old per-file behaviour: only UNKNOWN_POOL, exit 0", () => {
    const run = check(file("pool.json"), file("job-on-render.json"), "--each");
    expect(run.status).toBe(0);
    expect(brief(run.findings)).toEqual(["warning UNKNOWN_POOL poolInfo.poolId"]);
  });

  it("text output groups the joined findings under each file", () => {
    const run = runCli(["check", file("pool.json"), file("job-on-render.json")]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`${file("pool.json")}: no findings`);
    expect(run.stdout).toMatch(new RegExp(`${file("job-on-render.json").replaceAll(".", "\\.")}\\n\\s+error\\s+IDENTITY_NOT_IN_POOL`));
  });
});

describe("check: bundle keys it does not read", () => {
  it("a misspelt key is an error with 'did you mean', tasks at the top say where they go", () => {
    const run = check(file("bundle-typos.json"));
    expect(run.status).toBe(1);
    expect(brief(run.findings)).toEqual(["error UNKNOWN_BUNDLE_KEY pool", "error UNKNOWN_BUNDLE_KEY tasks", "warning UNKNOWN_POOL jobs[0].poolInfo.poolId"]);
    expect(run.findings.find((f) => f.path === "pool")?.message).toContain("did you mean 'pools'?");
    expect(run.findings.find((f) => f.path === "tasks")?.message).toContain("jobs[].tasks");
  });

  it("--format sarif, --format json and --json agree on the findings", () => {
    const json = runCli(["check", file("bundle-typos.json"), "--format", "json"]);
    const alias = runCli(["check", file("bundle-typos.json"), "--json"]);
    expect(json.stdout).toBe(alias.stdout);
    expect(json.status).toBe(1);
    expect(runCli(["check", file("bundle-typos.json"), "--format", "yaml"]).status).toBe(2);
  });
});
