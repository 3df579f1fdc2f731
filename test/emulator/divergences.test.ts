// Regression tests for the divergences of issue 13: each is named after the behaviour Azure's
// public sources describe (src/azure, the REST specs) and failed on the emulator before the fix.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ARM_ERRORS, BATCH_ERRORS, TASK_FAILURES } from "../../src/azure/index.js";
import { failureDetails } from "../../src/testing/behaviour/agent.js";
import { startEmulator } from "../../src/testing/index.js";
import { BATCH_SCOPE, bearer, raw, runTaskOn, scenarioWorld, setup, type Clients, type World } from "./setup.js";

let c: Clients;
beforeAll(async () => {
  c = await setup();
});
afterAll(async () => {
  await c.em.stop();
});

const ids = (w: World, which: "worker" | "other") => ({ type: "UserAssigned" as const, userAssignedIdentities: { [w[which].id]: {} } });

function taskOn(w: World, pool: string, task: Parameters<ReturnType<Clients["batch"]>["task"]["add"]>[1]) {
  return runTaskOn(c, w.account, pool, task);
}

describe("codes, categories and messages as Azure publishes them", () => {
  test("1. a refused registry pull is ContainerInvalidImage, the code Azure publishes (no invented code)", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    await c.arm.poolOperations.create(c.em.resourceGroup, w.account, "p1", { identity: ids(w, "worker"), vmSize: "STANDARD_D2S_V3" });
    const t = await taskOn(w, "p1", {
      id: "c1",
      commandLine: "x",
      containerSettings: { imageName: "r.azurecr.io/a:1", registry: { registryServer: "r.azurecr.io", identityReference: { resourceId: w.other.id } } },
    });
    expect(t.executionInfo?.failureInfo?.code).toBe("ContainerInvalidImage");
    expect(t.executionInfo?.failureInfo?.message).toBe(TASK_FAILURES.ContainerInvalidImage.message);
    expect(t.executionInfo?.failureInfo?.details?.[0]).toEqual({ name: "ContainerImage", value: "r.azurecr.io/a:1" });
  });

  test("2. failureInfo.category is the wire enum (usererror), result is lowercase", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "none" });
    await c.arm.poolOperations.create(c.em.resourceGroup, w.account, "p2", { identity: ids(w, "worker"), vmSize: "STANDARD_D2S_V3" });
    c.em.seedBlob(w.storage, "inputs", "a.txt", "a");
    const t = await taskOn(w, "p2", { id: "cat", commandLine: "x", resourceFiles: [{ autoStorageContainerName: "inputs" }] });
    const wire = (await raw(c.em, "GET", `${c.em.batchAccountUrl(w.account)}/jobs/job-cat/tasks/cat?api-version=2024-07-01.20.0`, {
      headers: { authorization: await bearer(c.em, BATCH_SCOPE) },
    })).text;
    expect(t.executionInfo?.failureInfo?.code).toBe("ResourceContainerAccessDenied");
    expect(JSON.parse(wire).executionInfo).toMatchObject({ result: "failure", failureInfo: { category: "usererror" } });
  });

  test("3. BlobDownloadMiscError is a servererror with the status-code page's message", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    await c.arm.poolOperations.create(c.em.resourceGroup, w.account, "p3", { identity: ids(w, "worker"), vmSize: "STANDARD_D2S_V3" });
    const url = c.em.blobUrl(w.storage, "inputs", "m.bin");
    const t = await taskOn(w, "p3", { id: "h1", commandLine: "x", resourceFiles: [{ httpUrl: url, filePath: "m", identityReference: { resourceId: w.other.id } }] });
    expect(t.executionInfo?.failureInfo).toMatchObject({
      code: "BlobDownloadMiscError",
      category: "servererror",
      message: "Miscellaneous error encountered while downloading one of the specified Azure Blob(s).",
    });
  });

  test("12. the IMDS failure detail names the status IMDS answered, not always Bad Request", () => {
    const details = failureDetails({ stage: "imds", status: 429, error: "TooManyRequests", description: "throttled" });
    expect(details.find((d) => d.name === "Message")?.value).toBe("Managed identity token request failed: HTTP 429 Too Many Requests");
  });
});

