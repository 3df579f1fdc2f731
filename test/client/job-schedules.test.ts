// Job schedules end to end: a schedule whose job manager task reads with a pool identity is added
// through the client and run on the emulator (the schedule creates its job, the manager task
// completes); one whose manager task uses an identity the pool lacks does not compile, is refused
// with no request sent, and is found by `diagnose` (as `typed-batch check` reads it) in the
// schedule's REST body.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  batchAccount, createBatchClient, diagnose, jobSchedule, pool, resourceFile, TypedBatchError, userAssignedIdentity,
  type AnyAccountSpec, type BatchClient, type JobScheduleSpec, type PoolSpec,
} from "typed-batch";
import { startEmulator, type Emulator } from "typed-batch/testing";

let em: Emulator;
let client: BatchClient;
let render: PoolSpec<"render", AnyAccountSpec, "reader">;
let ids: { reader: ReturnType<typeof userAssignedIdentity<"reader">>; stranger: ReturnType<typeof userAssignedIdentity<"stranger">> };

beforeAll(async () => {
  em = await startEmulator();
  const readerIds = em.createIdentity("reader");
  const strangerIds = em.createIdentity("stranger");
  const reader = userAssignedIdentity(readerIds.resourceId, "reader");
  const stranger = userAssignedIdentity(strangerIds.resourceId, "stranger");
  ids = { reader, stranger };
  const dataId = em.createStorageAccount("data");
  em.grantRole({ principalId: readerIds.principalId, role: "Storage Blob Data Reader", scope: dataId });
  em.seedBlob("data", "plans", "plan.sh", "echo plan");
  const account = batchAccount("sched", { location: em.location }).build();
  client = createBatchClient(em.clientConfigFor("sched"));
  await client.accounts.createOrUpdate(account);
  const built = pool("render", account)
    .withIdentities(reader)
    .withProperties({
      vmSize: "STANDARD_D2S_V3",
      scaleSettings: { fixedScale: { targetDedicatedNodes: 1 } },
      deploymentConfiguration: { virtualMachineConfiguration: { imageReference: { publisher: "canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" }, nodeAgentSkuId: "batch.node.ubuntu 24.04" } },
    })
    .build();
  render = built;
  await client.pools.create(built);
  em.settle();
});
afterAll(async () => {
  await em.stop();
});

describe("a job schedule on the emulator", () => {
  test("a correct schedule creates its job when its time comes, and the job manager task completes", async () => {
    const nightly = jobSchedule("nightly", render)
      .withSchedule({ doNotRunUntil: new Date(Date.now() + 3_600_000), recurrenceInterval: "P1D" })
      .withManagerTask({ id: "plan", commandLine: "plan.sh", resourceFiles: [resourceFile.fromContainerUrl(em.blobUrl("data", "plans"), { identity: ids.reader })] })
      .build();
    await client.jobSchedules.create(nightly);
    const before = [];
    for await (const j of client.jobs.list()) before.push(j.id);
    expect(before).toEqual([]);
    em.settle();
    const jobs = [];
    for await (const j of client.jobs.list()) jobs.push(j.id);
    expect(jobs).toEqual(["nightly:job-1"]);
    const plan = await client.raw.batch.task.get("nightly:job-1", "plan");
    expect(plan.state).toBe("completed");
    expect(plan.executionInfo?.exitCode).toBe(0);
    expect(plan.executionInfo?.failureInfo).toBeUndefined();
    expect(em.taskFiles("sched", "nightly:job-1", "plan")).toEqual(expect.arrayContaining(["wd/plan.sh"]));
    const schedule = await client.raw.batch.jobSchedule.get("nightly");
    expect(schedule.executionInfo?.recentJob?.id).toBe("nightly:job-1");
  });

  test("a manager task using an identity the pool lacks does not compile, and is refused with no request sent", async () => {
    const wrong = (): JobScheduleSpec =>
      jobSchedule("wrong", render)
        .withSchedule({ recurrenceInterval: "P1D" })
        // @ts-expect-error stranger is not attached to pool 'render'
        .withManagerTask({ id: "plan", commandLine: "plan.sh", resourceFiles: [resourceFile.fromContainerUrl(em.blobUrl("data", "plans"), { identity: ids.stranger })] })
        .build();
    em.requests.clear();
    const e = (() => {
      try {
        wrong();
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(TypedBatchError.is(e)).toBe(true);
    expect((e as TypedBatchError).code).toBe("IDENTITY_NOT_IN_POOL");
    expect((e as TypedBatchError).path).toBe("jobSpecification.jobManagerTask.resourceFiles[0].identityReference");
    // A spec that bypassed the builder (plain JSON dressed as a spec) is refused by the client's guard.
    const bypass = { id: "wrong", pool: render, toBatch: () => ({ id: "wrong", schedule: {}, jobSpecification: { poolInfo: { poolId: "render" }, jobManagerTask: { id: "plan", commandLine: "x", resourceFiles: [{ storageContainerUrl: "https://x/y", identityReference: { resourceId: ids.stranger.resourceId } }] } } }) };
    const refused = await client.jobSchedules.create(bypass).then(() => undefined, (error: unknown) => error);
    expect(TypedBatchError.is(refused)).toBe(true);
    expect(em.requests.length).toBe(0);
    await expect(client.raw.batch.jobSchedule.get("wrong")).rejects.toThrow();
  });

  test("diagnose (what typed-batch check runs) finds it in the schedule's REST body", () => {
    const findings = diagnose({
      pools: [{ name: "render", identity: { type: "UserAssigned", userAssignedIdentities: { [ids.reader.resourceId]: {} } }, properties: { vmSize: "STANDARD_D2S_V3" } }],
      jobSchedules: [{ id: "wrong", schedule: { recurrenceInterval: "P1D" }, jobSpecification: { poolInfo: { poolId: "render" }, jobManagerTask: { id: "plan", commandLine: "x", resourceFiles: [{ storageContainerUrl: "https://x/y", identityReference: { resourceId: ids.stranger.resourceId } }] } } }],
    });
    expect(findings.map((f) => [f.code, f.path])).toEqual([["IDENTITY_NOT_IN_POOL", "jobSchedules[0].jobSpecification.jobManagerTask.resourceFiles[0].identityReference"]]);
  });
});
