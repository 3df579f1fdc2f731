/**
 * What the builders produce and how they behave: SDK output shapes, immutability, order
 * independence, case-insensitive ids at run time, `TypedBatchError` across package copies, redaction.
 */
import { describe, expect, test } from "vitest";
import {
  autoPool, batchAccount, job, outputFile, pool, resourceFile, task, TypedBatchError, userAssignedIdentity, validatePool,
  type DeploymentInput,
} from "typed-batch";
import { readerId, storageAccountId, workerId } from "../rules/fixtures/cases.js";

const url = "https://renderstore.blob.core.windows.net/setup";
const blobUrl = "https://renderstore.blob.core.windows.net/models/model.bin";
const containerUrl = "https://renderstore.blob.core.windows.net/frames";
const worker = userAssignedIdentity(workerId);
const reader = userAssignedIdentity(readerId, "reader");
const deploymentConfiguration: DeploymentInput = {
  virtualMachineConfiguration: { imageReference: { publisher: "canonical", offer: "ubuntu-24_04-lts", sku: "server" }, nodeAgentSkuId: "batch.node.ubuntu 24.04" },
};

/** Calls `build()` on a builder whose type rejects it: the run-time path for code that bypassed the types. */
const bypass = (builder: unknown) => builder as { build(): unknown };

function thrown(fn: () => unknown): TypedBatchError {
  try {
    fn();
  } catch (e) {
    expect(TypedBatchError.is(e), String(e)).toBe(true);
    return e as TypedBatchError;
  }
  throw new Error("expected a TypedBatchError, but the call returned");
}

const account = batchAccount("acct", { location: "westeurope" })
  .withSystemAssignedIdentity()
  .withAutoStorage({ storageAccountId, authenticationMode: "BatchAccountManagedIdentity", nodeIdentity: worker })
  .build();

/** api.md's pool example. */
const render = pool("render", account)
  .withIdentities(worker, reader)
  .withProperties({ vmSize: "STANDARD_D2S_V3", deploymentConfiguration, scaleSettings: { fixedScale: { targetDedicatedNodes: 2 } } })
  .withApplicationPackages({ id: "ffmpeg", version: "6.1" })
  .withStartTask({ commandLine: "setup.sh", resourceFiles: [resourceFile.fromContainerUrl(url, { identity: reader })] })
  .withContainerRegistry({ registryServer: "myreg.azurecr.io", identity: reader })
  .withBlobMount({ accountName: "renderstore", containerName: "data", relativeMountPath: "data", identity: reader })
  .build();

const frames = job("frames", render)
  .withPreparationTask({ commandLine: "prep.sh", resourceFiles: [resourceFile.fromHttpUrl(blobUrl, { filePath: "model.bin", identity: worker })] })
  .build();

/** api.md's task example. */
const frame = task("frame-0001", frames)
  .withCommandLine("render.sh 1")
  .withResourceFile(resourceFile.fromAutoStorageContainer("inputs", { blobPrefix: "scene/" }))
  .withResourceFile(resourceFile.fromHttpUrl(blobUrl, { filePath: "model.bin", identity: reader }))
  .withOutputFile(outputFile.toContainer({ filePattern: "*.png", containerUrl, identity: reader, uploadCondition: "taskSuccess" }))
  .withApplicationPackages({ id: "ffmpeg" })
  .withContainerSettings({ imageName: "myreg.azurecr.io/render:1", registry: { registryServer: "myreg.azurecr.io", identity: reader } })
  .build();

