// One placement resolver: the same task (job, pool) gives the same findings (codes and paths)
// through every entry point: the builder (as a JavaScript caller writes it when the mistake cannot be
// typed), validateTask/validateJob/validatePool with specs and with plain SDK objects, diagnose on
// the REST JSON, and the client (which sends nothing when refused). A task without a command line is
// refused by the client before anything is sent.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  diagnose, job, outputFile, pool, resourceFile, task, TypedBatchError, userAssignedIdentity, validateJob, validatePool, validateTask,
  type BatchClient, type Finding, type JobSpec, type PoolSpec, type TaskBuilderOf, type TaskSpec,
} from "typed-batch";
import { startEmulator, type Emulator } from "typed-batch/testing";
import { jobWorld } from "./helpers.js";

let em: Emulator;
let client: BatchClient;
let render: PoolSpec;
let frames: JobSpec;
beforeAll(async () => {
  em = await startEmulator();
  ({ client, render, frames } = await jobWorld(em));
});
afterAll(async () => {
  await em.stop();
});

const url = "https://st.blob.core.windows.net/in/a.bin";
const out = "https://st.blob.core.windows.net/out";
const stranger = "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/stranger";
const strangerHandle = userAssignedIdentity(stranger, "stranger");
/** What the types forbid, passed anyway (a JavaScript caller). */
const untyped = <T>(value: unknown) => value as T;

type Builder = TaskBuilderOf<JobSpec, string>;

interface SharedCase {
  readonly name: string;
  /** The task body (SDK and REST alike for tasks), merged over `{ id, commandLine }`. */
  readonly task: Record<string, unknown>;
  /** The same task through the builder, or why the builder cannot express it. */
  readonly builder: ((t: Builder) => Builder) | { readonly byConstruction: string };
  /** Error findings every entry point must report, as `code@path`. */
  readonly errors: readonly string[];
}

const cases: readonly SharedCase[] = [
  { name: "valid", task: { resourceFiles: [{ httpUrl: url, filePath: "a.bin" }] }, builder: (t) => t.withResourceFile(resourceFile.fromHttpUrl(url, { filePath: "a.bin" })), errors: [] },
  {
    name: "httpUrl without filePath",
    task: { resourceFiles: [{ httpUrl: url }] },
    builder: (t) => t.withResourceFile(resourceFile.fromHttpUrl(url, untyped({}))),
    errors: ["RESOURCE_FILE_PATH_REQUIRED@resourceFiles[0].filePath"],
  },
  {
    name: "two sources",
    task: { resourceFiles: [{ httpUrl: url, autoStorageContainerName: "in", filePath: "a" }] },
    builder: { byConstruction: "one resourceFile factory per source: no builder input has two" },
    errors: ["RESOURCE_FILE_SOURCE@resourceFiles[0]"],
  },
  {
    name: "blobPrefix on httpUrl",
    task: { resourceFiles: [{ httpUrl: url, filePath: "a", blobPrefix: "x/" }] },
    builder: (t) => t.withResourceFile(resourceFile.fromHttpUrl(url, untyped({ filePath: "a", blobPrefix: "x/" }))),
    errors: ["RESOURCE_FILE_BLOB_PREFIX@resourceFiles[0].blobPrefix"],
  },
  {
    name: "identity not on the pool",
    task: { resourceFiles: [{ httpUrl: url, filePath: "a", identityReference: { resourceId: stranger } }] },
    builder: (t) => t.withResourceFile(resourceFile.fromHttpUrl(url, { filePath: "a", identity: strangerHandle })),
    errors: ["IDENTITY_NOT_IN_POOL@resourceFiles[0].identityReference"],
  },
  {
    name: "output file identity not on the pool",
    task: { outputFiles: [{ filePattern: "*.png", destination: { container: { containerUrl: out, identityReference: { resourceId: stranger } } }, uploadOptions: { uploadCondition: "tasksuccess" } }] },
    builder: (t) => t.withOutputFile(outputFile.toContainer({ filePattern: "*.png", containerUrl: out, identity: strangerHandle, uploadCondition: "taskSuccess" })),
    errors: ["IDENTITY_NOT_IN_POOL@outputFiles[0].destination.container.identityReference"],
  },
  {
    name: "container registry identity not on the pool",
    task: { containerSettings: { imageName: "r.azurecr.io/i:1", registry: { registryServer: "r.azurecr.io", identityReference: { resourceId: stranger } } } },
    builder: (t) => t.withContainerSettings({ imageName: "r.azurecr.io/i:1", registry: { registryServer: "r.azurecr.io", identity: strangerHandle } }),
    errors: ["IDENTITY_NOT_IN_POOL@containerSettings.registry.identityReference"],
  },
  {
    name: "multi-instance common file identity not on the pool",
    task: { multiInstanceSettings: { numberOfInstances: 2, coordinationCommandLine: "c", commonResourceFiles: [{ storageContainerUrl: out, identityReference: { resourceId: stranger } }] } },
    builder: (t) => t.withMultiInstanceSettings({ numberOfInstances: 2, coordinationCommandLine: "c", commonResourceFiles: [resourceFile.fromContainerUrl(out, { identity: strangerHandle })] }),
    errors: ["IDENTITY_NOT_IN_POOL@multiInstanceSettings.commonResourceFiles[0].identityReference"],
  },
  { name: "blank command line", task: { commandLine: "  " }, builder: (t) => t.withCommandLine("  "), errors: ["INVALID_SHAPE@commandLine"] },
  {
    name: "two problems at once",
    task: { commandLine: "", resourceFiles: [{ httpUrl: url, filePath: "a", identityReference: { resourceId: stranger } }] },
    builder: (t) => t.withResourceFile(resourceFile.fromHttpUrl(url, { filePath: "a", identity: strangerHandle })).withCommandLine(""),
    errors: ["IDENTITY_NOT_IN_POOL@resourceFiles[0].identityReference", "INVALID_SHAPE@commandLine"],
  },
];

