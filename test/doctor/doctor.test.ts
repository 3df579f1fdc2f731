// client.doctor and `typed-batch doctor` against the emulator over HTTPS: every finding the doctor
// emits, each through the API and through the compiled command (same findings both ways).
import { randomUUID } from "node:crypto";
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createBatchClient, type Finding } from "../../src/index.js";
import { runDoctor } from "../../src/doctor/doctor.js";
import { RoleChecker } from "../../src/doctor/role-check.js";
import { startEmulator, type Emulator } from "../../src/testing/index.js";
import { cliFiles, createPool, doctorArgs, ensureBuilt, poolBody, runCliAsync, runTask, scene } from "./support.js";

let em: Emulator;
let files: Awaited<ReturnType<typeof cliFiles>>;
const packages = { applicationPackages: [{ id: "ffmpeg", version: "6.1" }] };
const essentials = (fs: readonly Finding[]) => fs.map((f) => [f.severity, f.code, f.path, f.scenario ?? null]);

beforeAll(async () => {
  await ensureBuilt();
  em = await startEmulator();
  em.createContainer("logs", "logs");
  files = await cliFiles(em);
}, 180_000);
afterAll(async () => {
  await em.stop();
});

const logs = () => `${em.blobUrl("logs", "logs")}?sv=2022-11-02&sp=rwl&sig=c2lnbmF0dXJl`;

/** The doctor through the API and through the command; asserts both agree and returns the findings. */
async function doctorBoth(account: string, options: { pool?: string; logs?: boolean } = {}): Promise<Finding[]> {
  const client = createBatchClient(em.clientConfigFor(account));
  const api = await client.doctor({ ...(options.pool !== undefined && { pool: options.pool }), ...(options.logs === true && { logsContainerUrl: logs() }) });
  const extra = [...(options.pool !== undefined ? ["--pool", options.pool] : []), ...(options.logs === true ? ["--logs-container", logs()] : []), "--json"];
  const run = await runCliAsync(doctorArgs(em, account, files, extra));
  expect(run.stderr).toBe("");
  expect(run.status).toBe(api.some((f) => f.severity === "error") ? 1 : 0);
  const parsed = JSON.parse(run.stdout) as { findings: Finding[] };
  expect(Object.keys(parsed)).toEqual(["findings"]);
  expect(essentials(parsed.findings)).toEqual(essentials(api));
  // Never a token nor a SAS signature on the way out.
  for (const token of Object.values(files.tokenMap)) expect(run.stdout + run.stderr).not.toContain(token);
  expect(run.stdout).not.toContain("c2lnbmF0dXJl");
  return api;
}

const only = (fs: readonly Finding[], code: string) => fs.filter((f) => f.code === code);