describe("SDK output shapes", () => {
  test("account.toArm(): identity, autostorage and the node identity reference as { resourceId }", () => {
    const withUsers = batchAccount("users", { location: "westeurope" }).withUserAssignedIdentities(worker, reader).build();
    expect(withUsers.toArm()).toEqual({ location: "westeurope", identity: { type: "UserAssigned", userAssignedIdentities: { [workerId]: {}, [readerId]: {} } } });
    expect(account.toArm()).toEqual({
      location: "westeurope",
      identity: { type: "SystemAssigned" },
      autoStorage: { storageAccountId, authenticationMode: "BatchAccountManagedIdentity", nodeIdentityReference: { resourceId: workerId } },
    });
  });

  test("pool.toArm(): identity map keyed by resource id, every reference as { resourceId }", () => {
    const arm = render.toArm();
    expect(arm.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: { [workerId]: {}, [readerId]: {} } });
    expect(arm.name).toBe("render");
    expect(arm.vmSize).toBe("STANDARD_D2S_V3");
    expect(arm.scaleSettings).toEqual({ fixedScale: { targetDedicatedNodes: 2 } });
    expect(arm.applicationPackages).toEqual([{ id: "ffmpeg", version: "6.1" }]);
    expect(arm.startTask).toEqual({ commandLine: "setup.sh", resourceFiles: [{ storageContainerUrl: url, identityReference: { resourceId: readerId } }] });
    expect(arm.deploymentConfiguration?.virtualMachineConfiguration?.imageReference).toEqual(deploymentConfiguration.virtualMachineConfiguration?.imageReference);
    expect(arm.deploymentConfiguration?.virtualMachineConfiguration?.containerConfiguration).toEqual({
      type: "DockerCompatible",
      containerRegistries: [{ registryServer: "myreg.azurecr.io", identityReference: { resourceId: readerId } }],
    });
    expect(arm.mountConfiguration).toEqual([
      { azureBlobFileSystemConfiguration: { accountName: "renderstore", containerName: "data", relativeMountPath: "data", identityReference: { resourceId: readerId } } },
    ]);
  });

  test("a pool without identities says so: identity { type: 'None' }", () => {
    expect(pool("plain", account).build().toArm().identity).toEqual({ type: "None" });
  });

  test("job.toBatch(): pool id or auto-pool specification, job-level task references as { resourceId }", () => {
    expect(frames.toBatch()).toEqual({
      id: "frames",
      poolInfo: { poolId: "render" },
      jobPreparationTask: { commandLine: "prep.sh", resourceFiles: [{ httpUrl: blobUrl, filePath: "model.bin", identityReference: { resourceId: workerId } }] },
    });
    const spec = { poolLifetimeOption: "job" as const, pool: { vmSize: "STANDARD_D2S_V3" } };
    expect(job("nightly", autoPool(spec)).build().toBatch()).toEqual({ id: "nightly", poolInfo: { autoPoolSpecification: spec } });
  });

  test("task.toBatch(): data-plane application packages as applicationId, every reference as { resourceId }", () => {
    expect(frame.toBatch()).toEqual({
      id: "frame-0001",
      commandLine: "render.sh 1",
      resourceFiles: [
        { autoStorageContainerName: "inputs", blobPrefix: "scene/" },
        { httpUrl: blobUrl, filePath: "model.bin", identityReference: { resourceId: readerId } },
      ],
      outputFiles: [{ filePattern: "*.png", destination: { container: { containerUrl, identityReference: { resourceId: readerId } } }, uploadOptions: { uploadCondition: "tasksuccess" } }],
      applicationPackageReferences: [{ applicationId: "ffmpeg" }],
      containerSettings: { imageName: "myreg.azurecr.io/render:1", registry: { registryServer: "myreg.azurecr.io", identityReference: { resourceId: readerId } } },
    });
  });
});