const errorsOf = (issues: readonly Finding[], prefix = "") =>
  issues.filter((i) => i.severity === "error").map((i) => `${i.code}@${i.path.startsWith(prefix) ? i.path.slice(prefix.length) : i.path}`).sort();

/** The builder's findings: none when it builds, else those of its TypedBatchError. */
function builderErrors(id: string, builder: (t: Builder) => Builder): { errors: string[]; spec?: TaskSpec } {
  try {
    const spec = builder(task(id, frames).withCommandLine("render.sh")).build();
    return { errors: [], spec };
  } catch (e) {
    if (!TypedBatchError.is(e)) throw e;
    return { errors: errorsOf(e.issues) };
  }
}

describe("the same findings whichever entry point is used", () => {
  test.each(cases)("$name", async ({ name, task: body, builder, errors }) => {
    const id = `t-${name.replace(/\W+/g, "-")}`;
    const taskBody = { id, commandLine: "render.sh", ...body };
    const { name: poolName, identity, ...properties } = render.toArm();

    const built = typeof builder === "function" ? builderErrors(id, builder) : undefined;
    const withSpecs = validateTask(taskBody, { job: frames, pool: render, account: render.account });
    const withSdkObjects = validateTask(taskBody, { job: frames.toBatch(), pool: { name: render.name, ...render.toArm() }, account: render.account.toArm() });
    const account = render.account.toArm();
    const offline = diagnose({
      account: { name: render.account.name, location: account.location, ...(account.identity && { identity: account.identity }), properties: {} },
      pools: [{ name: poolName, identity, properties }],
      jobs: [{ ...frames.toBatch(), tasks: [taskBody] }],
    });
    em.requests.clear();
    const forged = { id, job: frames, toBatch: () => structuredClone(taskBody) };
    const sent = await client.tasks.add(forged as never).then(
      () => [] as string[],
      (e: unknown) => (TypedBatchError.is(e) ? errorsOf(e.issues) : [`unexpected: ${String(e)}`]),
    );

    const expected = [...errors].sort();
    if (built !== undefined) expect(built.errors, "builder").toEqual(expected);
    expect(errorsOf(withSpecs.issues), "validateTask (specs)").toEqual(expected);
    expect(errorsOf(withSdkObjects.issues), "validateTask (SDK objects)").toEqual(expected);
    expect(errorsOf(offline, "jobs[0].tasks[0]."), "diagnose").toEqual(expected);
    expect(sent, "client").toEqual(expected);
    expect(em.requests.filter((r) => r.method === "POST").length).toBe(errors.length === 0 ? 1 : 0);
    // What the builder makes is what the body says: same payload, so the guards above saw the same thing.
    if (built?.spec !== undefined) expect(built.spec.toBatch()).toEqual(taskBody);
  });

  test("every case reaches the builder, except those its inputs cannot express", () => {
    const skipped = cases.filter((c) => typeof c.builder !== "function").map((c) => c.name);
    expect(skipped).toEqual(["two sources"]);
  });
});

