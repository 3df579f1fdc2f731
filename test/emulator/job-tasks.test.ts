// Job preparation and release tasks, identity ids with a trailing slash, and faults limited to
// some paths, through the raw SDKs.
import type { JobAddParameter } from "@azure/batch";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ROLE, roleId, scenarioWorld, setup, type Clients, type World } from "./setup.js";

let c: Clients;
beforeAll(async () => {
  c = await setup();
});
afterAll(async () => {
  await c.em.stop();
});

let n = 0;
async function poolWith(w: World, identity: "worker" | "other"): Promise<string> {
  const pool = `jt${++n}`;
  await c.arm.poolOperations.create(c.em.resourceGroup, w.account, pool, {
    identity: { type: "UserAssigned", userAssignedIdentities: { [w[identity].id]: {} } },
    vmSize: "STANDARD_D2S_V3",
    scaleSettings: { fixedScale: { targetDedicatedNodes: 1 } },
  });
  return pool;
}

const refused = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    const x = e as { statusCode?: number; code?: string; message?: string };
    return { status: x.statusCode, code: x.code, message: x.message ?? "" };
  }
  throw new Error("expected a refusal");
};

describe("job preparation task", () => {
  test("registry identity not on the pool: the preparation task fails ContainerInvalidImage (before its resource files) and the job's tasks go back to active", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    const pool = await poolWith(w, "worker");
    const batch = c.batch(w.account);
    await batch.job.add({
      id: "prep-reg",
      poolInfo: { poolId: pool },
      jobPreparationTask: {
        commandLine: "prep",
        containerSettings: { imageName: "r.azurecr.io/img:1", registry: { registryServer: "r.azurecr.io", identityReference: { resourceId: w.other.id } } },
        resourceFiles: [{ httpUrl: c.em.blobUrl(w.storage, "inputs", "nope.txt"), filePath: "x", identityReference: { resourceId: w.other.id } }],
      },
    });
    await batch.task.add("prep-reg", { id: "t1", commandLine: "render" });
    await batch.task.add("prep-reg", { id: "t2", commandLine: "render" });
    c.em.settle();
    for (const id of ["t1", "t2"]) {
      const t = await batch.task.get("prep-reg", id);
      expect([t.state, t.executionInfo?.failureInfo]).toEqual(["active", undefined]);
    }
    const [status] = await batch.job.listPreparationAndReleaseTaskStatus("prep-reg");
    expect(status?.jobPreparationTaskExecutionInfo).toMatchObject({ state: "completed", result: "failure", failureInfo: { code: "ContainerInvalidImage" } });
    expect(status?.jobPreparationTaskExecutionInfo?.failureInfo?.details?.map((d) => d.name)).toContain("RegistryServer");
    expect(status?.jobReleaseTaskExecutionInfo).toBeUndefined();
  });

  test("runs once per node: its files land in the job's jobpreparation directory", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    c.em.seedBlob(w.storage, "inputs", "scene/frame.txt", "frame");
    const pool = await poolWith(w, "worker");
    const batch = c.batch(w.account);
    await batch.job.add({
      id: "prep-ok",
      poolInfo: { poolId: pool },
      jobPreparationTask: { commandLine: "prep", resourceFiles: [{ httpUrl: c.em.blobUrl(w.storage, "inputs", "scene/frame.txt"), filePath: "f.txt", identityReference: { resourceId: w.worker.id } }] },
    });
    for (const id of ["a", "b", "c"]) await batch.task.add("prep-ok", { id, commandLine: "render" });
    c.em.settle();
    const status = await batch.job.listPreparationAndReleaseTaskStatus("prep-ok");
    expect(status).toHaveLength(1);
    expect(status[0]?.jobPreparationTaskExecutionInfo).toMatchObject({ state: "completed", result: "success", exitCode: 0, retryCount: 0 });
    expect(status[0]?.jobPreparationTaskExecutionInfo?.startTime).toBeInstanceOf(Date);
    const node = c.em.nodeIds(w.account, pool)[0] ?? "";
    expect(status[0]).toMatchObject({ poolId: pool, nodeId: node });
    expect(c.em.nodeFiles(w.account, pool, node)).toContain("root/workitems/prep-ok/job-1/jobpreparation/wd/f.txt");
  });

  test("status of a job without a preparation task: 409 JobPreparationTaskNotSpecified; of no job: 404", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    const batch = c.batch(w.account);
    await batch.job.add({ id: "plain", poolInfo: { poolId: "nowhere" } });
    expect(await refused(batch.job.listPreparationAndReleaseTaskStatus("plain"))).toMatchObject({ status: 409, code: "JobPreparationTaskNotSpecified" });
    expect(await refused(batch.job.listPreparationAndReleaseTaskStatus("none"))).toMatchObject({ status: 404, code: "JobNotFound" });
  });
});

