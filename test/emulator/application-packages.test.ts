// Table 1 of the article (application packages on a pool), through the raw SDKs.
import type { RestError } from "@azure/core-rest-pipeline";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bearer, raw, setup, scenarioWorld, roleId, ROLE, type Clients, type World } from "./setup.js";

let c: Clients;
beforeAll(async () => {
  c = await setup();
});
afterAll(async () => {
  await c.em.stop();
});

async function poolWithPackage(w: World, identity: "worker" | "other"): Promise<{ nodeId: string }> {
  const id = w[identity].id;
  await c.arm.poolOperations.create(c.em.resourceGroup, w.account, "render", {
    identity: { type: "UserAssigned", userAssignedIdentities: { [id]: {} } },
    vmSize: "STANDARD_D2S_V3",
    scaleSettings: { fixedScale: { targetDedicatedNodes: 1 } },
    applicationPackages: [{ id: `${w.accountId}/applications/ffmpeg`, version: "6.1" }],
  });
  c.em.settle();
  const nodes = await c.batch(w.account).computeNode.list("render");
  expect(nodes).toHaveLength(1);
  return { nodeId: c.em.nodeIds(w.account, "render")[0]! };
}

describe("table 1: application packages on a pool", () => {
  test("row 1: node identity reference given, role, same identity → idle, package in root/applications", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    const { nodeId } = await poolWithPackage(w, "worker");
    const node = await c.batch(w.account).computeNode.get("render", nodeId);
    expect(node.state).toBe("idle");
    expect(node.errors ?? []).toEqual([]);
    expect(c.em.nodeFiles(w.account, "render", nodeId)).toContain("root/applications/ffmpeg#6.1/ffmpeg-6.1.zip");
    expect(c.em.inspectNode(w.account, "render", nodeId)?.packages).toEqual([{ applicationId: "ffmpeg", version: "6.1", status: "downloaded" }]);
  });

  test("row 2: given, no role, same identity → idle, package not downloaded", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "none" });
    const { nodeId } = await poolWithPackage(w, "worker");
    const node = await c.batch(w.account).computeNode.get("render", nodeId);
    expect(node.state).toBe("idle");
    expect(c.em.nodeFiles(w.account, "render", nodeId).filter((f) => f.startsWith("root/applications/"))).toEqual([]);
    expect(c.em.inspectNode(w.account, "render", nodeId)?.packages[0]?.status).toBe("notDownloaded");
  });

  test("row 3: no node identity reference → stuck in starting; agent-debug.log says TvmJoinPoolInProgress", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: false, workerRole: "reader" });
    const { nodeId } = await poolWithPackage(w, "worker");
    c.em.advance(5 * 60_000);
    const batch = c.batch(w.account);
    const node = await batch.computeNode.get("render", nodeId);
    expect(node.state).toBe("starting");
    expect(c.em.isSettled()).toBe(true);
    // Upload the batch logs the way the article suggests, and read agent-debug.log.
    c.em.createContainer("logs", "batchlogs");
    const result = await batch.computeNode.uploadBatchServiceLogs("render", nodeId, {
      containerUrl: `${c.em.blobUrl("logs", "batchlogs")}?sv=2021-12-02&sig=test`,
      startTime: new Date(0),
    });
    expect(result.numberOfFilesUploaded).toBeGreaterThan(0);
    const log = c.em.readBlob("logs", "batchlogs", `${result.virtualDirectoryName}/agent-debug.log`)?.toString("utf8") ?? "";
    const lines = log.split("\n").filter((l) => l.includes("pool not fully joined yet, health=Status.TvmJoinPoolInProgress"));
    expect(lines.length).toBeGreaterThan(3);
    expect(c.em.nodeFiles(w.account, "render", nodeId)).toEqual([]);
  });

  test("row 4: node identity reference not on the pool → unusable, ApplicationPackageError", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "owner" });
    const { nodeId } = await poolWithPackage(w, "other");
    const node = await c.batch(w.account).computeNode.get("render", nodeId);
    expect(node.state).toBe("unusable");
    expect(node.errors?.map((e) => [e.code, e.message])).toEqual([
      ["ApplicationPackageError", "One or more application packages specified for the pool are invalid"],
    ]);
    expect(c.em.nodeFiles(w.account, "render", nodeId)).toEqual([]);
  });

  test("StorageKeys autostorage downloads by key", async () => {
    const storageId = c.em.createStorageAccount("keystore");
    await c.arm.batchAccountOperations.beginCreateAndWait(c.em.resourceGroup, "keyacct", {
      location: c.em.location,
      autoStorage: { storageAccountId: storageId, authenticationMode: "StorageKeys" },
    });
    const pkg = await c.arm.applicationPackageOperations.create(c.em.resourceGroup, "keyacct", "tool", "1");
    await c.em.uploadBlob(pkg.storageUrl ?? "", "tool 1");
    await c.arm.applicationPackageOperations.activate(c.em.resourceGroup, "keyacct", "tool", "1", { format: "zip" });
    await c.arm.poolOperations.create(c.em.resourceGroup, "keyacct", "p", {
      vmSize: "STANDARD_D2S_V3",
      applicationPackages: [{ id: "tool", version: "1" }],
    });
    c.em.settle();
    const nodeId = c.em.nodeIds("keyacct", "p")[0]!;
    expect(c.em.inspectNode("keyacct", "p", nodeId)?.state).toBe("idle");
    expect(c.em.nodeFiles("keyacct", "p", nodeId)).toContain("root/applications/tool#1/tool-1.zip");
  });
});

