// One configuration that uses every identity-reference site, built with typed-batch and run on the
// emulator: everything downloads, uploads and mounts, the task succeeds, and node logs upload with
// a pool identity. Then the log-upload site's guard: an identity not on the pool sends nothing.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  batchAccount, createBatchClient, job, outputFile, pool, resourceFile, task, TypedBatchError, userAssignedIdentity,
  type BatchClient,
} from "typed-batch";
import { startEmulator, type Emulator } from "typed-batch/testing";

let em: Emulator;
let client: BatchClient;
let world: Awaited<ReturnType<typeof build>>;

async function build() {
  const workerIds = em.createIdentity("worker");
  const readerIds = em.createIdentity("reader");
  const strangerIds = em.createIdentity("stranger");
  const worker = userAssignedIdentity(workerIds.resourceId, "worker");
  const reader = userAssignedIdentity(readerIds.resourceId, "reader");
  const stranger = userAssignedIdentity(strangerIds.resourceId, "stranger");
  const autoStorageId = em.createStorageAccount("autostore");
  const dataId = em.createStorageAccount("data");
  for (const principalId of [workerIds.principalId, readerIds.principalId]) {
    for (const scope of [autoStorageId, dataId]) em.grantRole({ principalId, role: "Storage Blob Data Contributor", scope });
  }
  em.seedBlob("autostore", "inputs", "scene/frame.txt", "frame");
  em.seedBlob("data", "setup", "setup.sh", "echo setup");
  em.seedBlob("data", "models", "model.bin", "model");
  em.seedBlob("data", "prep", "prep.sh", "echo prep");
  em.createContainer("data", "frames");
  em.createContainer("data", "logs");

  const account = batchAccount("everysite", { location: em.location })
    .withSystemAssignedIdentity()
    .withAutoStorage({ storageAccountId: autoStorageId, authenticationMode: "BatchAccountManagedIdentity", nodeIdentity: worker })
    .build();
  client = createBatchClient(em.clientConfigFor("everysite"));
  await client.accounts.createOrUpdate(account);
  em.seedApplicationPackage("everysite", "ffmpeg", "6.1");

  const render = pool("render", account)
    .withIdentities(worker, reader)
    .withProperties({
      vmSize: "STANDARD_D2S_V3",
      scaleSettings: { fixedScale: { targetDedicatedNodes: 1 } },
      deploymentConfiguration: {
        virtualMachineConfiguration: {
          imageReference: { publisher: "microsoft-dsvm", offer: "ubuntu-hpc", sku: "2204", version: "latest" },
          nodeAgentSkuId: "batch.node.ubuntu 22.04",
          containerConfiguration: { type: "DockerCompatible", containerImageNames: ["myreg.azurecr.io/render:1"] },
        },
      },
    })
    .withApplicationPackages({ id: "ffmpeg", version: "6.1" })
    .withStartTask({
      commandLine: "setup.sh",
      waitForSuccess: true,
      resourceFiles: [resourceFile.fromContainerUrl(em.blobUrl("data", "setup"), { identity: reader })],
      containerSettings: { imageName: "myreg.azurecr.io/setup:1", registry: { registryServer: "myreg.azurecr.io", identity: reader } },
    })
    .withContainerRegistry({ registryServer: "myreg.azurecr.io", identity: reader })
    .withBlobMount({ accountName: "data", containerName: "models", relativeMountPath: "models", identity: reader })
    .build();
  await client.pools.create(render);

  const frames = job("frames", render)
    .withPreparationTask({ commandLine: "prep.sh", resourceFiles: [resourceFile.fromHttpUrl(em.blobUrl("data", "prep", "prep.sh"), { filePath: "prep.sh", identity: reader })] })
    .withReleaseTask({ commandLine: "release.sh", resourceFiles: [resourceFile.fromContainerUrl(em.blobUrl("data", "prep"), { identity: worker })] })
    .build();
  await client.jobs.create(frames);

  const t = task("frame-0001", frames)
    .withCommandLine("render.sh 1")
    .withResourceFile(resourceFile.fromAutoStorageContainer("inputs", { blobPrefix: "scene/" }))
    .withResourceFile(resourceFile.fromContainerUrl(em.blobUrl("data", "models"), { identity: reader, filePath: "models" }))
    .withResourceFile(resourceFile.fromHttpUrl(em.blobUrl("data", "models", "model.bin"), { filePath: "model.bin", identity: worker }))
    .withOutputFile(outputFile.toContainer({ filePattern: "../stdout.txt", containerUrl: em.blobUrl("data", "frames"), identity: reader, uploadCondition: "taskCompletion" }))
    .withApplicationPackages({ id: "ffmpeg", version: "6.1" })
    .withContainerSettings({ imageName: "myreg.azurecr.io/render:1", registry: { registryServer: "myreg.azurecr.io", identity: reader } })
    .build();
  await client.tasks.add(t);
  em.settle();
  return { render, frames, worker, reader, stranger };
}

