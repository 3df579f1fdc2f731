// The builders and validate* as JavaScript callers use them: values the types forbid are refused
// with a TypedBatchError naming the path, never sent as `null`, dropped, or answered with a TypeError.
// And the auto-pool specification the identity-sites guide shows builds, while an identity in it is
// refused at compile time and at run time.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { autoPool, batchAccount, job, jobSchedule, nodeCredential, pool, resourceFile, task, TypedBatchError, userAssignedIdentity, validatePool, validateTask } from "typed-batch";
import { compileOne } from "../rules/compiler.js";

const sub = "6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55";
const readerId = `/subscriptions/${sub}/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/reader`;
const reader = userAssignedIdentity(readerId, "reader");
const url = "https://st.blob.core.windows.net/setup/setup.sh";
const account = batchAccount("acct", { location: "westeurope" }).build();
const render = pool("render", account).withIdentities(reader).withProperties({ vmSize: "STANDARD_D2S_V3" }).build();
const frames = job("frames", render).build();

/** What `fn` threw, as a TypedBatchError (fails on a return or on any other error). */
function refusal(fn: () => unknown): TypedBatchError {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  if (!TypedBatchError.is(error)) throw new Error(`expected a TypedBatchError, got ${error === undefined ? "a return" : String(error)}`);
  return error;
}

const untyped = <T>(value: unknown) => value as T;
/** `task(...).withApplicationPackages` as JavaScript calls it (its type needs the account's node identity on the pool). */
const withPackages = (...packages: unknown[]) => untyped<{ withApplicationPackages(...p: unknown[]): { build(): { toBatch(): { applicationPackageReferences?: unknown } } } }>(task("t", frames).withCommandLine("x")).withApplicationPackages(...packages);

describe("auto-pool specifications (the issue's reproduction)", () => {
  const startTask = (file: unknown) => untyped<never>({ commandLine: "x", resourceFiles: [file] });

  test("resourceFile.fromHttpUrl in an auto-pool start task builds and is sent as httpUrl", () => {
    const adhoc = job("adhoc", autoPool({ poolLifetimeOption: "job", pool: { vmSize: "STANDARD_D2S_V3", startTask: { commandLine: "x", resourceFiles: [resourceFile.fromHttpUrl(url, { filePath: "setup.sh" })] } } })).build();
    expect(adhoc.toBatch().poolInfo?.autoPoolSpecification?.pool?.startTask?.resourceFiles).toEqual([{ httpUrl: url, filePath: "setup.sh" }]);
  });

  test("with an identity: AUTO_POOL_IDENTITY_REFERENCE at run time", () => {
    const file = resourceFile.fromHttpUrl(url, { filePath: "setup.sh", identity: reader });
    const error = refusal(() => job("adhoc", autoPool({ poolLifetimeOption: "job", pool: { vmSize: "STANDARD_D2S_V3", startTask: startTask(file) } })).build());
    expect([error.code, error.path]).toEqual(["AUTO_POOL_IDENTITY_REFERENCE", "poolInfo.autoPoolSpecification.pool.startTask.resourceFiles[0].identityReference"]);
  });

  test("with an identity: a compile error naming the auto-pool rule", () => {
    const diagnostics = compileOne(`
import { autoPool, job, resourceFile, userAssignedIdentity } from "typed-batch";
const reader = userAssignedIdentity("${readerId}", "reader");
export const adhoc = job("adhoc", autoPool({ poolLifetimeOption: "job", pool: { vmSize: "x", startTask: { commandLine: "x",
  resourceFiles: [resourceFile.fromHttpUrl("${url}", { filePath: "setup.sh", identity: reader })] } } }));
export const fine = job("fine", autoPool({ poolLifetimeOption: "job", pool: { vmSize: "x", startTask: { commandLine: "x",
  resourceFiles: [resourceFile.fromHttpUrl("${url}", { filePath: "setup.sh" }), resourceFile.fromAutoStorageContainer("c"), { httpUrl: "${url}", filePath: "a" }] } } }));
`);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]?.line).toBe(5);
    expect(diagnostics[0]?.text).toContain("an auto-pool cannot carry identities, so its specification cannot reference one");
  }, 120_000);
});