describe("account-level checks (ARM)", () => {
  test("package upload without a data role for the account identity → 409 AutoStorageNoPermission", async () => {
    const storageId = c.em.createStorageAccount("norole");
    await c.arm.batchAccountOperations.beginCreateAndWait(c.em.resourceGroup, "noroleacct", {
      location: c.em.location,
      identity: { type: "SystemAssigned" },
      autoStorage: { storageAccountId: storageId, authenticationMode: "BatchAccountManagedIdentity" },
    });
    const error = (await c.arm.applicationPackageOperations.create(c.em.resourceGroup, "noroleacct", "app", "1").catch((e: unknown) => e)) as RestError & {
      details?: { error?: { code?: string; message?: string; target?: string } };
    };
    expect(error.statusCode).toBe(409);
    expect(error.code).toBe("AutoStorageNoPermission");
    expect(error.message).toBe(
      "The managed identity does not have permission to access auto storage account. Please use Azure RBAC to assign the managed identity access to auto storage.",
    );
    expect(error.details?.error?.target).toBe("BatchAccount");
  });

  test("UserAssigned account identity without ids → 400 MissingIdentityIds; managed-identity autostorage without identity → 400", async () => {
    const a = (await c.arm.batchAccountOperations
      .beginCreateAndWait(c.em.resourceGroup, "badident", { location: c.em.location, identity: { type: "UserAssigned" } })
      .catch((e: unknown) => e)) as RestError;
    expect([a.statusCode, a.code]).toEqual([400, "MissingIdentityIds"]);
    const b = (await c.arm.batchAccountOperations
      .beginCreateAndWait(c.em.resourceGroup, "badauto", {
        location: c.em.location,
        autoStorage: { storageAccountId: c.em.createStorageAccount("badauto"), authenticationMode: "BatchAccountManagedIdentity" },
      })
      .catch((e: unknown) => e)) as RestError;
    expect(b.statusCode).toBe(400);
  });

  test("pools take user-assigned identities only; packages must exist; mounts need exactly one credential", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    const rg = c.em.resourceGroup;
    // The SDK's serializer refuses SystemAssigned on a pool, so send it raw.
    const sys = await raw(c.em, "PUT", `${c.em.url}${w.accountId}/pools/sys?api-version=2024-07-01`, {
      headers: { authorization: await bearer(c.em, "https://management.azure.com/.default"), "content-type": "application/json" },
      body: JSON.stringify({ identity: { type: "SystemAssigned" }, properties: { vmSize: "STANDARD_D2S_V3" } }),
    });
    expect(sys.status).toBe(400);
    expect(JSON.parse(sys.text).error.target).toBe("identity.type");
    const missing = (await c.arm.poolOperations
      .create(rg, w.account, "nopkg", { vmSize: "STANDARD_D2S_V3", applicationPackages: [{ id: "nope", version: "1" }] })
      .catch((e: unknown) => e)) as RestError;
    expect([missing.statusCode, missing.code]).toEqual([409, "InvalidApplicationPackageReferences"]);
    const mount = (await c.arm.poolOperations
      .create(rg, w.account, "mount", {
        vmSize: "STANDARD_D2S_V3",
        mountConfiguration: [
          { azureBlobFileSystemConfiguration: { accountName: w.storage, containerName: "data", relativeMountPath: "data", accountKey: "k", sasKey: "s" } },
        ],
      })
      .catch((e: unknown) => e)) as RestError;
    expect(mount.statusCode).toBe(400);
    // A role granted over ARM shows up in a filtered list.
    const list = [];
    for await (const ra of c.auth.roleAssignments.listForScope(w.storageId, { filter: `atScope() and assignedTo('${w.worker.principalId}')` })) list.push(ra);
    expect(list.map((r) => r.roleDefinitionId)).toEqual([roleId(c.em, ROLE.reader)]);
  });
});