beforeAll(async () => {
  em = await startEmulator();
  world = await build();
});
afterAll(async () => {
  await em.stop();
});

describe("a configuration that uses every identity-reference site", () => {
  test("the node starts with the packages and the task succeeds with every file in place", async () => {
    const nodeId = em.nodeIds("everysite", "render")[0] ?? "";
    const node = em.inspectNode("everysite", "render", nodeId);
    expect(node?.state).toMatch(/^(idle|running)$/);
    expect(node?.errors).toEqual([]);
    expect(node?.packages.map((p) => p.status)).toEqual(["downloaded"]);
    const t = await client.raw.batch.task.get("frames", "frame-0001");
    expect(t.executionInfo?.failureInfo).toBeUndefined();
    expect(t.executionInfo?.exitCode).toBe(0);
    const files = em.taskFiles("everysite", "frames", "frame-0001");
    expect(files).toEqual(expect.arrayContaining(["wd/scene/frame.txt", "wd/model.bin"]));
    expect(files.some((f) => f.startsWith("wd/models/"))).toBe(true);
    expect(em.listBlobs("data", "frames").length).toBeGreaterThan(0);
  });

  test("node logs upload to a container with a pool identity", async () => {
    const nodeId = em.nodeIds("everysite", "render")[0] ?? "";
    const result = await client.nodes.uploadLogs(world.render, nodeId, { containerUrl: em.blobUrl("data", "logs"), startTime: new Date(0), identity: world.reader });
    expect(result.numberOfFilesUploaded).toBeGreaterThan(0);
    expect(em.listBlobs("data", "logs").some((b) => b.endsWith("agent-debug.log"))).toBe(true);
  });

  test("log upload with an identity not on the pool is refused before any request (the site's run-time twin)", async () => {
    const nodeId = em.nodeIds("everysite", "render")[0] ?? "";
    em.requests.clear();
    const upload = client.nodes.uploadLogs(world.render, nodeId, {
      containerUrl: em.blobUrl("data", "logs"),
      startTime: new Date(0),
      // @ts-expect-error stranger is not attached to pool 'render'
      identity: world.stranger,
    });
    const error = await upload.then(() => undefined, (e: unknown) => e);
    expect(TypedBatchError.is(error)).toBe(true);
    expect((error as TypedBatchError).code).toBe("IDENTITY_NOT_IN_POOL");
    expect((error as TypedBatchError).path).toBe("identityReference");
    expect((error as TypedBatchError).message).toContain("identity 'stranger' is not attached to pool 'render'");
    expect(em.requests.length).toBe(0);
  });

  test("log upload under a label the pool's account gives another id is refused before any request (IDENTITY_LABEL_CONFLICT)", async () => {
    const alphaId = "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/alpha";
    const betaId = "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/beta";
    // The account's own identity (not on the pool) is labelled "shared"; the upload names beta so.
    const account = batchAccount("labels", { location: em.location }).withUserAssignedIdentities(userAssignedIdentity(alphaId, "shared")).build();
    const onBeta = pool("beta", account).withIdentities(userAssignedIdentity(betaId)).build();
    em.requests.clear();
    const upload = client.nodes.uploadLogs(onBeta, "tvm-1", {
      containerUrl: em.blobUrl("data", "logs"),
      startTime: new Date(0),
      // @ts-expect-error label 'shared' names alpha (the account's) and beta
      identity: userAssignedIdentity(betaId, "shared"),
    });
    const error = await upload.then(() => undefined, (e: unknown) => e);
    expect(TypedBatchError.is(error) && error.code).toBe("IDENTITY_LABEL_CONFLICT");
    expect(em.requests.length).toBe(0);
  });
});