type JobBuilderOf = ReturnType<typeof job<string, PoolSpec>>;

interface SharedJobCase {
  readonly name: string;
  /** The job body's own fields, merged over `{ id, poolInfo: { poolId } }`. */
  readonly job: Record<string, unknown>;
  readonly builder: (j: JobBuilderOf) => JobBuilderOf;
  readonly errors: readonly string[];
}

const jobCases: readonly SharedJobCase[] = [
  { name: "valid manager task", job: { jobManagerTask: { id: "m", commandLine: "m.sh", resourceFiles: [{ httpUrl: url, filePath: "a" }] } }, builder: (j) => j.withManagerTask({ id: "m", commandLine: "m.sh", resourceFiles: [resourceFile.fromHttpUrl(url, { filePath: "a" })] }), errors: [] },
  {
    name: "manager task file identity not on the pool",
    job: { jobManagerTask: { id: "m", commandLine: "m.sh", resourceFiles: [{ httpUrl: url, filePath: "a", identityReference: { resourceId: stranger } }] } },
    builder: (j) => j.withManagerTask({ id: "m", commandLine: "m.sh", resourceFiles: [resourceFile.fromHttpUrl(url, { filePath: "a", identity: strangerHandle })] }),
    errors: ["IDENTITY_NOT_IN_POOL@jobManagerTask.resourceFiles[0].identityReference"],
  },
  {
    name: "preparation task registry identity not on the pool",
    job: { jobPreparationTask: { commandLine: "p.sh", containerSettings: { imageName: "i", registry: { identityReference: { resourceId: stranger } } } } },
    builder: (j) => j.withPreparationTask({ commandLine: "p.sh", containerSettings: { imageName: "i", registry: { identity: strangerHandle } } }),
    errors: ["IDENTITY_NOT_IN_POOL@jobPreparationTask.containerSettings.registry.identityReference"],
  },
  {
    name: "release task without a command line and an httpUrl file without filePath",
    job: { jobReleaseTask: { commandLine: " ", resourceFiles: [{ httpUrl: url }] } },
    builder: (j) => j.withReleaseTask({ commandLine: " ", resourceFiles: [resourceFile.fromHttpUrl(url, untyped({}))] }),
    errors: ["INVALID_SHAPE@jobReleaseTask.commandLine", "RESOURCE_FILE_PATH_REQUIRED@jobReleaseTask.resourceFiles[0].filePath"],
  },
];

describe("the same findings for a job whichever entry point is used", () => {
  test.each(jobCases)("$name", async ({ name, job: body, builder, errors }) => {
    const id = `j-${name.replace(/\W+/g, "-")}`;
    const jobBody = { id, poolInfo: { poolId: render.name }, ...body };
    const { name: poolName, identity, ...properties } = render.toArm();
    let built: { errors: string[]; spec?: JobSpec };
    try {
      built = { errors: [], spec: builder(job(id, render)).build() };
    } catch (e) {
      if (!TypedBatchError.is(e)) throw e;
      built = { errors: errorsOf(e.issues) };
    }
    const withSpecs = validateJob(jobBody, { pool: render, account: render.account });
    const withSdkObjects = validateJob(jobBody, { pool: { name: render.name, ...render.toArm() }, account: render.account.toArm() });
    const account = render.account.toArm();
    const offline = diagnose({
      account: { name: render.account.name, location: account.location, ...(account.identity && { identity: account.identity }), properties: {} },
      pools: [{ name: poolName, identity, properties }],
      jobs: [jobBody],
    });
    em.requests.clear();
    const forged = { id, pool: render, toBatch: () => structuredClone(jobBody) };
    const sent = await client.jobs.create(forged as never).then(
      () => [] as string[],
      (e: unknown) => (TypedBatchError.is(e) ? errorsOf(e.issues) : [`unexpected: ${String(e)}`]),
    );

    const expected = [...errors].sort();
    expect(built.errors, "builder").toEqual(expected);
    expect(errorsOf(withSpecs.issues), "validateJob (specs)").toEqual(expected);
    expect(errorsOf(withSdkObjects.issues), "validateJob (SDK objects)").toEqual(expected);
    expect(errorsOf(offline, "jobs[0]."), "diagnose").toEqual(expected);
    expect(sent, "client").toEqual(expected);
    expect(em.requests.filter((r) => r.method === "POST").length).toBe(errors.length === 0 ? 1 : 0);
    if (built.spec !== undefined) expect(built.spec.toBatch()).toEqual(jobBody);
  });
});

