// Task and node counts (found missing by `az batch job task-counts show` / `az batch pool
// node-counts list`), read through @azure/batch as the CLI reads them.
import { BatchManagementClient } from "@azure/arm-batch";
import { BatchServiceClient } from "@azure/batch";
import { AzureIdentityCredentialAdapter } from "@azure/ms-rest-js";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startEmulator, type Emulator } from "../../src/testing/index.js";

let em: Emulator;
let batch: BatchServiceClient;
beforeAll(async () => {
  em = await startEmulator({ batchAccounts: ["counted"] });
  const arm = new BatchManagementClient(em.credential, em.subscriptionId, em.armClientOptions);
  await arm.batchAccountOperations.beginCreateAndWait(em.resourceGroup, "counted", { location: em.location });
  await arm.poolOperations.create(em.resourceGroup, "counted", "render", { vmSize: "STANDARD_D2S_V3", scaleSettings: { fixedScale: { targetDedicatedNodes: 2 } } });
  batch = new BatchServiceClient(new AzureIdentityCredentialAdapter(em.credential, "https://batch.core.windows.net//.default"), em.batchAccountUrl("counted"), em.batchClientOptions);
  await batch.job.add({ id: "frames", poolInfo: { poolId: "render" } });
  await batch.task.add("frames", { id: "one", commandLine: "render.sh" });
  await batch.task.add("frames", { id: "two", commandLine: "render.sh", requiredSlots: 2 });
});
afterAll(async () => {
  await em.stop();
});

test("task counts and slot counts follow the tasks' states", async () => {
  const before = await batch.job.getTaskCounts("frames");
  expect(before.taskCounts).toMatchObject({ active: 2, running: 0, completed: 0 });
  expect(before.taskSlotCounts).toMatchObject({ active: 3 });
  em.settle();
  const after = await batch.job.getTaskCounts("frames");
  expect(after.taskCounts).toMatchObject({ active: 0, running: 0, completed: 2, succeeded: 2, failed: 0 });
  expect(after.taskSlotCounts).toMatchObject({ completed: 3, succeeded: 3 });
});

test("node counts per pool by state, dedicated and low-priority apart", async () => {
  em.settle();
  const counts = await batch.account.listPoolNodeCounts();
  expect(counts.map((c) => c.poolId)).toEqual(["render"]);
  expect(counts[0]?.dedicated).toMatchObject({ idle: 2, total: 2, startTaskFailed: 0 });
  expect(counts[0]?.lowPriority).toMatchObject({ total: 0 });
});

test("a job that does not exist is JobNotFound", async () => {
  await expect(batch.job.getTaskCounts("nope")).rejects.toMatchObject({ statusCode: 404, code: "JobNotFound" });
});