describe("application packages table", () => {
  test("row 1: identity given, on the pool, with a role: no findings", async () => {
    const s = await scene(em);
    await createPool(em, s, "render", poolBody([s.worker.resourceId], packages));
    em.settle();
    expect(await doctorBoth(s.account)).toEqual([]);
  });

  test("row 2: the identity lacks a data role: PERMISSION_MISSING application-packages#2", async () => {
    const s = await scene(em, { workerRole: false });
    await createPool(em, s, "render", poolBody([s.worker.resourceId], packages));
    em.settle();
    const fs = await doctorBoth(s.account);
    expect(essentials(fs)).toEqual([["error", "PERMISSION_MISSING", 'pools["render"].applicationPackages[0]', "application-packages#2"]]);
    expect(fs[0]?.message).toContain("docworker");
    expect(fs[0]?.message).toContain(s.storageId);
    expect(fs[0]?.fix).toContain("Storage Blob Data Reader");
  });

  test("row 3: no node identity reference; the stuck node's agent-debug.log is read", async () => {
    const s = await scene(em, { nodeRef: false });
    await createPool(em, s, "render", poolBody([s.worker.resourceId], packages));
    em.settle();
    const fs = await doctorBoth(s.account, { logs: true });
    expect(essentials(fs)).toEqual([
      ["error", "NODE_IDENTITY_REFERENCE_MISSING", 'pools["render"].applicationPackages[0]', "application-packages#3"],
      ["error", "NODE_IDENTITY_REFERENCE_MISSING", 'pools["render"].nodes', "application-packages#3"],
    ]);
    expect(fs[1]?.message).toMatch(/stuck in Starting.*pool not fully joined yet, health=Status\.TvmJoinPoolInProgress/);
  });

  test("row 3 without a log container: reported with the likely cause, logs not read", async () => {
    const s = await scene(em, { nodeRef: false });
    await createPool(em, s, "render", poolBody([s.worker.resourceId], packages));
    em.settle();
    const fs = await doctorBoth(s.account);
    expect(fs[1]?.code).toBe("NODE_IDENTITY_REFERENCE_MISSING");
    expect(fs[1]?.message).toContain("node logs not read");
  });

  test("row 4: the pool carries a different identity; the Unusable node confirms it", async () => {
    const s = await scene(em);
    await createPool(em, s, "render", poolBody([s.other.resourceId], packages));
    em.settle();
    const fs = await doctorBoth(s.account);
    expect(essentials(fs)).toEqual([
      ["error", "NODE_IDENTITY_NOT_IN_POOL", 'pools["render"].applicationPackages[0]', "application-packages#4"],
      ["error", "NODE_IDENTITY_NOT_IN_POOL", 'pools["render"].nodes', "application-packages#4"],
    ]);
    expect(fs[1]?.message).toContain('unusable with ApplicationPackageError ("One or more application packages specified for the pool are invalid")');
    expect(fs[1]?.fix).toContain("resize the pool to 0");
  });
});

describe("resource files table", () => {
  test("row 2: PERMISSION_MISSING resource-files#2 on the pool and on the failed task", async () => {
    const s = await scene(em, { workerRole: false });
    await createPool(em, s, "files", poolBody([s.worker.resourceId]));
    em.settle();
    await runTask(em, s, "files", "frames");
    const fs = await doctorBoth(s.account);
    expect(essentials(fs)).toEqual([
      ["error", "PERMISSION_MISSING", 'pools["files"].identity', "resource-files#2"],
      ["error", "PERMISSION_MISSING", 'jobs["frames"].tasks', "resource-files#2"],
    ]);
    expect(fs[1]?.message).toContain("failed with ResourceContainerAccessDenied");
  });

  test("row 3: the failed task is explained by the missing node identity reference", async () => {
    const s = await scene(em, { nodeRef: false });
    await createPool(em, s, "files", poolBody([s.worker.resourceId]));
    em.settle();
    await runTask(em, s, "files", "frames");
    const fs = await doctorBoth(s.account);
    expect(essentials(fs)).toEqual([["error", "NODE_IDENTITY_REFERENCE_MISSING", 'jobs["frames"].tasks', "resource-files#3"]]);
  });

  test("row 4: ResourceContainerListMiscError is explained by the node identity missing from the pool", async () => {
    const s = await scene(em);
    await createPool(em, s, "files", poolBody([s.other.resourceId]));
    em.settle();
    await runTask(em, s, "files", "frames");
    const fs = await doctorBoth(s.account);
    expect(essentials(fs)).toEqual([["error", "NODE_IDENTITY_NOT_IN_POOL", 'jobs["frames"].tasks', "resource-files#4"]]);
    expect(fs[0]?.message).toContain("ResourceContainerListMiscError");
  });

  test("a failure the configuration no longer explains (the role was granted afterwards): TASK_FAILURE", async () => {
    const s = await scene(em, { workerRole: false });
    await createPool(em, s, "files", poolBody([s.worker.resourceId]));
    em.settle();
    await runTask(em, s, "files", "frames");
    em.grantRole({ principalId: s.worker.principalId, role: "Storage Blob Data Reader", scope: s.storageId });
    const fs = await doctorBoth(s.account);
    expect(essentials(fs)).toEqual([["error", "TASK_FAILURE", 'jobs["frames"].tasks', null]]);
    expect(fs[0]?.message).toContain("which the current configuration does not explain");
  });
});