/** The pool builder as these cases drive it: JavaScript-style (inputs checked at run time; the types are tested in type-tests/). */
interface PoolBuilderOf {
  withStartTask(startTask: unknown): PoolBuilderOf;
  withBlobMount(mount: unknown): PoolBuilderOf;
  build(): PoolSpec;
}

interface SharedPoolCase {
  readonly name: string;
  /** The pool's SDK fields (ARM `Pool`, flattened), merged over `{ name, identity }` of a pool carrying `reader`. */
  readonly pool: Record<string, unknown>;
  readonly builder: (p: PoolBuilderOf) => PoolBuilderOf;
  readonly errors: readonly string[];
}

const poolCases: readonly SharedPoolCase[] = [
  { name: "valid start task", pool: { startTask: { commandLine: "s.sh", resourceFiles: [{ httpUrl: url, filePath: "a" }] } }, builder: (p) => p.withStartTask({ commandLine: "s.sh", resourceFiles: [resourceFile.fromHttpUrl(url, { filePath: "a" })] }), errors: [] },
  {
    name: "start task file identity not on the pool",
    pool: { startTask: { commandLine: "s.sh", resourceFiles: [{ storageContainerUrl: out, identityReference: { resourceId: stranger } }] } },
    builder: (p) => p.withStartTask({ commandLine: "s.sh", resourceFiles: [resourceFile.fromContainerUrl(out, { identity: strangerHandle })] }),
    errors: ["IDENTITY_NOT_IN_POOL@startTask.resourceFiles[0].identityReference"],
  },
  {
    name: "blob mount identity not on the pool",
    pool: { mountConfiguration: [{ azureBlobFileSystemConfiguration: { accountName: "st", containerName: "c", relativeMountPath: "m", identityReference: { resourceId: stranger } } }] },
    builder: (p) => p.withBlobMount({ accountName: "st", containerName: "c", relativeMountPath: "m", identity: strangerHandle }),
    errors: ["IDENTITY_NOT_IN_POOL@mountConfiguration[0].azureBlobFileSystemConfiguration.identityReference"],
  },
  {
    name: "blob mount with two credentials",
    pool: { mountConfiguration: [{ azureBlobFileSystemConfiguration: { accountName: "st", containerName: "c", relativeMountPath: "m", accountKey: "k", sasKey: "s" } }] },
    builder: (p) => p.withBlobMount({ accountName: "st", containerName: "c", relativeMountPath: "m", accountKey: "k", sasKey: "s" }),
    errors: ["MOUNT_CREDENTIALS@mountConfiguration[0].azureBlobFileSystemConfiguration"],
  },
  {
    name: "start task settings without a command line",
    pool: { startTask: { commandLine: "", maxTaskRetryCount: 2 } },
    builder: (p) => p.withStartTask({ commandLine: "", maxTaskRetryCount: 2 }),
    errors: ["INVALID_SHAPE@startTask.commandLine"],
  },
];

