// Table 2 of the article (task resource files from an autostorage container), plus the
// other identity-reference sites, through the raw SDKs.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { BatchServiceClient, CloudTask } from "@azure/batch";
import { runTaskOn, setup, scenarioWorld, type Clients, type World } from "./setup.js";

let c: Clients;
beforeAll(async () => {
  c = await setup();
});
afterAll(async () => {
  await c.em.stop();
});

async function runTask(
  w: World,
  poolIdentity: "worker" | "other",
  task: Parameters<BatchServiceClient["task"]["add"]>[1],
): Promise<CloudTask> {
  const pool = `pool-${poolIdentity}`;
  await c.arm.poolOperations.create(c.em.resourceGroup, w.account, pool, {
    identity: { type: "UserAssigned", userAssignedIdentities: { [w[poolIdentity].id]: {} } },
    vmSize: "STANDARD_D2S_V3",
    scaleSettings: { fixedScale: { targetDedicatedNodes: 1 } },
  });
  return runTaskOn(c, w.account, pool, task);
}

function seedInputs(w: World): void {
  c.em.seedBlob(w.storage, "inputs", "scene/frame.txt", "frame");
  c.em.seedBlob(w.storage, "inputs", "other.txt", "other");
}

describe("table 2: task resource files from an autostorage container", () => {
  const file = { autoStorageContainerName: "inputs", filePath: "mypath1", blobPrefix: "scene/" };

  test("row 1: given, role, same identity → downloaded to wd/<filePath>, task succeeds", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    seedInputs(w);
    const task = await runTask(w, "worker", { id: "r1", commandLine: "render", resourceFiles: [file] });
    expect(task.state).toBe("completed");
    expect(task.executionInfo?.result).toBe("success");
    expect(task.executionInfo?.exitCode).toBe(0);
    expect(c.em.taskFiles(w.account, "job-r1", "r1")).toContain("wd/mypath1/scene/frame.txt");
    expect(c.em.taskFiles(w.account, "job-r1", "r1")).not.toContain("wd/mypath1/other.txt");
  });

  test("row 2: given, no role, same identity → ResourceContainerAccessDenied", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "none" });
    seedInputs(w);
    const task = await runTask(w, "worker", { id: "r2", commandLine: "render", resourceFiles: [file] });
    expect(task.state).toBe("completed");
    expect(task.executionInfo?.result).toBe("failure");
    expect(task.executionInfo?.failureInfo).toMatchObject({
      category: "usererror",
      code: "ResourceContainerAccessDenied",
      message: "Access for one of the specified Azure Blob container(s) is denied",
    });
  });

  test("row 3: no node identity reference → ResourceContainerAccessDenied", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: false, workerRole: "owner" });
    seedInputs(w);
    const task = await runTask(w, "worker", { id: "r3", commandLine: "render", resourceFiles: [file] });
    expect(task.executionInfo?.failureInfo?.code).toBe("ResourceContainerAccessDenied");
    expect(task.executionInfo?.failureInfo?.message).toBe("Access for one of the specified Azure Blob container(s) is denied");
  });

  test("row 4: node identity reference not on the pool → ResourceContainerListMiscError (HTTP 400 underneath)", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "owner" });
    seedInputs(w);
    const task = await runTask(w, "other", { id: "r4", commandLine: "render", resourceFiles: [file] });
    const info = task.executionInfo?.failureInfo;
    expect(info?.code).toBe("ResourceContainerListMiscError");
    expect(info?.message).toBe("Miscellaneous error encountered while listing one of the specified Azure Blob container(s)");
    expect(info?.details).toContainEqual({ name: "httpStatusCode", value: "400" });
    expect(info?.details).toContainEqual({ name: "errorDescription", value: "Identity not found" });
  });
});