describe("beyond the tables", () => {
  test("the account's own identity cannot write autostorage: the 409 AutoStorageNoPermission it prevents", async () => {
    const s = await scene(em, { accountRole: false });
    const fs = await doctorBoth(s.account);
    expect(essentials(fs)).toEqual([["error", "PERMISSION_MISSING", "account.autoStorage", null]]);
    expect(fs[0]?.message).toContain("409 AutoStorageNoPermission");
    expect(fs[0]?.message).toContain("no article table row");
    expect(fs[0]?.fix).toContain("Storage Blob Data Contributor");
  });

  test("a start task container URL on another storage account: role checked by URL; the failed start task confirms it", async () => {
    const s = await scene(em);
    em.seedBlob("docdata", "scripts", "setup.sh", "echo hi");
    const url = em.blobUrl("docdata", "scripts");
    await createPool(em, s, "setup", poolBody([s.worker.resourceId], { startTask: { commandLine: "setup.sh", waitForSuccess: true, resourceFiles: [{ storageContainerUrl: url, identityReference: { resourceId: s.worker.resourceId } }] } }));
    em.settle();
    const fs = await doctorBoth(s.account);
    expect(essentials(fs)).toEqual([
      ["error", "PERMISSION_MISSING", 'pools["setup"].startTask.resourceFiles[0]', null],
      ["error", "PERMISSION_MISSING", 'pools["setup"].nodes', null],
    ]);
    expect(fs[0]?.message).toContain("storageAccounts/docdata");
    expect(fs[1]?.message).toContain("failed their start task with ResourceContainerAccessDenied");
  });

  test("a URL whose storage account cannot be resolved: STORAGE_UNRESOLVED warning", async () => {
    const s = await scene(em);
    await createPool(em, s, "web", poolBody([s.worker.resourceId], { startTask: { commandLine: "x", resourceFiles: [{ httpUrl: "https://downloads.example.com/tool.bin", filePath: "tool.bin", identityReference: { resourceId: s.worker.resourceId } }] } }));
    em.settle();
    const fs = await doctorBoth(s.account, { pool: "web" });
    expect(essentials(fs)).toEqual([["warning", "STORAGE_UNRESOLVED", 'pools["web"].startTask.resourceFiles[0]', null]]);
  });

  test("identities changed while a node ran: POOL_IDENTITY_STALE_NODES (may)", async () => {
    const s = await scene(em);
    await createPool(em, s, "render", poolBody([s.worker.resourceId]));
    em.settle();
    em.advance(60_000);
    await s.arm.poolOperations.update(em.resourceGroup, s.account, "render", { identity: { type: "UserAssigned", userAssignedIdentities: { [s.worker.resourceId]: {}, [s.other.resourceId]: {} } } });
    expect(em.poolIdentityHistory(s.account, "render").at(-1)?.nodesExisted).toBe(true);
    const fs = await doctorBoth(s.account);
    expect(essentials(fs)).toEqual([["warning", "POOL_IDENTITY_STALE_NODES", 'pools["render"].identity', null]]);
    expect(fs[0]?.message).toContain("if that change was to the identities");
  });

  test("a node left Unusable by an identity since fixed: NODE_FAILURE, and the stale-node warning names it", async () => {
    const s = await scene(em);
    await createPool(em, s, "render", poolBody([s.other.resourceId], packages));
    em.settle();
    em.advance(60_000);
    await s.arm.poolOperations.update(em.resourceGroup, s.account, "render", { identity: { type: "UserAssigned", userAssignedIdentities: { [s.worker.resourceId]: {} } } });
    const fs = await doctorBoth(s.account);
    expect(essentials(fs)).toEqual([
      ["error", "NODE_FAILURE", 'pools["render"].nodes', null],
      ["warning", "POOL_IDENTITY_STALE_NODES", 'pools["render"].identity', null],
    ]);
    expect(fs[1]?.message).toContain("most likely still have the old identities");
  });

  test("role assignments that cannot be read: PERMISSION_UNKNOWN warning (API)", async () => {
    const s = await scene(em, { workerRole: false });
    await createPool(em, s, "render", poolBody([s.worker.resourceId], packages));
    em.settle();
    const client = createBatchClient(em.clientConfigFor(s.account));
    // A real AuthorizationManagementClient whose endpoint refuses connections.
    const unreachable = new AuthorizationManagementClient(em.credential, em.subscriptionId, { ...em.armClientOptions, endpoint: "https://127.0.0.1:1", retryOptions: { maxRetries: 0 } });
    const fs = await runDoctor({ management: client.raw.management, batch: client.raw.batch, roles: new RoleChecker(unreachable), subscriptionId: em.subscriptionId, resourceGroup: em.resourceGroup, accountName: s.account });
    expect(essentials(fs)).toEqual([
      ["warning", "PERMISSION_UNKNOWN", "account.autoStorage", null],
      ["warning", "PERMISSION_UNKNOWN", 'pools["render"].applicationPackages[0]', null],
    ]);
  });

  test("role assignment reads throttled (429, after the clients' retries): PERMISSION_UNKNOWN warning, through the API and the command alike", async () => {
    const s = await scene(em, { workerRole: false });
    await createPool(em, s, "render", poolBody([s.worker.resourceId], packages));
    em.settle();
    // Only the role assignment reads fail; everything else answers. 429 rather than 503: the clients
    // retry both, but a 429's Retry-After of 1 s keeps those retries short (503 backs off exponentially).
    em.setFaults({ rate: 1, kinds: ["429"], planes: ["arm"], paths: ["/providers/Microsoft.Authorization/roleAssignments"] });
    let fs: Finding[];
    try {
      fs = await doctorBoth(s.account);
    } finally {
      em.setFaults(undefined);
    }
    expect(essentials(fs)).toEqual([
      ["warning", "PERMISSION_UNKNOWN", "account.autoStorage", null],
      ["warning", "PERMISSION_UNKNOWN", 'pools["render"].applicationPackages[0]', null],
    ]);
    expect(em.requests.some((r) => r.fault === "429" && /roleAssignments/i.test(r.path))).toBe(true);
  }, 120_000);

  test("offline rules run on live pools: a pool identity reference not on the pool", async () => {
    const s = await scene(em);
    await createPool(em, s, "reg", poolBody([s.worker.resourceId], { deploymentConfiguration: { virtualMachineConfiguration: { imageReference: { publisher: "p", offer: "o", sku: "s" }, nodeAgentSkuId: "batch.node.ubuntu 22.04", containerConfiguration: { type: "dockerCompatible", containerRegistries: [{ registryServer: "r.azurecr.io", identityReference: { resourceId: s.other.resourceId } }] } } } }));
    em.settle();
    const fs = await doctorBoth(s.account);
    expect(fs.map((f) => f.code)).toContain("IDENTITY_NOT_IN_POOL");
    expect(fs.find((f) => f.code === "IDENTITY_NOT_IN_POOL")?.path).toMatch(/^pools\["reg"\]\.deploymentConfiguration/);
  });
});