describe("the same findings for a pool whichever entry point is used", () => {
  test.each(poolCases)("$name", async ({ name, pool: fields, builder, errors }) => {
    const poolName = `p-${name.replace(/\W+/g, "-")}`.slice(0, 60);
    const base = pool(poolName, render.account).withIdentities(...render.identities).withProperties({ vmSize: "STANDARD_D2S_V3" });
    const { identity } = base.build().toArm();
    const poolBody = { name: poolName, identity, vmSize: "STANDARD_D2S_V3", ...fields };
    let built: { errors: string[]; spec?: PoolSpec };
    try {
      built = { errors: [], spec: builder(base as unknown as PoolBuilderOf).build() };
    } catch (e) {
      if (!TypedBatchError.is(e)) throw e;
      built = { errors: errorsOf(e.issues) };
    }
    const withSpecs = validatePool(poolBody, { account: render.account });
    const withSdkObjects = validatePool(poolBody, { account: render.account.toArm(), accountName: render.account.name });
    const account = render.account.toArm();
    const offline = diagnose({
      account: { name: render.account.name, location: account.location, ...(account.identity && { identity: account.identity }), properties: {} },
      pools: [{ name: poolName, identity, properties: { vmSize: "STANDARD_D2S_V3", ...fields } }],
    });
    em.requests.clear();
    const forged = { name: poolName, account: render.account, identities: render.identities, toArm: () => structuredClone(poolBody) };
    const sent = await client.pools.create(forged as never).then(
      () => [] as string[],
      (e: unknown) => (TypedBatchError.is(e) ? errorsOf(e.issues) : [`unexpected: ${String(e)}`]),
    );

    const expected = [...errors].sort();
    expect(built.errors, "builder").toEqual(expected);
    expect(errorsOf(withSpecs.issues), "validatePool (specs)").toEqual(expected);
    expect(errorsOf(withSdkObjects.issues), "validatePool (SDK objects)").toEqual(expected);
    expect(errorsOf(offline, "pools[0].properties.").map((f) => f.replace("@pools[0].", "@")), "diagnose").toEqual(expected);
    expect(sent, "client").toEqual(expected);
    expect(em.requests.filter((r) => r.method === "PUT").length).toBe(errors.length === 0 ? 1 : 0);
    if (built.spec !== undefined) expect(built.spec.toArm()).toMatchObject(poolBody);
  });
});

describe("on a pool nobody gave: the rules that need no pool, in validateTask as in diagnose", () => {
  test.each(cases)("$name", ({ name, task: body, errors }) => {
    const taskBody = { id: `u-${name.replace(/\W+/g, "-")}`, commandLine: "render.sh", ...body };
    const jobBody = { id: "elsewhere-job", poolInfo: { poolId: "elsewhere" } };
    // Membership cannot be checked on an unknown pool: IDENTITY_NOT_IN_POOL is the one rule that drops out.
    const expected = errors.filter((c) => !c.startsWith("IDENTITY_NOT_IN_POOL@")).sort();
    const guarded = validateTask(taskBody, { job: jobBody });
    const offline = diagnose({ jobs: [{ ...jobBody, tasks: [taskBody] }] });
    expect(errorsOf(guarded.issues)).toEqual(expected);
    expect(errorsOf(offline, "jobs[0].tasks[0].")).toEqual(expected);
    expect(guarded.issues.map((i) => i.code)).toContain("UNKNOWN_POOL");
    expect(offline.map((i) => i.code)).toContain("UNKNOWN_POOL");
  });
});

describe("commandLine is required at run time", () => {
  test("task(...).build() without withCommandLine (a JavaScript caller) throws INVALID_SHAPE at commandLine", () => {
    for (const builder of [task("bare", frames), task("blank", frames).withCommandLine("  ")]) {
      // The types refuse .build before .withCommandLine(...) (type-tests/); a JavaScript caller is not stopped by them.
      const error = (() => { try { (builder.build as () => unknown)(); } catch (e) { return e; } })();
      expect(TypedBatchError.is(error)).toBe(true);
      expect([(error as TypedBatchError).code, (error as TypedBatchError).path]).toEqual(["INVALID_SHAPE", "commandLine"]);
      expect((error as TypedBatchError).issues[0]?.fix).toBe("call .withCommandLine(...)");
    }
  });

  test("a spec without a command line is refused by tasks.add and tasks.addMany before any request", async () => {
    const good = task("good", frames).withCommandLine("echo").build();
    // What a JavaScript caller can hand over: a spec-shaped object whose payload lacks commandLine.
    const { commandLine: _dropped, ...payload } = good.toBatch();
    const forged = { id: "forged", job: frames, toBatch: () => ({ ...payload, id: "forged" }) } as unknown as typeof good;
    em.requests.clear();
    for (const call of [() => client.tasks.add(forged), () => client.tasks.addMany(frames, [forged])]) {
      const error = await call().catch((e: unknown) => e);
      expect(TypedBatchError.is(error)).toBe(true);
      expect((error as TypedBatchError).code).toBe("INVALID_SHAPE");
      expect((error as TypedBatchError).path).toMatch(/commandLine$/);
    }
    expect(em.requests).toHaveLength(0);
    expect(job("unused", render).build().id).toBe("unused");
  });
});