describe("immutability", () => {
  test("every pool builder method returns a new builder and leaves the old one as it was", () => {
    const base = pool("p", account);
    const withWorker = base.withIdentities(worker);
    const withPackages = withWorker.withApplicationPackages({ id: "ffmpeg" });
    expect(withWorker).not.toBe(base);
    expect(withPackages).not.toBe(withWorker);
    expect(base.build().toArm().identity).toEqual({ type: "None" });
    expect(withWorker.build().toArm().applicationPackages).toBeUndefined();
    expect(withPackages.build().toArm().applicationPackages).toEqual([{ id: "ffmpeg" }]);
    expect(Object.isFrozen(base)).toBe(true);
  });

  test("account, job and task builders too", () => {
    const a0 = batchAccount("a", { location: "westeurope" });
    const a1 = a0.withSystemAssignedIdentity();
    expect(a0.build().toArm().identity).toEqual({ type: "None" });
    expect(a1.build().toArm().identity).toEqual({ type: "SystemAssigned" });

    const j0 = job("j", render);
    const j1 = j0.withReleaseTask({ commandLine: "release.sh" });
    expect(j0.build().toBatch().jobReleaseTask).toBeUndefined();
    expect(j1.build().toBatch().jobReleaseTask).toEqual({ commandLine: "release.sh" });

    const t0 = task("t", frames).withCommandLine("a");
    const t1 = t0.withResourceFile(resourceFile.fromContainerUrl(url, { identity: worker }));
    const t2 = t0.withCommandLine("b");
    expect(t0.build().toBatch()).toEqual({ id: "t", commandLine: "a" });
    expect(t1.build().toBatch().resourceFiles).toHaveLength(1);
    expect(t2.build().toBatch().commandLine).toBe("b");
  });

  test("specs, identities and files are frozen; toArm()/toBatch() hand out fresh copies", () => {
    for (const value of [account, render, frames, frame, worker, reader, resourceFile.fromContainerUrl(url), outputFile.toContainer({ filePattern: "*", containerUrl })]) {
      expect(Object.isFrozen(value)).toBe(true);
    }
    const first = render.toArm();
    first.vmSize = "changed";
    first.identity = { type: "None" };
    expect(render.toArm().vmSize).toBe("STANDARD_D2S_V3");
    expect(Object.keys(render.toArm().identity?.userAssignedIdentities ?? {})).toEqual([workerId, readerId]);
    const batch = frame.toBatch();
    batch.resourceFiles?.pop();
    expect(frame.toBatch().resourceFiles).toHaveLength(2);
  });

  test("changing a blob mount's options object after the call does not change the builder", () => {
    const options = { accountName: "renderstore", containerName: "data", relativeMountPath: "data", identity: reader };
    const builder = pool("p", account).withIdentities(reader).withBlobMount(options);
    (options as { containerName: string }).containerName = "changed";
    expect(builder.build().toArm().mountConfiguration?.[0]?.azureBlobFileSystemConfiguration?.containerName).toBe("data");
  });

  test("changing a registry's options object after the call does not change the builder", () => {
    const options = { registryServer: "myreg.azurecr.io", identity: reader };
    const builder = pool("p", account).withIdentities(reader).withContainerRegistry(options);
    (options as { registryServer: string }).registryServer = "evil.example.com";
    expect(builder.build().toArm().deploymentConfiguration?.virtualMachineConfiguration?.containerConfiguration?.containerRegistries?.[0]?.registryServer).toBe("myreg.azurecr.io");
  });

  test("pushing to a start task's resourceFiles array after the call does not change the builder", () => {
    const resourceFiles = [resourceFile.fromContainerUrl(url, { identity: reader })];
    const builder = pool("p", account).withIdentities(reader).withStartTask({ commandLine: "x", resourceFiles });
    resourceFiles.push(resourceFile.fromContainerUrl(url, { identity: reader }));
    expect(builder.build().toArm().startTask?.resourceFiles).toHaveLength(1);
  });
});

describe("order independence", () => {
  test("the same calls in another order give the same pool", () => {
    const a = pool("p", account)
      .withIdentities(worker, reader)
      .withApplicationPackages({ id: "ffmpeg" })
      .withStartTask({ commandLine: "setup.sh", resourceFiles: [resourceFile.fromContainerUrl(url, { identity: reader })] })
      .withContainerRegistry({ registryServer: "myreg.azurecr.io", identity: reader })
      .build();
    const b = pool("p", account)
      .withContainerRegistry({ registryServer: "myreg.azurecr.io", identity: reader })
      .withStartTask({ commandLine: "setup.sh", resourceFiles: [resourceFile.fromContainerUrl(url, { identity: reader })] })
      .withApplicationPackages({ id: "ffmpeg" })
      .withIdentities(worker, reader)
      .build();
    expect(b.toArm()).toEqual(a.toArm());
  });

  test("identities used before withIdentities are checked when build() runs, whichever call declared them", () => {
    const split = pool("p", account).withBlobMount({ accountName: "a", containerName: "c", relativeMountPath: "m", identity: reader }).withIdentities(worker).withIdentities(reader).build();
    expect(Object.keys(split.toArm().identity?.userAssignedIdentities ?? {})).toEqual([workerId, readerId]);
  });

  test("attaching the same identity twice lists it once", () => {
    const twice = pool("p", account).withIdentities(worker, reader).withIdentities(reader).build();
    expect(Object.keys(twice.toArm().identity?.userAssignedIdentities ?? {})).toEqual([workerId, readerId]);
  });
});

