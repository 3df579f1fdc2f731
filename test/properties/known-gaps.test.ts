// Disagreements the property once found between the guards (and domain.md rule 5) and the emulator's
// model of Azure, minimised by fast-check from the full generator (release task and preparation-task
// registry sites included). Ground truth: domain.md rule 5 lists both places, so the emulator was the
// layer that was wrong. They were pinned as expected failures until the emulator modelled the job
// preparation task's registry and the job release task (src/testing/behaviour/job-tasks.ts); now
// they are plain regression tests, and the main property generates these sites too.
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
// The node checks the preparation task's registry identity before its resource files.
test("job preparation task registry identity not on the pool: the tasks fail with ContainerInvalidImage", async () => {
  const cfg: Config = { ...base, job: { preparation: { ...plainTask, registry: { id: 0, spelling: "exact" } } } };
  const r = await checkOne(h, cfg);
  expect(r.verdict.job).toEqual(["IDENTITY_NOT_IN_POOL@jobPreparationTask.containerSettings.registry.identityReference"]);
  expect(r.outcome.job).toBe("preparation task: ContainerInvalidImage");
});

// Seeds 1 and 3 of the full generator, shrunk: a job release task whose resource file or registry
// identity is not on the pool. Batch runs the release task when the job ends (terminate keeps the job,
// so its status stays readable), on the nodes that ran the preparation task, which it requires.
const bare = { ...plainTask } as const;

test("job release task resource file identity not on the pool: the release task fails when the job is terminated", async () => {
  const cfg: Config = { ...base, job: { preparation: bare, release: { ...plainTask, files: [{ kind: "http", identity: { id: 0, spelling: "exact" } }] } } };
  const r = await checkOne(h, cfg);
  expect(r.verdict.job).toEqual(["IDENTITY_NOT_IN_POOL@jobReleaseTask.resourceFiles[0].identityReference"]);
  expect(r.outcome.job).toBe("release task: BlobDownloadMiscError");
  const batch = h.batch(r.account);
  expect((await batch.job.get("frames")).state).toBe("completed");
  const status = await batch.job.listPreparationAndReleaseTaskStatus("frames");
  expect(status).toHaveLength(1);
  expect(status[0]?.jobPreparationTaskExecutionInfo?.result).toBe("success");
  expect(status[0]?.jobReleaseTaskExecutionInfo?.state).toBe("completed");
  expect(status[0]?.jobReleaseTaskExecutionInfo?.failureInfo?.code).toBe("BlobDownloadMiscError");
});

test("job release task registry identity not on the pool: the release task fails with ContainerInvalidImage", async () => {
  const cfg: Config = { ...base, job: { preparation: bare, release: { ...plainTask, registry: { id: 0, spelling: "exact" } } } };
  const r = await checkOne(h, cfg);
  expect(r.verdict.job).toEqual(["IDENTITY_NOT_IN_POOL@jobReleaseTask.containerSettings.registry.identityReference"]);
  expect(r.outcome.job).toBe("release task: ContainerInvalidImage");
  const status = await h.batch(r.account).job.listPreparationAndReleaseTaskStatus("frames");
  expect(status[0]?.jobReleaseTaskExecutionInfo?.failureInfo?.code).toBe("ContainerInvalidImage");
});

test("a release task with its identity on the pool succeeds when the job is terminated", async () => {
  const cfg: Config = { ...base, pool: { ...base.pool, identities: [0] }, job: { preparation: bare, release: { ...plainTask, files: [{ kind: "http", identity: { id: 0, spelling: "exact" } }] } } };
  const r = await checkOne(h, cfg);
  expect(r.verdict.job).toEqual([]);
  expect(r.outcome.job).toBeNull();
  const status = await h.batch(r.account).job.listPreparationAndReleaseTaskStatus("frames");
  expect(status[0]?.jobReleaseTaskExecutionInfo?.result).toBe("success");
});

// The guard half of each gap holds today (so the failures above are the emulator's alone).
test("the guards refuse all three configurations", async () => {
  const { guardVerdict, toJson } = await import("./model.js");
  for (const job of [
    { preparation: { ...plainTask, registry: { id: 0, spelling: "exact" } } },
    { preparation: plainTask, release: { ...plainTask, files: [{ kind: "http", identity: { id: 0, spelling: "exact" } }] } },
    { preparation: plainTask, release: { ...plainTask, registry: { id: 0, spelling: "exact" } } },
  ] as Config["job"][]) {
    expect(guardVerdict(toJson({ ...base, job }, h.world, { pool: "render", job: "frames" })).job).toHaveLength(1);
  }
});
