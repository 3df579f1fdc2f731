/**
 * Each compile-time rule and its run-time twin, in one test (ArkType/attest style): the same code
 * from `test/rules/fixtures/cases.ts` is type-checked (its diagnostics) and run (it must throw a
 * `TypedBatchError` whose `typeErrorText(message, fix)` is exactly the compile-time text). Then the
 * same mistake as plain Azure SDK JSON through `validate*` gives the same code.
 */
import { describe, expect, test } from "vitest";
import { TypedBatchError, validateAccount, validateJob, validatePool, validateTask } from "typed-batch";
import { typeErrorText } from "../../src/rules/messages.js";
import { compiledCase } from "../rules/compiler.js";
import { ruleCases } from "../rules/expectations.js";
import * as cases from "../rules/fixtures/cases.js";

const { account, noNodeAccount, readerId, storageAccountId, strangerId, workerId } = cases;

/** Runs `fn` and returns what it threw (fails the test when it returns). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw, but the call returned");
}

function typedBatchError(fn: () => unknown): TypedBatchError {
  const e = thrown(fn);
  expect(TypedBatchError.is(e), String(e)).toBe(true);
  return e as TypedBatchError;
}

const caseFn = (name: string) => (cases as unknown as Record<string, () => unknown>)[name] as () => unknown;

describe("each rule: the compile-time text and the run-time throw are the same sentence", () => {
  test.each(ruleCases.filter((c) => c.kind === "typed-batch" && c.runtime !== null))("$rule", ({ name, runtime }) => {
    const compileTexts = new Set(compiledCase(name).diagnostics.flatMap((d) => d.typeErrorTexts));
    expect(compileTexts.size, `no typed-batch text in the diagnostics of ${name}`).toBeGreaterThan(0);

    const e = typedBatchError(caseFn(name));
    expect(e.code).toBe(runtime?.code);
    expect(e.path).toBe(runtime?.path);
    expect(e.issues.map((i) => i.code).sort()).toEqual([...(runtime?.codes ?? [runtime?.code])].sort());
    const runtimeTexts = new Set(e.issues.filter((i) => i.severity === "error").map((i) => typeErrorText(i.message, i.fix)));
    // Every compile-time text is a run-time issue, word for word ...
    for (const text of compileTexts) expect([...runtimeTexts]).toContain(text);
    // ... and, where the types see every problem at once, nothing more.
    if (name !== "poolSeveralProblems") expect(runtimeTexts).toEqual(compileTexts);
  });
});

describe("rules enforced by construction: TypeScript's own error, and the guard behind it", () => {
  test("resourceFile.fromHttpUrl without filePath: RESOURCE_FILE_PATH_REQUIRED at run time", () => {
    expect(compiledCase("httpUrlWithoutFilePath").diagnostics.map((d) => d.text).join("\n")).toContain("Property 'filePath' is missing");
    const e = typedBatchError(caseFn("httpUrlWithoutFilePath"));
    expect([e.code, e.path]).toEqual(["RESOURCE_FILE_PATH_REQUIRED", "resourceFiles[0].filePath"]);
  });

  test("blobPrefix on fromHttpUrl: RESOURCE_FILE_BLOB_PREFIX at run time, not silently dropped", () => {
    expect(compiledCase("httpUrlWithBlobPrefix").diagnostics.map((d) => d.text).join("\n")).toContain("'blobPrefix' does not exist");
    const e = typedBatchError(caseFn("httpUrlWithBlobPrefix"));
    expect([e.code, e.path]).toEqual(["RESOURCE_FILE_BLOB_PREFIX", "resourceFiles[0].blobPrefix"]);
  });

  test("identity on fromAutoStorageContainer: the builder never sends it (Batch would ignore it); plain JSON gets a warning", () => {
    expect(compiledCase("autoStorageFileWithIdentity").diagnostics.map((d) => d.text).join("\n")).toContain("'identity' does not exist in type 'ContainerUrlOptions'");
    const spec = caseFn("autoStorageFileWithIdentity")() as { toBatch(): { resourceFiles?: unknown[] } };
    expect(spec.toBatch().resourceFiles).toEqual([{ autoStorageContainerName: "inputs" }]);
    const r = validateTask(
      { id: "t", commandLine: "x", resourceFiles: [{ autoStorageContainerName: "inputs", identityReference: { resourceId: workerId } }] },
      { job: cases.frames, pool: cases.render },
    );
    expect(r.ok).toBe(true);
    expect(r.issues.map((i) => [i.severity, i.code, i.path])).toEqual([["warning", "RESOURCE_FILE_IDENTITY_ON_AUTOSTORAGE", "resourceFiles[0].identityReference"]]);
  });

  test("a system-assigned identity cannot reach a pool: the builder rejects the look-alike, JSON gets POOL_IDENTITY_TYPE_UNSUPPORTED", () => {
    // Only userAssignedIdentity(...) makes a handle: a look-alike object lacks its brand.
    expect(compiledCase("poolSystemAssignedIdentity").diagnostics.map((d) => d.text).join("\n")).toContain(`Property '[madeByTypedBatch]' is missing in type '{ readonly kind: "SystemAssigned";`);
    // Refused at withIdentities: the look-alike is not a handle (before, INVALID_RESOURCE_ID at build).
    const e = typedBatchError(caseFn("poolSystemAssignedIdentity"));
    expect([e.code, e.path]).toEqual(["INVALID_SHAPE", "identities[0]"]);
    const r = validatePool({ name: "render", identity: { type: "SystemAssigned" } });
    expect(r.ok).toBe(false);
    expect(r.issues.map((i) => [i.code, i.path])).toEqual([["POOL_IDENTITY_TYPE_UNSUPPORTED", "identity.type"]]);
  });

  test("ids known only at run time: a label is a compile-time matter, the id is checked when the call runs", () => {
    expect(caseFn("nonLiteralIdWithoutLabel")()).toMatchObject({ key: readerId, resourceId: readerId });
    expect(caseFn("nonLiteralLabel")()).toMatchObject({ key: "reader", resourceId: readerId });
    const e = typedBatchError(() => cases.userAssignedIdentityFromConfig("not-an-id"));
    expect([e.code, e.path]).toEqual(["INVALID_RESOURCE_ID", "identity 'reader'"]);
  });
});

describe("the same mistakes as Azure SDK JSON through validate*", () => {
  const sdkAccount = account.toArm();
  const sdkNoNode = noNodeAccount.toArm();
  const ids = (...resourceIds: string[]) => ({ type: "UserAssigned" as const, userAssignedIdentities: Object.fromEntries(resourceIds.map((id) => [id, {}])) });

  test("validateAccount: BatchAccountManagedIdentity without identity", () => {
    const r = validateAccount({ location: "westeurope", identity: { type: "None" }, autoStorage: { storageAccountId, authenticationMode: "BatchAccountManagedIdentity" } });
    expect(r.ok ? [] : r.issues.map((i) => [i.code, i.path])).toEqual([["ACCOUNT_IDENTITY_REQUIRED", "autoStorage.authenticationMode"]]);
  });

  test("validatePool: every pool site, every problem at once", () => {
    const r = validatePool(
      {
        name: "render",
        identity: ids(workerId.replace("/resourceGroups/", "/resourcegroups/")),
        applicationPackages: [{ id: "ffmpeg" }],
        startTask: {
          commandLine: "setup.sh",
          resourceFiles: [{ storageContainerUrl: "https://s/c", identityReference: { resourceId: readerId } }, { httpUrl: "https://s/f" }],
          containerSettings: { imageName: "i", registry: { registryServer: "r", identityReference: { resourceId: readerId } } },
        },
        deploymentConfiguration: { virtualMachineConfiguration: { imageReference: {}, nodeAgentSkuId: "n", containerConfiguration: { type: "DockerCompatible", containerRegistries: [{ registryServer: "r", identityReference: { resourceId: strangerId } }] } } },
        mountConfiguration: [{ azureBlobFileSystemConfiguration: { accountName: "a", containerName: "c", relativeMountPath: "m", accountKey: "k", identityReference: { resourceId: workerId } } }],
      },
      { account: sdkNoNode },
    );
    expect(r.ok).toBe(false);
    expect(r.issues.map((i) => `${i.code} ${i.path}`).sort()).toEqual(
      [
        "NODE_IDENTITY_REFERENCE_MISSING applicationPackages[0]",
        "IDENTITY_NOT_IN_POOL startTask.resourceFiles[0].identityReference",
        "RESOURCE_FILE_PATH_REQUIRED startTask.resourceFiles[1].filePath",
        "IDENTITY_NOT_IN_POOL startTask.containerSettings.registry.identityReference",
        "IDENTITY_NOT_IN_POOL deploymentConfiguration.virtualMachineConfiguration.containerConfiguration.containerRegistries[0].identityReference",
        "MOUNT_CREDENTIALS mountConfiguration[0].azureBlobFileSystemConfiguration",
      ].sort(),
    );
    expect(r.issues.find((i) => i.code === "NODE_IDENTITY_REFERENCE_MISSING")?.scenario).toBe("application-packages#3");
  });

  test("validateAccount: customer-managed key without the system-assigned identity or the key (BatchManagement.json 2025-06-01)", () => {
    const r = validateAccount({ location: "westeurope", identity: ids(workerId), encryption: { keySource: "Microsoft.KeyVault" } });
    expect(r.ok ? [] : r.issues.map((i) => [i.code, i.path])).toEqual([
      ["ACCOUNT_ENCRYPTION_IDENTITY_REQUIRED", "encryption.keySource"],
      ["ACCOUNT_ENCRYPTION_KEY_REQUIRED", "encryption.keyVaultProperties"],
    ]);
    const ok = validateAccount({ location: "westeurope", identity: { type: "SystemAssigned" }, encryption: { keySource: "Microsoft.KeyVault", keyVaultProperties: { keyIdentifier: "https://v.vault.azure.net/keys/k" } } });
    expect(ok.issues).toEqual([]);
  });

  test("validatePool: the disk encryption key's identity must be on the pool, and the pool must have one (REST 2025-06-01)", () => {
    const cmk = (ref?: string) => ({
      virtualMachineConfiguration: {
        imageReference: {},
        nodeAgentSkuId: "n",
        diskEncryptionConfiguration: { targets: ["OsDisk"], customerManagedKey: { keyUrl: "https://v.vault.azure.net/keys/k/1", ...(ref !== undefined && { identityReference: { resourceId: ref } }) } },
      },
    });
    const notOnPool = validatePool({ name: "render", identity: ids(workerId), deploymentConfiguration: cmk(strangerId) } as never);
    expect(notOnPool.ok ? [] : notOnPool.issues.map((i) => [i.code, i.path])).toEqual([
      ["IDENTITY_NOT_IN_POOL", "deploymentConfiguration.virtualMachineConfiguration.diskEncryptionConfiguration.customerManagedKey.identityReference"],
    ]);
    const noIdentity = validatePool({ name: "render", identity: { type: "None" }, deploymentConfiguration: cmk() } as never);
    expect(noIdentity.ok ? [] : noIdentity.issues.map((i) => i.code)).toEqual(["POOL_DISK_ENCRYPTION_IDENTITY_REQUIRED"]);
    expect(validatePool({ name: "render", identity: ids(workerId), deploymentConfiguration: cmk(workerId.toLowerCase()) } as never).issues).toEqual([]);
  });

  test("validatePool: scenario 4 (node identity given, pool has another)", () => {
    const r = validatePool({ name: "render", identity: ids(readerId), applicationPackages: [{ id: "ffmpeg" }] }, { account: sdkAccount });
    expect(r.ok ? [] : r.issues.map((i) => [i.code, i.path, i.scenario])).toEqual([["NODE_IDENTITY_NOT_IN_POOL", "applicationPackages[0]", "application-packages#4"]]);
  });

  test("validateJob: manager, preparation and release task sites", () => {
    const ref = { resourceId: strangerId };
    const r = validateJob(
      {
        id: "frames",
        poolInfo: { poolId: "reader-only" },
        jobManagerTask: { id: "m", commandLine: "x", resourceFiles: [{ storageContainerUrl: "u", identityReference: ref }], outputFiles: [{ filePattern: "*", destination: { container: { containerUrl: "u", identityReference: ref } }, uploadOptions: { uploadCondition: "taskcompletion" } }], containerSettings: { imageName: "i", registry: { identityReference: ref } } },
        jobPreparationTask: { commandLine: "x", resourceFiles: [{ httpUrl: "u", filePath: "f", identityReference: ref }], containerSettings: { imageName: "i", registry: { identityReference: ref } } },
        jobReleaseTask: { commandLine: "x", resourceFiles: [{ storageContainerUrl: "u", identityReference: ref }], containerSettings: { imageName: "i", registry: { identityReference: ref } } },
      },
      { pool: cases.readerOnly },
    );
    expect(r.ok).toBe(false);
    expect(r.issues.map((i) => `${i.code} ${i.path}`).sort()).toEqual(
      [
        "jobManagerTask.resourceFiles[0].identityReference",
        "jobManagerTask.outputFiles[0].destination.container.identityReference",
        "jobManagerTask.containerSettings.registry.identityReference",
        "jobPreparationTask.resourceFiles[0].identityReference",
        "jobPreparationTask.containerSettings.registry.identityReference",
        "jobReleaseTask.resourceFiles[0].identityReference",
        "jobReleaseTask.containerSettings.registry.identityReference",
      ].map((p) => `IDENTITY_NOT_IN_POOL ${p}`).sort(),
    );
  });

  test("validateJob: an auto-pool job with an identity reference", () => {
    const r = validateJob({ id: "nightly", poolInfo: { autoPoolSpecification: { poolLifetimeOption: "job" } }, jobPreparationTask: { commandLine: "x", resourceFiles: [{ storageContainerUrl: "u", identityReference: { resourceId: readerId } }] } });
    expect(r.ok ? [] : r.issues.map((i) => [i.code, i.path])).toEqual([["AUTO_POOL_IDENTITY_REFERENCE", "jobPreparationTask.resourceFiles[0].identityReference"]]);
  });

  test("validateTask: every task site, autostorage scenarios, resource file shapes", () => {
    const ref = { resourceId: strangerId };
    const r = validateTask(
      {
        id: "t",
        commandLine: "x",
        resourceFiles: [
          { storageContainerUrl: "u", identityReference: ref },
          { httpUrl: "u", filePath: "f", identityReference: ref },
          { autoStorageContainerName: "inputs" },
          { httpUrl: "u", blobPrefix: "p/", filePath: "f" },
          { httpUrl: "u" },
        ],
        outputFiles: [{ filePattern: "*", destination: { container: { containerUrl: "u", identityReference: ref } }, uploadOptions: { uploadCondition: "tasksuccess" } }],
        containerSettings: { imageName: "i", registry: { identityReference: ref } },
        applicationPackageReferences: [{ applicationId: "ffmpeg" }],
        multiInstanceSettings: { numberOfInstances: 2, commonResourceFiles: [{ storageContainerUrl: "u", identityReference: ref }, { autoStorageContainerName: "inputs" }, { httpUrl: "u" }] },
      },
      { job: cases.readerFrames },
    );
    expect(r.ok).toBe(false);
    expect(r.issues.map((i) => `${i.code} ${i.path}`).sort()).toEqual(
      [
        "IDENTITY_NOT_IN_POOL resourceFiles[0].identityReference",
        "IDENTITY_NOT_IN_POOL resourceFiles[1].identityReference",
        "NODE_IDENTITY_NOT_IN_POOL resourceFiles[2]",
        "RESOURCE_FILE_BLOB_PREFIX resourceFiles[3].blobPrefix",
        "RESOURCE_FILE_PATH_REQUIRED resourceFiles[4].filePath",
        "IDENTITY_NOT_IN_POOL outputFiles[0].destination.container.identityReference",
        "IDENTITY_NOT_IN_POOL containerSettings.registry.identityReference",
        "NODE_IDENTITY_NOT_IN_POOL applicationPackageReferences[0]",
        "IDENTITY_NOT_IN_POOL multiInstanceSettings.commonResourceFiles[0].identityReference",
        "NODE_IDENTITY_NOT_IN_POOL multiInstanceSettings.commonResourceFiles[1]",
        "RESOURCE_FILE_PATH_REQUIRED multiInstanceSettings.commonResourceFiles[2].filePath",
      ].sort(),
    );
    expect(r.issues.find((i) => i.path === "resourceFiles[2]")?.scenario).toBe("resource-files#4");
  });

  test("validateTask: scenario resource-files#3 (no node identity reference)", () => {
    const r = validateTask({ id: "t", commandLine: "x", resourceFiles: [{ autoStorageContainerName: "inputs" }] }, { job: cases.noNodeFrames });
    expect(r.ok ? [] : r.issues.map((i) => [i.code, i.path, i.scenario])).toEqual([["NODE_IDENTITY_REFERENCE_MISSING", "resourceFiles[0]", "resource-files#3"]]);
  });
});

describe("ids in another letter case are the same identity, at compile time and at run time", () => {
  test("a pool with the id as written, files and the node identity with the id upper- and lower-cased: builds (type-tests/valid.test-d.ts compiles the same program)", async () => {
    const { batchAccount, job, pool, resourceFile, task, userAssignedIdentity } = await import("typed-batch");
    const workerUpper = userAssignedIdentity("/SUBSCRIPTIONS/6E5A4C1B-2F0D-4B9E-9C1A-3D2F1E0B7A55/RESOURCEGROUPS/RENDER/PROVIDERS/MICROSOFT.MANAGEDIDENTITY/USERASSIGNEDIDENTITIES/WORKER");
    const workerLower = userAssignedIdentity("/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourcegroups/render/providers/microsoft.managedidentity/userassignedidentities/worker");
    const caseAccount = batchAccount("case", { location: "westeurope" }).withSystemAssignedIdentity()
      .withAutoStorage({ storageAccountId, authenticationMode: "BatchAccountManagedIdentity", nodeIdentity: workerLower }).build();
    const casePool = pool("case", caseAccount).withIdentities(cases.worker)
      .withStartTask({ commandLine: "x", resourceFiles: [resourceFile.fromContainerUrl("https://s.blob.core.windows.net/c", { identity: workerUpper })] })
      .withApplicationPackages({ id: "ffmpeg" })
      .build();
    const t = task("t", job("j", casePool).build()).withCommandLine("x").withResourceFile(resourceFile.fromHttpUrl("https://s.blob.core.windows.net/c/f", { filePath: "f", identity: workerLower })).withResourceFile(resourceFile.fromAutoStorageContainer("in")).build();
    expect(t.toBatch().resourceFiles?.length).toBe(2);
  });
});

describe("one label for two different ids", () => {
  test("is a TypedBatchError naming both resource ids", async () => {
    const { batchAccount, pool, userAssignedIdentity } = await import("typed-batch");
    const a = userAssignedIdentity(readerId, "reader");
    const b = userAssignedIdentity(strangerId, "reader");
    const e = typedBatchError(() => pool("p", batchAccount("x", { location: "westeurope" }).build()).withIdentities(a, b).build());
    expect(e.code).toBe("IDENTITY_LABEL_CONFLICT");
    expect(e.message).toContain(readerId);
    expect(e.message).toContain(strangerId);
  });
});