describe("resource ids compare case-insensitively at run time", () => {
  const lowerReaderId = readerId.replace("/resourceGroups/", "/resourcegroups/").replace("Microsoft.ManagedIdentity", "microsoft.managedidentity");
  const lowerReader = userAssignedIdentity(lowerReaderId, "reader");
  const lowerWorker = userAssignedIdentity(workerId.toLowerCase() as string, "worker");

  test("a pool with /resourcegroups/ lower-case and a reference with /resourceGroups/ passes (builders, types bypassed)", () => {
    const built = pool("p", account)
      .withIdentities(lowerReader)
      .withStartTask({ commandLine: "x", resourceFiles: [resourceFile.fromContainerUrl(url, { identity: reader })] })
      .build();
    expect(Object.keys(built.toArm().identity?.userAssignedIdentities ?? {})).toEqual([lowerReaderId]);
    expect(built.toArm().startTask?.resourceFiles?.[0]?.identityReference).toEqual({ resourceId: readerId });
  });

  test("the node identity reference matches a differently cased pool identity (scenario 1, not 4)", () => {
    // The types compare keys ("worker" is not the literal id), so this is a run-time-only case.
    const differentlyCased = pool("p", account).withIdentities(lowerWorker).withApplicationPackages({ id: "ffmpeg" });
    expect(() => bypass(differentlyCased).build()).not.toThrow();
  });

  test("validatePool: same, as SDK JSON; a genuinely different id still fails", () => {
    const json = (ref: string) => ({
      name: "p",
      identity: { type: "UserAssigned", userAssignedIdentities: { [lowerReaderId]: {} } },
      startTask: { commandLine: "x", resourceFiles: [{ storageContainerUrl: url, identityReference: { resourceId: ref } }] },
    });
    expect(validatePool(json(readerId)).ok).toBe(true);
    expect(validatePool(json(readerId.replace("/reader", "/writer"))).issues.map((i) => i.code)).toEqual(["IDENTITY_NOT_IN_POOL"]);
  });

  test("a task reference in another case than the pool's identity passes", () => {
    const lowerPool = pool("lower", account).withIdentities(lowerReader).build();
    const t = task("t", job("j", lowerPool).build())
      .withCommandLine("x")
      .withResourceFile(resourceFile.fromHttpUrl(blobUrl, { filePath: "f", identity: reader }))
      .build();
    expect(t.toBatch().resourceFiles?.[0]?.identityReference).toEqual({ resourceId: readerId });
  });
});

describe("TypedBatchError is recognised without instanceof", () => {
  test("an error from a second copy of the module (another class object) is recognised", async () => {
    // A query string makes the module runner load a second instance of the module: another class object, as with two package copies.
    const specifier: string = "../../src/errors/typed-batch-error.ts?copy=2";
    const copy = (await import(specifier)) as typeof import("../../src/errors/typed-batch-error.js");
    expect(copy.TypedBatchError).not.toBe(TypedBatchError);
    const foreign = new copy.TypedBatchError([{ severity: "error", code: "IDENTITY_NOT_IN_POOL", path: "p", message: "m", fix: "f" }]);
    expect(foreign instanceof TypedBatchError).toBe(false);
    expect(TypedBatchError.is(foreign)).toBe(true);
    expect(copy.TypedBatchError.is(thrown(() => userAssignedIdentity("nope", "x")))).toBe(true);
  });

  test("an object carrying the registered symbol is recognised; look-alikes without it are not", () => {
    expect(TypedBatchError.is({ [Symbol.for("typed-batch.TypedBatchError")]: true, code: "X" })).toBe(true);
    expect(TypedBatchError.is({ [Symbol("typed-batch.TypedBatchError")]: true })).toBe(false);
    expect(TypedBatchError.is({ name: "TypedBatchError", code: "INVALID_RESOURCE_ID", issues: [] })).toBe(false);
    expect(TypedBatchError.is(new Error("TypedBatchError"))).toBe(false);
    expect(TypedBatchError.is(null)).toBe(false);
  });

  test("code and path are those of the first error; issues hold every problem", () => {
    const e = thrown(() =>
      bypass(pool("p", account)
        .withIdentities(reader)
        .withApplicationPackages({ id: "ffmpeg" })
        .withBlobMount({ accountName: "a", containerName: "c", relativeMountPath: "m", identity: worker } as never),
    ).build(),
    );
    expect(e.issues.map((i) => i.code).sort()).toEqual(["IDENTITY_NOT_IN_POOL", "NODE_IDENTITY_NOT_IN_POOL"]);
    expect(e.code).toBe(e.issues[0]?.code);
    expect(e.path).toBe(e.issues[0]?.path);
    expect(e.message).toMatch(/\(and 1 more\)$/);
    expect(Object.isFrozen(e.issues)).toBe(true);
  });
});