describe("builders refuse what the types forbid", () => {
  test("withResourceFile with anything no resourceFile.* factory makes: INVALID_SHAPE at resourceFiles[0]", () => {
    const hostile = [null, undefined, 42, "file", [], { httpUrl: url, filePath: "a" }, { foo: 1 }, { httpUrl: url, autoStorageContainerName: "c" }, { kind: "ftp", url }];
    for (const value of hostile) {
      const error = refusal(() => task("t", frames).withCommandLine("x").withResourceFile(untyped<never>(value)).build());
      expect([error.code, error.path], JSON.stringify(value) ?? String(value)).toEqual(["INVALID_SHAPE", "resourceFiles[0]"]);
    }
  });

  test("withOutputFile with anything outputFile.toContainer does not make: INVALID_SHAPE at outputFiles[0]", () => {
    for (const value of [null, 42, { foo: 1 }, { filePattern: "*", destination: { container: { containerUrl: url } } }]) {
      const error = refusal(() => task("t", frames).withCommandLine("x").withOutputFile(untyped<never>(value)).build());
      expect([error.code, error.path], JSON.stringify(value)).toEqual(["INVALID_SHAPE", "outputFiles[0]"]);
    }
  });

  test("any value in the resource file list: a TypedBatchError or a valid task, never a null sent", () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        try {
          const batch = task("t", frames).withCommandLine("x").withResourceFile(untyped<never>(value)).build().toBatch();
          expect(batch.resourceFiles?.every((f) => typeof f === "object" && f !== null)).toBe(true);
        } catch (e) {
          expect(TypedBatchError.is(e), String(e)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("the builders' other arguments, as JavaScript callers pass them: INVALID_SHAPE naming the argument, never a TypeError", () => {
  const at = (fn: () => unknown) => refusal(fn).issues.map((i) => `${i.code}@${i.path}`);
  // Before: each of these was a TypeError (or, for a raw reference, passed as if it were a handle).
  const cases: Array<[string, () => unknown, string[]]> = [
    ["nodeCredential(null, reader)", () => nodeCredential(untyped<never>(null), untyped<never>(reader)), ["INVALID_SHAPE@pool"]],
    ["nodeCredential({}, reader)", () => nodeCredential(untyped<never>({}), untyped<never>(reader)), ["INVALID_SHAPE@pool"]],
    ["pool().withIdentities(null)", () => pool("p", account).withIdentities(untyped<never>(null)).build(), ["INVALID_SHAPE@identities[0]"]],
    ["pool().withIdentities(id)", () => pool("p", account).withIdentities(untyped<never>(readerId)).build(), ["INVALID_SHAPE@identities[0]"]],
    ["pool().withIdentities({ resourceId })", () => pool("p", account).withIdentities(untyped<never>({ resourceId: readerId })).build(), ["INVALID_SHAPE@identities[0]"]],
    ["pool().withIdentities(reader, null)", () => pool("p", account).withIdentities(reader, untyped<never>(null)).build(), ["INVALID_SHAPE@identities[1]"]],
    ["batchAccount().withUserAssignedIdentities(null)", () => batchAccount("a", { location: "westeurope" }).withUserAssignedIdentities(untyped<never>(null)).build(), ["INVALID_SHAPE@identities[0]"]],
    ["batchAccount().withCustomerManagedKey(null)", () => untyped<{ withCustomerManagedKey(o: unknown): { build(): unknown } }>(batchAccount("a", { location: "westeurope" })).withCustomerManagedKey(untyped<never>(null)).build(), ["INVALID_SHAPE@customerManagedKey"]],
    ["batchAccount().withCustomerManagedKey({})", () => untyped<{ withCustomerManagedKey(o: unknown): { build(): unknown } }>(batchAccount("a", { location: "westeurope" })).withCustomerManagedKey(untyped<never>({})).build(), ["INVALID_SHAPE@customerManagedKey.keyIdentifier"]],
    ["task().withApplicationPackages(null)", () => withPackages(null).build(), ["INVALID_SHAPE@applicationPackageReferences[0]"]],
    ["task().withApplicationPackages({ applicationId })", () => withPackages({ applicationId: "blender" }).build(), ["INVALID_SHAPE@applicationPackageReferences[0].applicationId", "INVALID_SHAPE@applicationPackageReferences[0].id"]],
    ["task(id, null)", () => task("t", untyped<never>(null)).withCommandLine("x").build(), ["INVALID_SHAPE@job"]],
    ["task(id, {})", () => task("t", untyped<never>({})).withCommandLine("x").build(), ["INVALID_SHAPE@job"]],
    ["job(id, null)", () => job("j", untyped<never>(null)).build(), ["INVALID_SHAPE@pool"]],
    ["job(id, {})", () => job("j", untyped<never>({})).build(), ["INVALID_SHAPE@pool"]],
  ];
  for (const [name, fn, expected] of cases) test(name, () => expect(at(fn)).toEqual(expected));

  test("the well-made arguments still build", () => {
    expect(nodeCredential(render, reader)).toBeDefined();
    expect(job("j", autoPool({ poolLifetimeOption: "job", pool: { vmSize: "STANDARD_D2S_V3" } })).build().id).toBe("j");
    expect(withPackages({ id: "blender", version: "4" }).build().toBatch().applicationPackageReferences).toEqual([{ applicationId: "blender", version: "4" }]);
  });
});

describe("withProperties refuses the keys its dedicated methods own, instead of dropping them", () => {
  test("a pool identity, a task's resource files, a job's pool, an account's autostorage: INVALID_SHAPE naming the method", () => {
    const identity = { type: "UserAssigned", userAssignedIdentities: { [readerId]: {} } };
    const poolError = refusal(() => pool("p", account).withProperties(untyped({ vmSize: "x", identity })).build());
    expect([poolError.code, poolError.path]).toEqual(["INVALID_SHAPE", "properties.identity"]);
    expect(poolError.message).toContain(".withIdentities(...)");
    expect(refusal(() => task("t", frames).withCommandLine("x").withProperties(untyped({ resourceFiles: [{ httpUrl: url }] }))).path).toBe("properties.resourceFiles");
    expect(refusal(() => job("j", render).withProperties(untyped({ poolInfo: { poolId: "other" } }))).path).toBe("properties.poolInfo");
    expect(refusal(() => batchAccount("a", { location: "westeurope" }).withProperties(untyped({ autoStorage: { storageAccountId: "x" } }))).path).toBe("properties.autoStorage");
    expect(refusal(() => jobSchedule("s", render).withProperties(untyped({ jobSpecification: { poolInfo: { poolId: "other" } } }))).path).toBe("properties.jobSpecification");
    expect(refusal(() => jobSchedule("s", render).withJobProperties(untyped({ poolInfo: { poolId: "other" } }))).path).toBe("properties.poolInfo");
    for (const value of [null, 42, "x", []]) expect(refusal(() => pool("p", account).withProperties(untyped(value))).path).toBe("properties");
    // What the types allow still passes.
    expect(pool("p", account).withProperties({ vmSize: "STANDARD_D2S_V3", taskSlotsPerNode: 2 }).build().toArm().taskSlotsPerNode).toBe(2);
  });
});

describe("validateTask as JavaScript calls it", () => {
  const noFilePath = { id: "t", commandLine: "x", resourceFiles: [{ httpUrl: url }] };

  test("without options or a job: INVALID_SHAPE at options.job, not a TypeError, and the pool-free rules still run", () => {
    const none = untyped<Parameters<typeof validateTask>[1]>(undefined);
    expect(validateTask(noFilePath, none).issues.map((i) => [i.code, i.path])).toEqual([
      ["INVALID_SHAPE", "options.job"],
      ["RESOURCE_FILE_PATH_REQUIRED", "resourceFiles[0].filePath"],
    ]);
    expect(validateTask(noFilePath, untyped({})).ok).toBe(false);
  });

  test("with a job on an unknown pool: the rules that need no pool run, as in diagnose", () => {
    const r = validateTask(noFilePath, { job: { id: "j", poolInfo: { poolId: "elsewhere" } } });
    expect(r.issues.map((i) => i.code)).toEqual(["UNKNOWN_POOL", "RESOURCE_FILE_PATH_REQUIRED"]);
  });
});

describe("a command line is required wherever Batch requires one, for JavaScript callers too", () => {
  const file = resourceFile.fromContainerUrl("https://st.blob.core.windows.net/setup", { identity: reader });
  const blanks = [undefined, "", "   ", null, 42];

  test("task(...).build() and validateTask: INVALID_SHAPE at commandLine", () => {
    for (const commandLine of blanks) {
      const builder = commandLine === undefined ? task("t", frames) : task("t", frames).withCommandLine(untyped<string>(commandLine));
      const error = refusal(() => (builder.build as () => unknown)());
      expect([error.code, error.path], String(commandLine)).toEqual(["INVALID_SHAPE", "commandLine"]);
      const body = { id: "t", ...(commandLine !== undefined && { commandLine }) };
      expect(validateTask(body, { job: frames }).issues.map((i) => [i.code, i.path]), String(commandLine)).toEqual([["INVALID_SHAPE", "commandLine"]]);
    }
    expect(validateTask({ id: "t", commandLine: "echo" }, { job: frames }).ok).toBe(true);
  });

  test("job manager, preparation and release tasks (of a job and of a job schedule): INVALID_SHAPE at their commandLine", () => {
    for (const commandLine of blanks) {
      const task = { ...(commandLine !== undefined && { commandLine }) };
      expect(refusal(() => job("j", render).withManagerTask(untyped<never>({ id: "m", ...task })).build()).path).toBe("jobManagerTask.commandLine");
      expect(refusal(() => job("j", render).withPreparationTask(untyped<never>(task)).build()).path).toBe("jobPreparationTask.commandLine");
      expect(refusal(() => job("j", render).withReleaseTask(untyped<never>(task)).build()).path).toBe("jobReleaseTask.commandLine");
      const schedule = jobSchedule("s", render).withSchedule({ recurrenceInterval: "P1D" });
      expect(refusal(() => schedule.withManagerTask(untyped<never>({ id: "m", ...task })).build()).path).toBe("jobSpecification.jobManagerTask.commandLine");
    }
  });

  test("a pool start task with other settings and no command line; an auto-pool start task without one", () => {
    for (const commandLine of blanks) {
      const startTask = { resourceFiles: [file], ...(commandLine !== undefined && { commandLine }) };
      const error = refusal(() => pool("p", account).withIdentities(reader).withStartTask(untyped<never>(startTask)).build());
      expect([error.code, error.path]).toEqual(["INVALID_SHAPE", "startTask.commandLine"]);
      const auto = { ...(commandLine !== undefined && { commandLine }) };
      const autoError = refusal(() => job("adhoc", autoPool({ poolLifetimeOption: "job", pool: { vmSize: "STANDARD_D2S_V3", startTask: untyped<never>(auto) } })).build());
      expect(autoError.path).toBe("poolInfo.autoPoolSpecification.pool.startTask.commandLine");
    }
  });
});

describe("nested identity-bearing inputs: start task, container registries, mounts (JavaScript callers)", () => {
  const rawReference = { resourceId: readerId };
  const mount = { accountName: "st", containerName: "data", relativeMountPath: "data" };
  const paths = (fn: () => unknown) => refusal(fn).issues.map((i) => `${i.code}@${i.path}`);
  const p = () => pool("p", account).withIdentities(reader);

  test("a start task that is not an object, or whose files or container settings are not what the types say", () => {
    const cases: Array<[unknown, string[]]> = [
      [null, ["INVALID_SHAPE@startTask"]],
      [[], ["INVALID_SHAPE@startTask"]],
      [{ commandLine: "x", resourceFiles: null }, ["INVALID_SHAPE@startTask.resourceFiles"]],
      [{ commandLine: "x", resourceFiles: "setup.sh" }, ["INVALID_SHAPE@startTask.resourceFiles"]],
      [{ commandLine: "x", resourceFiles: [null, { httpUrl: url, filePath: "s" }] }, ["INVALID_SHAPE@startTask.resourceFiles[0]", "INVALID_SHAPE@startTask.resourceFiles[1]"]],
      // A file made by hand with a raw reference where the handle belongs: not passed on as if it were checked.
      [{ commandLine: "x", resourceFiles: [{ kind: "httpUrl", url, filePath: "s", identity: rawReference }] }, ["INVALID_SHAPE@startTask.resourceFiles[0].identity"]],
      [{ commandLine: "x", containerSettings: null }, ["INVALID_SHAPE@startTask.containerSettings"]],
      [{ commandLine: "x", containerSettings: { imageName: "i", registry: null } }, ["INVALID_SHAPE@startTask.containerSettings.registry"]],
      [{ commandLine: "x", containerSettings: { imageName: "i", registry: { identityReference: rawReference } } }, ["INVALID_SHAPE@startTask.containerSettings.registry.identityReference"]],
    ];
    for (const [startTask, expected] of cases) expect(paths(() => p().withStartTask(untyped<never>(startTask)).build()), JSON.stringify(startTask)).toEqual(expected);
  });

  test("a container registry: null, a number, the SDK's identityReference, a raw reference or null as identity, a key it would drop", () => {
    const cases: Array<[unknown, string[]]> = [
      [null, ["INVALID_SHAPE@registry"]],
      [42, ["INVALID_SHAPE@registry"]],
      // Before: dropped, and the registry was sent without any credential.
      [{ registryServer: "r.azurecr.io", identityReference: rawReference }, ["INVALID_SHAPE@registry.identityReference"]],
      [{ registryServer: "r.azurecr.io", identity: rawReference }, ["INVALID_SHAPE@registry.identity"]],
      [{ registryServer: "r.azurecr.io", identity: null }, ["INVALID_SHAPE@registry.identity"]],
      [{ registryServer: 1, identity: reader, token: "t" }, ["INVALID_SHAPE@registry.token", "INVALID_SHAPE@registry.registryServer"]],
      // Before: built and sent without a credential, though RegistryInput requires identity or userName and password.
      [{ registryServer: "r" }, ["INVALID_SHAPE@registry"]],
      [{ registryServer: "r", userName: "u" }, ["INVALID_SHAPE@registry"]],
      [{ registryServer: "r", password: "p" }, ["INVALID_SHAPE@registry"]],
      [{}, ["INVALID_SHAPE@registry"]],
    ];
    for (const [registry, expected] of cases) expect(paths(() => p().withContainerRegistry(untyped<never>(registry)).build()), JSON.stringify(registry)).toEqual(expected);
    expect(paths(() => task("t", frames).withCommandLine("x").withContainerSettings(untyped<never>({ imageName: "i", registry: {} })))).toEqual(["INVALID_SHAPE@containerSettings.registry"]);
    expect(paths(() => p().withStartTask(untyped<never>({ commandLine: "x", containerSettings: { imageName: "i", registry: { registryServer: "r" } } })))).toEqual(["INVALID_SHAPE@startTask.containerSettings.registry"]);
    expect(p().withContainerRegistry({ registryServer: "r", userName: "u", password: "p" }).build().toArm().deploymentConfiguration?.virtualMachineConfiguration?.containerConfiguration?.containerRegistries).toHaveLength(1);
    expect(p().withContainerRegistry({ registryServer: "r.azurecr.io", identity: reader }).build().toArm().deploymentConfiguration?.virtualMachineConfiguration?.containerConfiguration?.containerRegistries).toEqual([
      { registryServer: "r.azurecr.io", identityReference: { resourceId: readerId } },
    ]);
  });

  test("a blob mount: null, the SDK's identityReference, a raw reference, a misspelt credential, a name of the wrong kind", () => {
    const cases: Array<[unknown, string[]]> = [
      [null, ["INVALID_SHAPE@mount"]],
      // Before: dropped, then reported as MOUNT_CREDENTIALS (found 0), which hid the cause.
      [{ ...mount, identityReference: rawReference }, ["INVALID_SHAPE@mount.identityReference"]],
      [{ ...mount, identity: rawReference }, ["INVALID_SHAPE@mount.identity"]],
      [{ ...mount, identity: null }, ["INVALID_SHAPE@mount.identity"]],
      [{ ...mount, sasToken: "sv=x" }, ["INVALID_SHAPE@mount.sasToken"]],
      [{ ...mount, accountName: 1, sasKey: "s" }, ["INVALID_SHAPE@mount.accountName"]],
    ];
    for (const [value, expected] of cases) expect(paths(() => p().withBlobMount(untyped<never>(value)).build()), JSON.stringify(value)).toEqual(expected);
  });

  test("task container settings and multi-instance settings; job manager task files", () => {
    expect(paths(() => task("t", frames).withCommandLine("x").withContainerSettings(untyped<never>(null)))).toEqual(["INVALID_SHAPE@containerSettings"]);
    expect(paths(() => task("t", frames).withCommandLine("x").withContainerSettings(untyped<never>({ imageName: 3, registry: { identityReference: rawReference } })))).toEqual([
      "INVALID_SHAPE@containerSettings.imageName",
      "INVALID_SHAPE@containerSettings.registry.identityReference",
    ]);
    expect(paths(() => task("t", frames).withCommandLine("x").withMultiInstanceSettings(untyped<never>({ numberOfInstances: 2, commonResourceFiles: null })))).toEqual(["INVALID_SHAPE@multiInstanceSettings.commonResourceFiles"]);
    expect(paths(() => job("j", render).withManagerTask(untyped<never>({ id: "m", commandLine: "x", resourceFiles: [null] })))).toEqual(["INVALID_SHAPE@jobManagerTask.resourceFiles[0]"]);
    // An output file made by hand: before, a TypeError (no uploadCondition) or a raw reference passed as checked.
    const handMade = { kind: "container", filePattern: "*", containerUrl: url };
    expect(paths(() => task("t", frames).withCommandLine("x").withOutputFile(untyped<never>(handMade)))).toEqual(["INVALID_SHAPE@outputFiles[0].uploadCondition"]);
    expect(paths(() => task("t", frames).withCommandLine("x").withOutputFile(untyped<never>({ ...handMade, uploadCondition: "taskSuccess", identity: rawReference })))).toEqual(["INVALID_SHAPE@outputFiles[0].identity"]);
    expect(paths(() => job("j", render).withManagerTask(untyped<never>({ id: "m", commandLine: "x", outputFiles: [{ ...handMade, uploadCondition: "taskSuccess", identity: rawReference }] })))).toEqual(["INVALID_SHAPE@jobManagerTask.outputFiles[0].identity"]);
  });

  test("output files only where Azure reads them (a task, a job manager task), with an upload condition of OutputFileUploadCondition", () => {
    const made = { kind: "container", filePattern: "*", containerUrl: url, uploadCondition: "taskSuccess" };
    // Before: accepted and sent, though StartTask, JobPreparationTask and JobReleaseTask have no outputFiles.
    expect(paths(() => p().withStartTask(untyped<never>({ commandLine: "x", outputFiles: [made] })))).toEqual(["INVALID_SHAPE@startTask.outputFiles"]);
    expect(paths(() => p().withStartTask(untyped<never>({ commandLine: "x", outputFiles: [{ filePattern: "*" }] })))).toEqual(["INVALID_SHAPE@startTask.outputFiles"]);
    expect(refusal(() => job("j", render).withPreparationTask(untyped<never>({ commandLine: "x", outputFiles: [made] }))).issues.map((i) => [i.path, i.message.includes("not a field of JobPreparationTask")])).toEqual([["jobPreparationTask.outputFiles", true]]);
    expect(paths(() => job("j", render).withReleaseTask(untyped<never>({ commandLine: "x", outputFiles: [made] })))).toEqual(["INVALID_SHAPE@jobReleaseTask.outputFiles"]);
    expect(job("j", render).withManagerTask(untyped<never>({ id: "m", commandLine: "x", outputFiles: [made] })).build()).toBeDefined();
    expect(task("t", frames).withCommandLine("x").withOutputFile(untyped<never>(made)).build()).toBeDefined();
    for (const uploadCondition of ["always", "TaskSuccess", ""]) {
      expect(paths(() => task("t", frames).withCommandLine("x").withOutputFile(untyped<never>({ ...made, uploadCondition }))), uploadCondition).toEqual(["INVALID_SHAPE@outputFiles[0].uploadCondition"]);
    }
    expect(task("t", frames).withCommandLine("x").withOutputFile(untyped<never>({ ...made, uploadCondition: "taskcompletion" })).build()).toBeDefined();
  });

  test("an empty start task is refused by the builder as its type refuses it (commandLine is required)", () => {
    // Before: withStartTask({}) built and sent startTask: {}.
    expect(paths(() => p().withStartTask(untyped<never>({})).build())).toEqual(["INVALID_SHAPE@startTask.commandLine"]);
  });

  test("any value as a start task, registry, mount or container settings: a TypedBatchError or a built spec, never another error", () => {
    const calls: Array<(v: unknown) => unknown> = [
      (v) => p().withStartTask(untyped<never>(v)).build(),
      (v) => p().withStartTask(untyped<never>({ commandLine: "x", resourceFiles: [v] })).build(),
      (v) => p().withStartTask(untyped<never>({ commandLine: "x", containerSettings: { imageName: "i", registry: v } })).build(),
      (v) => p().withContainerRegistry(untyped<never>(v)).build(),
      (v) => p().withContainerRegistry(untyped<never>({ registryServer: "r", identity: v })).build(),
      (v) => p().withBlobMount(untyped<never>(v)).build(),
      (v) => p().withBlobMount(untyped<never>({ ...mount, identity: v })).build(),
      (v) => task("t", frames).withCommandLine("x").withContainerSettings(untyped<never>(v)).build(),
      (v) => nodeCredential(untyped<never>(v), untyped<never>(reader)),
      (v) => pool("p", account).withIdentities(untyped<never>(v)).build(),
      (v) => batchAccount("a", { location: "westeurope" }).withUserAssignedIdentities(untyped<never>(v)).build(),
      (v) => untyped<{ withCustomerManagedKey(o: unknown): { build(): unknown } }>(batchAccount("a", { location: "westeurope" })).withCustomerManagedKey(untyped<never>(v)).build(),
      (v) => withPackages(v).build(),
      (v) => task("t", untyped<never>(v)).withCommandLine("x").build(),
      (v) => job("j", untyped<never>(v)).build(),
    ];
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), fc.nat(calls.length - 1), (value, which) => {
        try {
          calls[which]!(value);
        } catch (e) {
          expect(TypedBatchError.is(e), String(e)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  test("validatePool and validateTask: a null item in a list of resource files, registries or mounts is refused, not skipped", () => {
    const codes = (r: { issues: readonly { code: string; path: string }[] }) => r.issues.map((i) => `${i.code}@${i.path}`);
    expect(codes(validatePool({ name: "p", startTask: { commandLine: "x", resourceFiles: [null] } }))).toEqual(["INVALID_SHAPE@startTask.resourceFiles[0]"]);
    expect(codes(validatePool({ name: "p", mountConfiguration: [null] }))).toEqual(["INVALID_SHAPE@mountConfiguration[0]"]);
    expect(codes(validatePool({ name: "p", deploymentConfiguration: { virtualMachineConfiguration: { containerConfiguration: { type: "DockerCompatible", containerRegistries: [null] } } } }))).toEqual([
      "INVALID_SHAPE@deploymentConfiguration.virtualMachineConfiguration.containerConfiguration.containerRegistries[0]",
    ]);
    const r = validateTask({ id: "t", commandLine: "x", resourceFiles: [null] }, { job: frames });
    expect([r.ok, codes(r)]).toEqual([false, ["INVALID_SHAPE@resourceFiles[0]"]]);
    // A wrong kind inside: one finding per place, not one per rule that walks it.
    expect(codes(validatePool({ name: "p", startTask: "setup.sh" }))).toEqual(["INVALID_SHAPE@startTask"]);
  });
});
