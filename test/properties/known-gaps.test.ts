// Disagreements the property found between the guards (and domain.md rule 5) and the emulator's
// model of Azure, minimised by fast-check from the full generator (release task and preparation-task
// registry sites included). Ground truth: domain.md rule 5 lists both places, so the emulator is the
// layer that is wrong. Each is an expected failure (`test.fails`): when the emulator is fixed the
// test starts passing, vitest reports it, and it must become a plain `test` — and the generator's
// `unobservableSites` switch in guard-behaviour.test.ts can then be turned on.
import { afterAll, beforeAll, expect, test } from "vitest";
import { setup, type Clients } from "../emulator/setup.js";
import { checkOne, type Harness, worldFor } from "./behaviour.js";
import type { Config } from "./model.js";

let c: Clients;
let h: Harness;
beforeAll(async () => {
  c = await setup({ seed: 5 });
  h = { em: c.em, arm: c.arm, batch: (a) => c.batch(a), world: worldFor(c.em) };
});
afterAll(async () => c.em.stop());

const plainTask = { files: [], outputs: [], appPackages: false } as const;
const base = {
  account: { identity: "SystemAssigned", identities: [], autoStorage: "none" },
  pool: { identities: [], systemAssigned: false, appPackages: false },
  tasks: [plainTask],
} as const satisfies Omit<Config, "job">;

// Seed 2 of the full generator, shrunk: a job preparation task whose registry identity is not on the pool.
// The emulator's task runner (src/testing/behaviour/task-runner.ts, start()) downloads the preparation
// task's resource files but never pulls its container image, so no ContainerRegistryAuthFailed.
test.fails("job preparation task registry identity not on the pool: the tasks fail with ContainerRegistryAuthFailed", async () => {
  const cfg: Config = { ...base, job: { preparation: { ...plainTask, registry: { id: 0, spelling: "exact" } } } };
  const r = await checkOne(h, cfg);
  expect(r.verdict.job).toEqual(["IDENTITY_NOT_IN_POOL@jobPreparationTask.containerSettings.registry.identityReference"]);
  expect(r.outcome.job).toBe("preparation task: ContainerRegistryAuthFailed");
});

// Seeds 1 and 3 of the full generator, shrunk: a job release task whose resource file or registry
// identity is not on the pool. The emulator never runs release tasks (no job terminate route, no
// jobpreparationandreleasetaskstatus route), so the failure Azure reports when the job ends is invisible.
test.fails("job release task resource file identity not on the pool: the release task fails when the job is deleted", async () => {
  const cfg: Config = { ...base, job: { release: { ...plainTask, files: [{ kind: "http", identity: { id: 0, spelling: "exact" } }] } } };
  const r = await checkOne(h, cfg);
  expect(r.verdict.job).toEqual(["IDENTITY_NOT_IN_POOL@jobReleaseTask.resourceFiles[0].identityReference"]);
  const batch = h.batch(r.account);
  await batch.job.deleteMethod("frames");
  h.em.settle();
  const status = await batch.job.listPreparationAndReleaseTaskStatus("frames");
  expect(status[0]?.jobReleaseTaskExecutionInfo?.failureInfo?.code).toBe("BlobDownloadMiscError");
});

test.fails("job release task registry identity not on the pool: the release task fails with ContainerRegistryAuthFailed", async () => {
  const cfg: Config = { ...base, job: { release: { ...plainTask, registry: { id: 0, spelling: "exact" } } } };
  const r = await checkOne(h, cfg);
  expect(r.verdict.job).toEqual(["IDENTITY_NOT_IN_POOL@jobReleaseTask.containerSettings.registry.identityReference"]);
  const batch = h.batch(r.account);
  const status = await batch.job.listPreparationAndReleaseTaskStatus("frames");
  expect(status[0]?.jobReleaseTaskExecutionInfo?.failureInfo?.code).toBe("ContainerRegistryAuthFailed");
});

// The guard half of each gap holds today (so the failures above are the emulator's alone).
test("the guards refuse all three configurations", async () => {
  const { guardVerdict, toJson } = await import("./model.js");
  for (const job of [
    { preparation: { ...plainTask, registry: { id: 0, spelling: "exact" } } },
    { release: { ...plainTask, files: [{ kind: "http", identity: { id: 0, spelling: "exact" } }] } },
    { release: { ...plainTask, registry: { id: 0, spelling: "exact" } } },
  ] as Config["job"][]) {
    expect(guardVerdict(toJson({ ...base, job }, h.world, { pool: "render", job: "frames" })).job).toHaveLength(1);
  }
});