describe("redaction: secrets placed in a spec never reach the error", () => {
  const canaries = ["Q0FOQVJZLWFjY291bnQta2V5", "CANARYSIGNATURE0042", "CANARYPASSWORD77"] as const;
  const leaks = (e: TypedBatchError) => {
    const surfaces = [e.message, String(e), e.stack ?? "", JSON.stringify(e), JSON.stringify(e.issues)];
    return canaries.filter((c) => surfaces.some((s) => s.includes(c)));
  };

  test("an accountKey next to an identity on a blob mount (MOUNT_CREDENTIALS)", () => {
    const e = thrown(() =>
      pool("p", account)
        .withIdentities(reader)
        .withBlobMount({ accountName: "a", containerName: "c", relativeMountPath: "m", identity: reader, accountKey: canaries[0] } as never)
        .build(),
    );
    expect(e.code).toBe("MOUNT_CREDENTIALS");
    expect(leaks(e)).toEqual([]);
  });

  test("a SAS signature inside a malformed identity id (INVALID_RESOURCE_ID quotes the id)", () => {
    const e = thrown(() => userAssignedIdentity(`https://renderstore.blob.core.windows.net/c?sv=2022-11-02&sig=${canaries[1]}`, "leaky"));
    expect(e.code).toBe("INVALID_RESOURCE_ID");
    expect(e.issues[0]?.message).toContain("sig=[redacted]");
    expect(leaks(e)).toEqual([]);
  });

  test("a SAS signature in a pool name quoted by a message, and a registry password", () => {
    const e = thrown(() =>
      bypass(pool(`render?sig=${canaries[1]}`, account)
        .withIdentities(worker)
        .withContainerRegistry({ registryServer: "myreg.azurecr.io", userName: "u", password: canaries[2] })
        .withStartTask({ commandLine: "x", resourceFiles: [resourceFile.fromContainerUrl(`${url}?sig=${canaries[1]}`, { identity: reader })] } as never),
      ).build(),
    );
    expect(e.code).toBe("IDENTITY_NOT_IN_POOL");
    expect(leaks(e)).toEqual([]);
  });
});

describe("auto-pool specifications", () => {
  test("an identity reference inside the auto-pool specification is refused at run time (an auto-pool carries no identities)", async () => {
    const { autoPool, job, validateJob } = await import("typed-batch");
    const spec = { poolLifetimeOption: "job", pool: { vmSize: "S", startTask: { commandLine: "x", resourceFiles: [{ httpUrl: "https://a/b", filePath: "b", identityReference: { resourceId: "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/w" } }] } } } as const;
    // The types refuse it too; `as never` stands for JavaScript callers.
    expect(() => job("nightly", autoPool(spec as never)).build()).toThrow(/AUTO_POOL_IDENTITY_REFERENCE at poolInfo\.autoPoolSpecification\.pool\.startTask\.resourceFiles\[0\]\.identityReference/);
    const result = validateJob({ id: "nightly", poolInfo: { autoPoolSpecification: spec } });
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => i.code)).toEqual(["AUTO_POOL_IDENTITY_REFERENCE"]);
  });
});