describe("state transitions as the specs describe them", () => {
  test("4. a start task whose registry identity is not on the pool fails the start task (starttaskfailed), the node is not unusable", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    await c.arm.poolOperations.create(c.em.resourceGroup, w.account, "p4", {
      identity: ids(w, "worker"),
      vmSize: "STANDARD_D2S_V3",
      startTask: {
        commandLine: "setup",
        waitForSuccess: true,
        containerSettings: { imageName: "r.azurecr.io/s:1", registry: { registryServer: "r.azurecr.io", identityReference: { resourceId: w.other.id } } },
      },
    });
    c.em.settle();
    const [node] = await c.batch(w.account).computeNode.list("p4");
    expect(node?.state).toBe("starttaskfailed");
    expect(node?.errors ?? []).toEqual([]);
    expect(node?.startTaskInfo?.failureInfo?.code).toBe("ContainerInvalidImage");
  });

  test("5. a failed job preparation task sends the task back to active, eligible for another node", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    await c.arm.poolOperations.create(c.em.resourceGroup, w.account, "p5", { identity: ids(w, "worker"), vmSize: "STANDARD_D2S_V3" });
    const batch = c.batch(w.account);
    await batch.job.add({
      id: "j5",
      poolInfo: { poolId: "p5" },
      jobPreparationTask: { commandLine: "prep", resourceFiles: [{ httpUrl: c.em.blobUrl(w.storage, "inputs", "x"), filePath: "x", identityReference: { resourceId: w.other.id } }] },
    });
    await batch.task.add("j5", { id: "t", commandLine: "x" });
    c.em.settle();
    const t = await batch.task.get("j5", "t");
    expect([t.state, t.executionInfo?.failureInfo]).toEqual(["active", undefined]);
    const [status] = await batch.job.listPreparationAndReleaseTaskStatus("j5");
    expect(status?.jobPreparationTaskExecutionInfo?.failureInfo?.code).toBe("BlobDownloadMiscError");
  });

  test("6. a pool with an application package reference that cannot be satisfied is refused with 409", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    const refused = await c.arm.poolOperations
      .create(c.em.resourceGroup, w.account, "p6", { identity: ids(w, "worker"), vmSize: "STANDARD_D2S_V3", applicationPackages: [{ id: "nope", version: "1" }] })
      .then(() => undefined, (e: { statusCode?: number; code?: string }) => [e.statusCode, e.code]);
    expect(refused).toEqual([409, "InvalidApplicationPackageReferences"]);
  });

  test("11. activating a package version that was never uploaded is refused (409 ApplicationPackageBlobNotFound); the version stays pending and pools cannot use it", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    const rg = c.em.resourceGroup;
    const ops = c.arm.applicationPackageOperations;
    const pkg = await ops.create(rg, w.account, "blender", "4.2");
    const refused = await ops.activate(rg, w.account, "blender", "4.2", { format: "zip" }).then(
      () => undefined,
      (e: { statusCode?: number; code?: string }) => [e.statusCode, e.code],
    );
    expect(refused).toEqual([ARM_ERRORS.ApplicationPackageBlobNotFound.status, "ApplicationPackageBlobNotFound"]);
    expect((await ops.get(rg, w.account, "blender", "4.2")).state).toBe("Pending");
    const asDefault = await c.arm.applicationOperations.update(rg, w.account, "blender", { defaultVersion: "4.2" }).then(
      () => undefined,
      (e: { statusCode?: number; code?: string }) => [e.statusCode, e.code],
    );
    expect(asDefault).toEqual([409, "RequestedDefaultVersionNotActive"]);
    const pool = await c.arm.poolOperations
      .create(rg, w.account, "p11", { identity: ids(w, "worker"), vmSize: "STANDARD_D2S_V3", applicationPackages: [{ id: "blender", version: "4.2" }] })
      .then(() => undefined, (e: { statusCode?: number; code?: string }) => [e.statusCode, e.code]);
    expect(pool).toEqual([409, "InvalidApplicationPackageReferences"]);
    // Uploaded to its storageUrl, the same version activates, and a node downloads what was uploaded.
    await c.em.uploadBlob(pkg.storageUrl ?? "", "blender bytes");
    expect((await ops.activate(rg, w.account, "blender", "4.2", { format: "zip" })).state).toBe("Active");
    await c.arm.poolOperations.create(rg, w.account, "p11", { identity: ids(w, "worker"), vmSize: "STANDARD_D2S_V3", applicationPackages: [{ id: "blender", version: "4.2" }] });
    c.em.settle();
    const nodeId = c.em.nodeIds(w.account, "p11")[0] ?? "";
    expect(c.em.inspectNode(w.account, "p11", nodeId)?.packages).toEqual([{ applicationId: "blender", version: "4.2", status: "downloaded" }]);
    expect(c.em.readNodeFile(w.account, "p11", nodeId, "root/applications/blender#4.2/blender-4.2.zip")?.toString("utf8")).toBe("blender bytes");
    const deleteApp = await c.arm.applicationOperations.delete(rg, w.account, "blender").then(
      () => undefined,
      (e: { statusCode?: number; code?: string }) => [e.statusCode, e.code],
    );
    expect(deleteApp).toEqual([409, "ApplicationPackagesNotEmpty"]);
  });

  test("11. a package blob deleted after activation is not invented: a pool's node does not download it and a task that needs it fails", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    const rg = c.em.resourceGroup;
    const pkg = await c.arm.applicationPackageOperations.create(rg, w.account, "gone", "1");
    await c.em.uploadBlob(pkg.storageUrl ?? "", "bytes");
    await c.arm.applicationPackageOperations.activate(rg, w.account, "gone", "1", { format: "zip" });
    const deleted = await raw(c.em, "DELETE", pkg.storageUrl ?? "", { headers: { "x-ms-version": "2021-12-02" } });
    expect(deleted.status).toBe(202);
    await c.arm.poolOperations.create(rg, w.account, "p11b", { identity: ids(w, "worker"), vmSize: "STANDARD_D2S_V3", applicationPackages: [{ id: "gone", version: "1" }] });
    c.em.settle();
    const nodeId = c.em.nodeIds(w.account, "p11b")[0] ?? "";
    expect(c.em.inspectNode(w.account, "p11b", nodeId)?.packages.map((p) => p.status)).toEqual(["notDownloaded"]);
    expect(c.em.nodeFiles(w.account, "p11b", nodeId).filter((f) => f.startsWith("root/applications/"))).toEqual([]);
    const t = await taskOn(w, "p11b", { id: "needsgone", commandLine: "x", applicationPackageReferences: [{ applicationId: "gone", version: "1" }] });
    expect(t.executionInfo?.failureInfo?.code).toBe("ApplicationPackageError");
    expect(t.executionInfo?.failureInfo?.details).toEqual(expect.arrayContaining([{ name: "errorCode", value: "BlobNotFound" }]));
  });

  test("7. a pool's changed identity list does not reach a node added without shrinking to 0", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    const rg = c.em.resourceGroup;
    await c.arm.poolOperations.create(rg, w.account, "p7", { identity: ids(w, "other"), vmSize: "STANDARD_D2S_V3", scaleSettings: { fixedScale: { targetDedicatedNodes: 1 } } });
    c.em.settle();
    await c.arm.poolOperations.update(rg, w.account, "p7", { identity: ids(w, "worker"), scaleSettings: { fixedScale: { targetDedicatedNodes: 2 } } });
    c.em.settle();
    const identities = c.em.nodeIds(w.account, "p7").map((n) => c.em.inspectNode(w.account, "p7", n)?.identities);
    expect(identities).toEqual([[w.other.id], [w.other.id]]);
  });

  test("8. allocationState is resizing while a node is being allocated, steady after", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    await c.arm.poolOperations.create(c.em.resourceGroup, w.account, "p8", { identity: ids(w, "worker"), vmSize: "STANDARD_D2S_V3" });
    const batch = c.batch(w.account);
    expect((await batch.pool.get("p8")).allocationState).toBe("resizing");
    expect((await c.arm.poolOperations.get(c.em.resourceGroup, w.account, "p8")).allocationState).toBe("Resizing");
    c.em.settle();
    expect((await batch.pool.get("p8")).allocationState).toBe("steady");
  });

  test("9. output file pattern ../std*.txt uploads stdout.txt and stderr.txt; **/* uploads only the working directory", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "contributor" });
    await c.arm.poolOperations.create(c.em.resourceGroup, w.account, "p9", { identity: ids(w, "worker"), vmSize: "STANDARD_D2S_V3" });
    c.em.createContainer(w.storage, "out");
    c.em.seedBlob(w.storage, "inputs", "in.txt", "in");
    const out = (pattern: string, path: string) => ({
      filePattern: pattern,
      destination: { container: { containerUrl: c.em.blobUrl(w.storage, "out"), path, identityReference: { resourceId: w.worker.id } } },
      uploadOptions: { uploadCondition: "taskcompletion" as const },
    });
    const t = await taskOn(w, "p9", {
      id: "o9",
      commandLine: "x",
      resourceFiles: [{ autoStorageContainerName: "inputs", filePath: "data" }],
      outputFiles: [out("../std*.txt", "logs"), out("**/*", "all")],
    });
    expect(t.executionInfo?.result).toBe("success");
    expect(c.em.listBlobs(w.storage, "out")).toEqual(["all/data/in.txt", "logs/stderr.txt", "logs/stdout.txt"]);
  });

  test("10. a node's and a task's files can be listed and read", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    await c.arm.poolOperations.create(c.em.resourceGroup, w.account, "p10", { identity: ids(w, "worker"), vmSize: "STANDARD_D2S_V3" });
    await taskOn(w, "p10", { id: "f10", commandLine: "echo hi" });
    const batch = c.batch(w.account);
    const taskFiles = (await batch.file.listFromTask("job-f10", "f10", { recursive: true })).map((f) => f.name);
    expect(taskFiles).toEqual(expect.arrayContaining(["stdout.txt", "stderr.txt"]));
    const stdout = await batch.file.getFromTask("job-f10", "f10", "stdout.txt");
    expect(await streamText(stdout.readableStreamBody)).toContain("echo hi");
    const nodeId = c.em.nodeIds(w.account, "p10")[0] ?? "";
    const nodeFiles = (await batch.file.listFromComputeNode("p10", nodeId, { recursive: true })).map((f) => f.name);
    expect(nodeFiles).toContain("workitems/job-f10/job-1/f10/stdout.txt");
    const read = await batch.file.getFromComputeNode("p10", nodeId, "workitems/job-f10/job-1/f10/stdout.txt");
    expect(await streamText(read.readableStreamBody)).toContain("echo hi");
    // A streamed GET leaves the body unparsed in the SDK: the status is what it reports.
    const missing = await batch.file.getFromTask("job-f10", "f10", "nope.txt").then(() => undefined, (e: { statusCode?: number }) => e.statusCode);
    expect(missing).toBe(BATCH_ERRORS.FileNotFound.status);
  });
});

