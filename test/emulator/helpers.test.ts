// The test helpers docs/testing.md offers users ("Recipes tests need"), used as a user would:
// the Azure SDK clients and typed-batch's client over HTTPS, the emulator's helpers for what Azure
// has no API for in a test (simulated time, seeding, reading what landed on a node).
import http from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { batchAccount, createBatchClient } from "../../src/index.js";
import { bearer, raw, scenarioWorld, setup, type Clients } from "./setup.js";

let c: Clients;
beforeAll(async () => {
  c = await setup();
});
afterAll(async () => {
  await c.em.stop();
});

function imdsGet(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { Metadata: "true" } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (d: Buffer) => chunks.push(d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown> }));
      })
      .on("error", reject);
  });
}

describe("test helpers users need", () => {
  test("the account behind emulator.clientConfig is created with typed-batch's own client (ARM over HTTPS)", async () => {
    const client = createBatchClient(c.em.clientConfig);
    await client.accounts.createOrUpdate(batchAccount(c.em.clientConfig.accountName, { location: c.em.location }).build());
    const viaArm = await c.arm.batchAccountOperations.get(c.em.resourceGroup, "emulated");
    expect(viaArm.name).toBe("emulated");
    // The data plane of that account answers the SDK at clientConfig.accountEndpoint.
    expect([...(await c.batch("emulated").pool.list())]).toEqual([]);
  });

  test("an empty container, an upload to a blob URL, listing and reading it back", async () => {
    c.em.createContainer("helperstore", "empty");
    expect(c.em.listBlobs("helperstore", "empty")).toEqual([]);
    // The container exists for the Blob service too: a List Blobs over HTTPS answers 200 with no blobs.
    const listed = await raw(c.em, "GET", `${c.em.blobUrl("helperstore", "empty")}?restype=container&comp=list&sig=test`, { headers: { "x-ms-version": "2021-12-02" } });
    expect(listed.status).toBe(200);
    expect(listed.text).not.toContain("<Blob>");
    await c.em.uploadBlob(`${c.em.blobUrl("helperstore", "empty", "a/b.txt")}?sv=2021-12-02&sig=test`, "hello");
    expect(c.em.listBlobs("helperstore", "empty")).toEqual(["a/b.txt"]);
    expect(c.em.readBlob("helperstore", "empty", "a/b.txt")?.toString("utf8")).toBe("hello");
    // Without a SAS or a token the Blob service refuses, and the helper says how.
    await expect(c.em.uploadBlob(c.em.blobUrl("helperstore", "empty", "c.txt"), "x")).rejects.toThrow(/uploadBlob: Blob service answered 4\d\d/);
    expect(c.em.listBlobs("helperstore", "nope")).toEqual([]);
  });

  test("waitForTasks runs a job's tasks to completion on simulated time; task and node files can be listed and read", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    await c.arm.poolOperations.create(c.em.resourceGroup, w.account, "run", {
      identity: { type: "UserAssigned", userAssignedIdentities: { [w.worker.id]: {} } },
      vmSize: "STANDARD_D2S_V3",
    });
    const batch = c.batch(w.account);
    await batch.job.add({ id: "frames", poolInfo: { poolId: "run" } });
    await batch.task.addCollection("frames", [
      { id: "ok", commandLine: "echo rendered" },
      { id: "bad", commandLine: "exit 3" },
    ]);
    const before = c.em.now().getTime();
    const outcomes = c.em.waitForTasks(w.account, "frames");
    expect(outcomes).toEqual([
      { id: "bad", state: "completed", result: "failure", exitCode: 3, failureCode: "FailureExitCode" },
      { id: "ok", state: "completed", result: "success", exitCode: 0 },
    ]);
    expect(c.em.now().getTime()).toBeGreaterThan(before);
    // What the SDK reports agrees.
    expect((await batch.task.get("frames", "bad")).executionInfo?.exitCode).toBe(3);
    expect(c.em.taskFiles(w.account, "frames", "ok")).toContain("stdout.txt");
    expect(c.em.readTaskFile(w.account, "frames", "ok", "stdout.txt")?.toString("utf8")).toContain("echo rendered");
    const nodeId = c.em.nodeIds(w.account, "run")[0] ?? "";
    const onNode = c.em.nodeFiles(w.account, "run", nodeId).find((f) => f.endsWith("/ok/stdout.txt")) ?? "";
    expect(onNode).not.toBe("");
    expect(c.em.readNodeFile(w.account, "run", nodeId, onNode)?.toString("utf8")).toContain("echo rendered");
    expect(c.em.readTaskFile(w.account, "frames", "ok", "nope.txt")).toBeUndefined();
  });

  test("waitForTasks gives up after its simulated timeout and names the tasks left", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    await c.arm.poolOperations.create(c.em.resourceGroup, w.account, "empty", { vmSize: "STANDARD_D2S_V3", scaleSettings: { fixedScale: { targetDedicatedNodes: 0 } } });
    const batch = c.batch(w.account);
    await batch.job.add({ id: "stuck", poolInfo: { poolId: "empty" } });
    await batch.task.add("stuck", { id: "waits", commandLine: "x" });
    const before = c.em.now().getTime();
    expect(() => c.em.waitForTasks(w.account, "stuck", { timeoutMs: 60_000 })).toThrow("tasks of job 'stuck' not completed: waits (active)");
    expect(c.em.now().getTime() - before).toBe(60_000);
    expect(() => c.em.waitForTasks(w.account, "nojob")).toThrow("no job 'nojob'");
  });

  test("imdsTokenUrl is the full token URL code on a node calls", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    await c.arm.poolOperations.create(c.em.resourceGroup, w.account, "imds", {
      identity: { type: "UserAssigned", userAssignedIdentities: { [w.worker.id]: {}, [w.other.id]: {} } },
      vmSize: "STANDARD_D2S_V3",
    });
    c.em.settle();
    const nodeId = c.em.nodeIds(w.account, "imds")[0] ?? "";
    const url = c.em.imdsTokenUrl(w.account, "imds", nodeId, { resource: "https://storage.azure.com/", identity: w.worker.id });
    expect(url.startsWith(`${c.em.imdsEndpoint(w.account, "imds", nodeId)}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=`)).toBe(true);
    const token = await imdsGet(url);
    expect(token.status).toBe(200);
    expect(token.body["resource"]).toBe("https://storage.azure.com/");
    expect(typeof token.body["access_token"]).toBe("string");
    // Two identities on the node and none named: IMDS refuses, as in Azure.
    const unnamed = await imdsGet(c.em.imdsTokenUrl(w.account, "imds", nodeId, { resource: "https://storage.azure.com/" }));
    expect(unnamed.status).toBe(400);
    // The token works against the emulated Blob service for what the identity may read.
    const read = await raw(c.em, "GET", `${c.em.blobUrl(w.storage, "app-ffmpeg")}?restype=container&comp=list`, {
      headers: { authorization: `Bearer ${String(token.body["access_token"])}`, "x-ms-version": "2021-12-02" },
    });
    expect(read.status).toBe(200);
    expect(await bearer(c.em, "https://storage.azure.com/.default")).toMatch(/^Bearer /);
  });
});