describe("job release task", () => {
  const releaseJob = (id: string, pool: string, w: World, identity: string): JobAddParameter => ({
    id,
    poolInfo: { poolId: pool },
    jobPreparationTask: { commandLine: "prep" },
    jobReleaseTask: {
      commandLine: "release",
      resourceFiles: [{ httpUrl: c.em.blobUrl(w.storage, "inputs", "scene/frame.txt"), filePath: "r.txt", identityReference: { resourceId: identity } }],
    },
  });

  test("a release task needs a preparation task: 400", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    const batch = c.batch(w.account);
    const r = await refused(batch.job.add({ id: "lonely", poolInfo: { poolId: "p" }, jobReleaseTask: { commandLine: "release" } }));
    expect(r).toMatchObject({ status: 400, code: "InvalidPropertyValue" });
  });

  test("terminate: the job completes and stays readable; the release task ran on the node that ran the preparation task; a second terminate is 409", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    c.em.seedBlob(w.storage, "inputs", "scene/frame.txt", "frame");
    const pool = await poolWith(w, "worker");
    const batch = c.batch(w.account);
    await batch.job.add(releaseJob("rel", pool, w, w.worker.id));
    await batch.task.add("rel", { id: "t", commandLine: "render" });
    c.em.settle();
    let [status] = await batch.job.listPreparationAndReleaseTaskStatus("rel");
    expect(status?.jobReleaseTaskExecutionInfo).toBeUndefined();
    await batch.job.terminate("rel", { terminateReason: "done" });
    c.em.settle();
    const job = await batch.job.get("rel");
    expect(job.state).toBe("completed");
    expect(job.executionInfo?.terminateReason).toBe("done");
    [status] = await batch.job.listPreparationAndReleaseTaskStatus("rel");
    expect(status?.jobReleaseTaskExecutionInfo).toMatchObject({ state: "completed", result: "success", exitCode: 0 });
    const node = c.em.nodeIds(w.account, pool)[0] ?? "";
    expect(c.em.nodeFiles(w.account, pool, node)).toContain("root/workitems/rel/job-1/jobrelease/wd/r.txt");
    expect(await refused(batch.job.terminate("rel"))).toMatchObject({ status: 409, code: "JobCompleted" });
  });

  test("delete of an active job runs the release task too, then the job is gone", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    c.em.seedBlob(w.storage, "inputs", "scene/frame.txt", "frame");
    const pool = await poolWith(w, "worker");
    const batch = c.batch(w.account);
    await batch.job.add(releaseJob("gone", pool, w, w.worker.id));
    await batch.task.add("gone", { id: "t", commandLine: "render" });
    c.em.settle();
    await batch.job.deleteMethod("gone");
    const node = c.em.nodeIds(w.account, pool)[0] ?? "";
    expect(c.em.nodeFiles(w.account, pool, node)).toContain("root/workitems/gone/job-1/jobrelease/wd/r.txt");
    expect(await refused(batch.job.get("gone"))).toMatchObject({ status: 404 });
  });

  test("no node ran the preparation task (no task ran): the release task runs nowhere", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    const pool = await poolWith(w, "worker");
    const batch = c.batch(w.account);
    await batch.job.add(releaseJob("idle", pool, w, w.other.id));
    c.em.settle();
    await batch.job.terminate("idle");
    expect(await batch.job.listPreparationAndReleaseTaskStatus("idle")).toHaveLength(0);
  });
});