async function streamText(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stream) return "";
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

describe("faults that repeat", () => {
  test("13. the same seed faults the same calls whatever order concurrent requests arrive in", async () => {
    const faulted = async (order: "forward" | "backward"): Promise<string[]> => {
      const em = await startEmulator({ seed: 11, faults: { rate: 0.5, kinds: ["503"], planes: ["batch"] } });
      try {
        const auth = { authorization: await bearer(em, BATCH_SCOPE) };
        const paths = Array.from({ length: 40 }, (_, i) => `/jobs/job${i}`);
        if (order === "backward") paths.reverse();
        await Promise.all(paths.map((p) => raw(em, "GET", `${em.batchAccountUrl("acct")}${p}?api-version=2024-07-01.20.0`, { headers: auth })));
        return em.requests.filter((r) => r.fault !== undefined).map((r) => r.path).sort();
      } finally {
        await em.stop();
      }
    };
    const a = await faulted("forward");
    expect(a.length).toBeGreaterThan(5);
    expect(await faulted("backward")).toEqual(a);
  });

  test("13. every fault kind on every plane: concurrent requests with bodies in two orders get the same faults, drops included", async () => {
    const faulted = async (order: "forward" | "backward"): Promise<string[]> => {
      const em = await startEmulator({ seed: 5 });
      try {
        em.createContainer("faultstore", "c");
        const armAuth = { authorization: await bearer(em, "https://management.azure.com/.default") };
        const batchAuth = { authorization: await bearer(em, BATCH_SCOPE) };
        const calls = [
          ...Array.from({ length: 20 }, (_, i) => () => raw(em, "GET", `${em.batchAccountUrl("acct")}/jobs/j${i}?api-version=2024-07-01.20.0`, { headers: batchAuth })),
          ...Array.from({ length: 20 }, (_, i) => () =>
            raw(em, "PUT", `${em.blobUrl("faultstore", "c", `b${i}.txt`)}?sig=test`, { headers: { "x-ms-blob-type": "BlockBlob", "x-ms-version": "2021-12-02" }, body: `content ${i}` }),
          ),
          ...Array.from({ length: 20 }, (_, i) => () =>
            raw(em, "GET", `${em.url}/subscriptions/${em.subscriptionId}/resourceGroups/${em.resourceGroup}/providers/Microsoft.Batch/batchAccounts/a${i}?api-version=2024-07-01`, { headers: armAuth }),
          ),
        ];
        if (order === "backward") calls.reverse();
        em.setFaults({ rate: 0.4, kinds: ["413", "429", "503", "drop"], planes: ["arm", "batch", "blob"] });
        await Promise.allSettled(calls.map((call) => call()));
        return em.requests.filter((r) => r.fault !== undefined).map((r) => `${r.method} ${r.path} ${r.fault ?? ""}`).sort();
      } finally {
        await em.stop();
      }
    };
    const a = await faulted("forward");
    expect(new Set(a.map((f) => f.split(" ").pop())).size).toBeGreaterThan(2);
    expect(a.some((f) => f.startsWith("PUT /blob/"))).toBe(true);
    expect(a.some((f) => f.endsWith(" drop"))).toBe(true);
    expect(await faulted("backward")).toEqual(a);
  });
});