describe("other identity-reference sites", () => {
  test("httpUrl / storageContainerUrl with identities: not on pool, no role, SAS", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "none" });
    c.em.seedBlob("data", "c", "model.bin", "m");
    const reader = c.em.createIdentity("reader-data");
    const url = c.em.blobUrl("data", "c", "model.bin");
    // identity not on the pool
    let t = await runTask(w, "worker", { id: "h1", commandLine: "x", resourceFiles: [{ httpUrl: url, filePath: "model.bin", identityReference: { resourceId: reader.resourceId } }] });
    expect(t.executionInfo?.failureInfo?.code).toBe("BlobDownloadMiscError");
    // on the pool (worker) but no role on "data"
    t = await runTask(w, "worker", { id: "h2", commandLine: "x", resourceFiles: [{ httpUrl: url, filePath: "model.bin", identityReference: { resourceId: w.worker.id } }] });
    expect(t.executionInfo?.failureInfo?.code).toBe("BlobAccessDenied");
    t = await runTask(w, "worker", { id: "h3", commandLine: "x", resourceFiles: [{ storageContainerUrl: c.em.blobUrl("data", "c"), identityReference: { resourceId: w.worker.id } }] });
    expect(t.executionInfo?.failureInfo?.code).toBe("ResourceContainerAccessDenied");
    // grant the role: now it downloads
    c.em.grantRole({ principalId: w.worker.principalId, role: "Storage Blob Data Reader", scope: c.em.createStorageAccount("data") });
    t = await runTask(w, "worker", { id: "h4", commandLine: "x", resourceFiles: [{ httpUrl: url, filePath: "in/model.bin", identityReference: { resourceId: w.worker.id } }] });
    expect(t.executionInfo?.result).toBe("success");
    expect(c.em.taskFiles(w.account, "job-h4", "h4")).toContain("wd/in/model.bin");
    // anonymous → denied, SAS → fine
    t = await runTask(w, "worker", { id: "h5", commandLine: "x", resourceFiles: [{ httpUrl: url, filePath: "m" }] });
    expect(t.executionInfo?.failureInfo?.code).toBe("BlobAccessDenied");
    t = await runTask(w, "worker", { id: "h6", commandLine: "x", resourceFiles: [{ httpUrl: `${url}?sv=1&sig=abc`, filePath: "m" }] });
    expect(t.executionInfo?.result).toBe("success");
  });

  test("output files, task container registry, task application packages", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    c.em.createContainer(w.storage, "out");
    const out = (id: string, identity: string) => ({
      filePattern: "../stdout.txt",
      destination: { container: { containerUrl: c.em.blobUrl(w.storage, "out"), path: `${id}/stdout.txt`, identityReference: { resourceId: identity } } },
      uploadOptions: { uploadCondition: "taskcompletion" as const },
    });
    let t = await runTask(w, "worker", { id: "o1", commandLine: "x", outputFiles: [out("o1", w.other.id)] });
    expect(t.executionInfo?.failureInfo?.code).toBe("FileUploadMiscError");
    // worker has only Reader: writing is refused
    t = await runTask(w, "worker", { id: "o2", commandLine: "x", outputFiles: [out("o2", w.worker.id)] });
    expect(t.executionInfo?.failureInfo?.code).toBe("FileUploadAccessDenied");
    c.em.grantRole({ principalId: w.worker.principalId, role: "Storage Blob Data Contributor", scope: w.storageId });
    t = await runTask(w, "worker", { id: "o3", commandLine: "x", outputFiles: [out("o3", w.worker.id)] });
    expect(t.executionInfo?.result).toBe("success");
    expect(c.em.listBlobs(w.storage, "out")).toContain("o3/stdout.txt");

    t = await runTask(w, "worker", {
      id: "c1",
      commandLine: "x",
      containerSettings: { imageName: "reg.azurecr.io/a:1", registry: { registryServer: "reg.azurecr.io", identityReference: { resourceId: w.other.id } } },
    });
    expect(t.executionInfo?.failureInfo?.code).toBe("ContainerInvalidImage");

    t = await runTask(w, "worker", { id: "p1", commandLine: "x", applicationPackageReferences: [{ applicationId: "ffmpeg", version: "6.1" }] });
    expect(t.executionInfo?.result).toBe("success");
    t = await runTask(w, "other", { id: "p2", commandLine: "x", applicationPackageReferences: [{ applicationId: "ffmpeg", version: "6.1" }] });
    expect(t.executionInfo?.failureInfo?.code).toBe("ApplicationPackageError");
  });

  test("start task, registries and mounts fail the node", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    const rg = c.em.resourceGroup;
    const ids = { [w.worker.id]: {} };
    const base = { identity: { type: "UserAssigned" as const, userAssignedIdentities: ids }, vmSize: "STANDARD_D2S_V3" };
    await c.arm.poolOperations.create(rg, w.account, "st", {
      ...base,
      startTask: { commandLine: "setup", waitForSuccess: true, resourceFiles: [{ storageContainerUrl: c.em.blobUrl(w.storage, "setup"), identityReference: { resourceId: w.other.id } }] },
    });
    await c.arm.poolOperations.create(rg, w.account, "reg", {
      ...base,
      deploymentConfiguration: {
        virtualMachineConfiguration: {
          imageReference: { publisher: "microsoft-azure-batch", offer: "ubuntu-server-container", sku: "20-04-lts" },
          nodeAgentSkuId: "batch.node.ubuntu 20.04",
          containerConfiguration: { type: "DockerCompatible", containerRegistries: [{ registryServer: "r.azurecr.io", identityReference: { resourceId: w.other.id } }] },
        },
      },
    });
    await c.arm.poolOperations.create(rg, w.account, "mnt", {
      ...base,
      mountConfiguration: [{ azureBlobFileSystemConfiguration: { accountName: w.storage, containerName: "data", relativeMountPath: "d", identityReference: { resourceId: w.other.id } } }],
    });
    c.em.settle();
    const batch = c.batch(w.account);
    const [st] = await batch.computeNode.list("st");
    expect(st?.state).toBe("starttaskfailed");
    expect(st?.startTaskInfo?.failureInfo?.code).toBe("ResourceContainerListMiscError");
    const [reg] = await batch.computeNode.list("reg");
    expect([reg?.state, reg?.errors?.[0]?.code]).toEqual(["unusable", "ContainerInvalidImage"]);
    const [mnt] = await batch.computeNode.list("mnt");
    expect([mnt?.state, mnt?.errors?.[0]?.code]).toEqual(["unusable", "MountConfigurationError"]);
  });

  test("rule 8: identity changes reach only nodes allocated after a resize to zero", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    const rg = c.em.resourceGroup;
    const one = { fixedScale: { targetDedicatedNodes: 1 } };
    await c.arm.poolOperations.create(rg, w.account, "p", {
      identity: { type: "UserAssigned", userAssignedIdentities: { [w.other.id]: {} } },
      vmSize: "STANDARD_D2S_V3",
      scaleSettings: one,
    });
    c.em.settle();
    const before = c.em.nodeIds(w.account, "p")[0]!;
    await c.arm.poolOperations.update(rg, w.account, "p", { identity: { type: "UserAssigned", userAssignedIdentities: { [w.worker.id]: {} } } });
    expect(c.em.inspectNode(w.account, "p", before)?.identities).toEqual([w.other.id]);
    const history = c.em.poolIdentityHistory(w.account, "p");
    expect(history.at(-1)).toMatchObject({ identities: [w.worker.id], nodesExisted: true, nodeCount: 1 });
    await c.arm.poolOperations.update(rg, w.account, "p", { scaleSettings: { fixedScale: { targetDedicatedNodes: 0 } } });
    await c.arm.poolOperations.update(rg, w.account, "p", { scaleSettings: one });
    c.em.settle();
    const after = c.em.nodeIds(w.account, "p")[0]!;
    expect(after).not.toBe(before);
    expect(c.em.inspectNode(w.account, "p", after)?.identities).toEqual([w.worker.id]);
  });

  test("tasks stay active while the pool has no usable node", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "owner" });
    await c.arm.poolOperations.create(c.em.resourceGroup, w.account, "bad", {
      identity: { type: "UserAssigned", userAssignedIdentities: { [w.other.id]: {} } },
      vmSize: "STANDARD_D2S_V3",
      applicationPackages: [{ id: "ffmpeg", version: "6.1" }],
    });
    const batch = c.batch(w.account);
    await batch.job.add({ id: "j", poolInfo: { poolId: "bad" } });
    await batch.task.add("j", { id: "t", commandLine: "x" });
    c.em.settle();
    expect((await batch.task.get("j", "t")).state).toBe("active");
  });
});