describe("bounds, progress, cancellation", () => {
  test("20 pools sharing one identity: O(1) requests per pool, role assignments read once per principal and scope", async () => {
    const s = await scene(em, { workerRole: false });
    for (let i = 0; i < 20; i++) await createPool(em, s, `p${i}`, poolBody([s.worker.resourceId], packages));
    em.settle();
    await s.batch.job.add({ id: "j0", poolInfo: { poolId: "p0" } });
    const client = createBatchClient(em.clientConfigFor(s.account));
    const steps = new Set<string>();
    em.requests.clear();
    const fs = await client.doctor({ onProgress: (p) => steps.add(p.step) });
    const roleReads = em.requests.filter((r) => /roleAssignments/i.test(r.path)).length;
    // account + pool list + 20 node lists + job list + 1 task list + 2 role reads (account identity, worker).
    expect(roleReads).toBe(2);
    expect(em.requests.length).toBe(1 + 1 + 20 + 1 + 1 + 2);
    expect(em.requests.length).toBeLessThanOrEqual(3 + 20 * 1 + 1 + 2);
    expect(only(fs, "PERMISSION_MISSING")).toHaveLength(20);
    expect([...steps]).toEqual(["account", "pools", "permissions", "nodes", "tasks"]);
  });

  test("--pool reads one pool; an aborted signal rejects", async () => {
    const s = await scene(em, { workerRole: false });
    await createPool(em, s, "a", poolBody([s.worker.resourceId], packages));
    await createPool(em, s, "b", poolBody([s.worker.resourceId], packages));
    em.settle();
    const fs = await doctorBoth(s.account, { pool: "b" });
    expect(fs.map((f) => f.path)).toEqual(['pools["b"].applicationPackages[0]']);
    const client = createBatchClient(em.clientConfigFor(s.account));
    await expect(client.doctor({ signal: AbortSignal.abort() })).rejects.toThrow();
  });
});

