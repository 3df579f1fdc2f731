/**
 * The job-level tasks (manager, preparation, release) are set and converted once for `job(...)` and
 * `jobSchedule(...)`, and data-plane container settings are sent with the data plane's spelling.
 */
import type { ContainerWorkingDirectory } from "@azure/batch";
import { describe, expect, test } from "vitest";
import { batchAccount, job, jobSchedule, pool, resourceFile, task, userAssignedIdentity } from "typed-batch";
import { readerId } from "../rules/fixtures/cases.js";

const reader = userAssignedIdentity(readerId, "reader");
const account = batchAccount("acct", { location: "westeurope" }).build();
const render = pool("render", account).withIdentities(reader).build();
const files = [resourceFile.fromContainerUrl("https://renderstore.blob.core.windows.net/prep", { identity: reader })];
const container = { imageName: "myreg.azurecr.io/render:1", registry: { registryServer: "myreg.azurecr.io", identity: reader }, workingDirectory: "ContainerImageDefault" } as const;

describe("job-level tasks", () => {
  test("a job and a job schedule given the same tasks send the same job-level tasks", () => {
    const manager = { id: "plan", commandLine: "plan.sh", resourceFiles: files, containerSettings: container };
    const preparation = { commandLine: "prep.sh", resourceFiles: files };
    const release = { commandLine: "cleanup.sh" };
    const onJob = job("frames", render).withManagerTask(manager).withPreparationTask(preparation).withReleaseTask(release).build().toBatch();
    const onSchedule = jobSchedule("nightly", render).withManagerTask(manager).withPreparationTask(preparation).withReleaseTask(release).build().toBatch().jobSpecification;
    expect(onJob.jobManagerTask?.resourceFiles?.[0]?.identityReference?.resourceId).toBe(reader.resourceId);
    expect(onJob.jobPreparationTask?.commandLine).toBe("prep.sh");
    expect(onJob.jobReleaseTask).toEqual({ commandLine: "cleanup.sh" });
    expect(onSchedule.jobManagerTask).toEqual(onJob.jobManagerTask);
    expect(onSchedule.jobPreparationTask).toEqual(onJob.jobPreparationTask);
    expect(onSchedule.jobReleaseTask).toEqual(onJob.jobReleaseTask);
  });
});

describe("data-plane container settings", () => {
  // The data plane's spelling, as `@azure/batch` types it (management-plane types spell it "ContainerImageDefault").
  const dataPlane: ContainerWorkingDirectory = "containerImageDefault";

  test("a task's working directory is sent in the data plane's spelling, its registry identity as a reference", () => {
    const frames = job("frames", render).build();
    const settings = task("t1", frames).withCommandLine("render.sh").withContainerSettings(container).build().toBatch().containerSettings;
    expect(settings).toEqual({ imageName: container.imageName, registry: { registryServer: "myreg.azurecr.io", identityReference: { resourceId: reader.resourceId } }, workingDirectory: dataPlane });
  });

  test("so is a job manager task's", () => {
    const frames = job("frames", render).withManagerTask({ id: "plan", commandLine: "plan.sh", containerSettings: container }).build();
    expect(frames.toBatch().jobManagerTask?.containerSettings?.workingDirectory).toBe(dataPlane);
  });

  test("a pool's start task keeps the management plane's spelling", () => {
    const arm = pool("render", account).withIdentities(reader).withStartTask({ commandLine: "setup.sh", containerSettings: container }).build().toArm();
    expect(arm.startTask?.containerSettings?.workingDirectory).toBe("ContainerImageDefault");
  });
});
