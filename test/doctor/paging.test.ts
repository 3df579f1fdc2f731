// The doctor reads every page: with the emulator's pages at 5 items, a pool of 12 nodes and a job
// (behind 6 others) with 12 failed tasks are reported whole.
import { afterAll, beforeAll, expect, test } from "vitest";
import { createBatchClient } from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/testing/index.js";
import { createPool, poolBody, scene } from "./support.js";

let em: Emulator;
beforeAll(async () => {
  em = await startEmulator({ pageSize: 5 });
});
afterAll(async () => {
  await em.stop();
});

const pageReads = (path: RegExp) => em.requests.filter((r) => r.method === "GET" && path.test(r.path)).length;

test("a pool with more nodes than one page: every failed node is counted", async () => {
  const s = await scene(em);
  // Application packages with the node identity missing from the pool: every node ends Unusable.
  await createPool(em, s, "render", poolBody([s.other.resourceId], { applicationPackages: [{ id: "ffmpeg", version: "6.1" }], scaleSettings: { fixedScale: { targetDedicatedNodes: 12 } } }));
  em.settle();
  em.requests.clear();
  const findings = await createBatchClient(em.clientConfigFor(s.account)).doctor();
  const nodes = findings.find((f) => f.path === 'pools["render"].nodes');
  expect(nodes?.code).toBe("NODE_IDENTITY_NOT_IN_POOL");
  expect(nodes?.message).toContain("12 node(s) of pool 'render'");
  expect(pageReads(/\/pools\/render\/nodes$/)).toBe(3);
});

test("a job behind a full page of jobs, with more failed tasks than one page: all reported", async () => {
  const s = await scene(em, { workerRole: false });
  await createPool(em, s, "files", poolBody([s.worker.resourceId]));
  em.settle();
  for (let i = 0; i < 6; i++) await s.batch.job.add({ id: `idle${i}`, poolInfo: { poolId: "files" } });
  await s.batch.job.add({ id: "frames", poolInfo: { poolId: "files" } });
  const tasks = Array.from({ length: 12 }, (_, i) => ({ id: `frame-${i}`, commandLine: "render.sh", resourceFiles: [{ autoStorageContainerName: "inputs", blobPrefix: "scene/" }] }));
  await s.batch.task.addCollection("frames", tasks);
  em.settle();
  const findings = await createBatchClient(em.clientConfigFor(s.account)).doctor();
  const failed = findings.find((f) => f.path === 'jobs["frames"].tasks');
  expect(failed?.code).toBe("PERMISSION_MISSING");
  expect(failed?.message).toContain("12 task(s) of job 'frames'");
});