describe("typed-batch doctor: output and exit codes", () => {
  test("human output is grouped by account and pool, with a summary", async () => {
    const s = await scene(em, { workerRole: false });
    await createPool(em, s, "render", poolBody([s.worker.resourceId], packages));
    em.settle();
    const run = await runCliAsync(doctorArgs(em, s.account, files));
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^account: no findings$/m);
    expect(run.stdout).toMatch(/^pools\["render"\]$/m);
    expect(run.stdout).toContain("PERMISSION_MISSING");
    expect(run.stdout).toContain("article: application packages, scenario 2");
    expect(run.stdout).toMatch(/1 error\(s\), no warnings/);
    expect(run.stderr).toBe("");
  });

  test("exit 0 with no findings", async () => {
    const s = await scene(em);
    const run = await runCliAsync(doctorArgs(em, s.account, files));
    expect(run.status).toBe(0);
  });

  test("exit 2 without a stack trace: account not found, missing arguments, refused credentials", async () => {
    const missing = await runCliAsync(doctorArgs(em, "nosuchaccount", files));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("'nosuchaccount'");
    expect(missing.stderr).toContain("not found");
    expect(missing.stderr).not.toMatch(/^\s+at /m);

    const noArgs = await runCliAsync(["doctor", "--subscription", em.subscriptionId]);
    expect(noArgs.status).toBe(2);
    expect(noArgs.stderr).toContain("--resource-group");

    const s = await scene(em);
    const bad = await runCliAsync(doctorArgs(em, s.account, files).filter((a, i, all) => a !== "--token-file" && all[i - 1] !== "--token-file"), { TYPED_BATCH_TEST_TOKEN: `eyJhbGciOiJub25lIn0.${randomUUID()}.` });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/refused|sign in/);
    expect(bad.stderr).not.toContain("eyJhbGciOiJub25lIn0");
    expect(bad.stderr).not.toMatch(/^\s+at /m);
  });

  test("the account endpoint is read from ARM when not given", async () => {
    const s = await scene(em, { workerRole: false });
    await createPool(em, s, "render", poolBody([s.worker.resourceId], packages));
    em.settle();
    const args = doctorArgs(em, s.account, files).filter((a, i, all) => a !== "--account-endpoint" && all[i - 1] !== "--account-endpoint");
    const run = await runCliAsync([...args, "--json"]);
    expect(run.status).toBe(1);
    expect((JSON.parse(run.stdout) as { findings: Finding[] }).findings.map((f) => f.code)).toEqual(["PERMISSION_MISSING"]);
  });
});