describe("identity ids with a trailing slash are malformed", () => {
  test("pool and account identity maps and the node identity reference: 400 InvalidIdentityId", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    const rg = c.em.resourceGroup;
    const slash = `${w.worker.id}/`;
    const pool = await refused(
      c.arm.poolOperations.create(rg, w.account, "slashed", { identity: { type: "UserAssigned", userAssignedIdentities: { [slash]: {} } }, vmSize: "STANDARD_D2S_V3" }),
    );
    expect(pool).toMatchObject({ status: 400, code: "InvalidIdentityId" });
    expect(pool.message).toContain(slash);
    const account = await refused(
      c.arm.batchAccountOperations.beginCreateAndWait(rg, "slashacct", { location: c.em.location, identity: { type: "UserAssigned", userAssignedIdentities: { [slash]: {} } } }, { updateIntervalInMs: 1 }),
    );
    expect(account).toMatchObject({ status: 400, code: "InvalidIdentityId" });
    const storageId = c.em.createStorageAccount("slashstore");
    const nodeRef = await refused(
      c.arm.batchAccountOperations.beginCreateAndWait(
        rg,
        "slashacct2",
        { location: c.em.location, identity: { type: "SystemAssigned" }, autoStorage: { storageAccountId: storageId, authenticationMode: "BatchAccountManagedIdentity", nodeIdentityReference: { resourceId: slash } } },
        { updateIntervalInMs: 1 },
      ),
    );
    expect(nodeRef).toMatchObject({ status: 400, code: "InvalidIdentityId" });
    // Other spellings of the same id still work: ARM ids are case-insensitive.
    await c.arm.poolOperations.create(rg, w.account, "upper", { identity: { type: "UserAssigned", userAssignedIdentities: { [w.worker.id.toUpperCase()]: {} } }, vmSize: "STANDARD_D2S_V3" });
  });

  test("a task identity reference with a trailing slash names no identity on the node: the download fails as for any malformed id", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
    c.em.seedBlob(w.storage, "inputs", "scene/frame.txt", "frame");
    const pool = await poolWith(w, "worker");
    const batch = c.batch(w.account);
    await batch.job.add({ id: "slash", poolInfo: { poolId: pool } });
    const url = c.em.blobUrl(w.storage, "inputs", "scene/frame.txt");
    await batch.task.add("slash", { id: "bad", commandLine: "x", resourceFiles: [{ httpUrl: url, filePath: "f", identityReference: { resourceId: `${w.worker.id}/` } }] });
    await batch.task.add("slash", { id: "good", commandLine: "x", resourceFiles: [{ httpUrl: url, filePath: "f", identityReference: { resourceId: w.worker.id } }] });
    c.em.settle();
    expect((await batch.task.get("slash", "bad")).executionInfo?.failureInfo?.code).toBe("BlobDownloadMiscError");
    expect((await batch.task.get("slash", "good")).executionInfo?.result).toBe("success");
  });
});

describe("faults limited to paths", () => {
  test("only role assignment requests fail; other ARM calls and the data plane work", async () => {
    const w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "none" });
    const auth = new (await import("@azure/arm-authorization")).AuthorizationManagementClient(c.em.credential, c.em.subscriptionId, { ...c.em.armClientOptions, retryOptions: { maxRetries: 0 } });
    c.em.setFaults({ rate: 1, kinds: ["503"], planes: ["arm"], paths: ["/providers/Microsoft.Authorization/roleAssignments"] });
    try {
      const list = refused((async () => {
        for await (const _ of auth.roleAssignments.listForScope(w.storageId)) void _;
      })());
      expect(await list).toMatchObject({ status: 503, code: "ServerBusy" });
      expect(await refused(auth.roleAssignments.create(w.storageId, crypto.randomUUID(), { roleDefinitionId: roleId(c.em, ROLE.reader), principalId: w.worker.principalId }))).toMatchObject({ status: 503 });
      expect((await c.arm.batchAccountOperations.get(c.em.resourceGroup, w.account)).name).toBe(w.account);
      await c.batch(w.account).job.list();
    } finally {
      c.em.setFaults(undefined);
    }
    const faulted = c.em.requests.filter((r) => r.fault !== undefined);
    expect(faulted.length).toBeGreaterThanOrEqual(2);
    expect(faulted.every((r) => /\/providers\/Microsoft\.Authorization\/roleAssignments/i.test(r.path))).toBe(true);
  });
});
