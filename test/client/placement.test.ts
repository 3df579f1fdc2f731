// One placement resolver: the same task on the same pool gives the same findings through every
// entry point — validateTask with specs, validateTask with plain SDK objects, diagnose on the REST
// JSON, and the client (which sends nothing when refused). A task without a command line is refused
// by the client before anything is sent.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { diagnose, job, task, TypedBatchError, validateTask, type BatchClient, type JobSpec, type PoolSpec } from "typed-batch";
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
const stranger = "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/stranger";

/** Task bodies (SDK and REST alike for tasks) and the error codes every entry point must report. */
const cases: Array<{ name: string; task: Record<string, unknown>; errors: string[] }> = [
  { name: "valid", task: { resourceFiles: [{ httpUrl: url, filePath: "a.bin" }] }, errors: [] },
  { name: "httpUrl without filePath", task: { resourceFiles: [{ httpUrl: url }] }, errors: ["RESOURCE_FILE_PATH_REQUIRED"] },
  { name: "two sources", task: { resourceFiles: [{ httpUrl: url, autoStorageContainerName: "in", filePath: "a" }] }, errors: ["RESOURCE_FILE_SOURCE"] },
  { name: "blobPrefix on httpUrl", task: { resourceFiles: [{ httpUrl: url, filePath: "a", blobPrefix: "x/" }] }, errors: ["RESOURCE_FILE_BLOB_PREFIX"] },
  { name: "identity not on the pool", task: { resourceFiles: [{ httpUrl: url, filePath: "a", identityReference: { resourceId: stranger } }] }, errors: ["IDENTITY_NOT_IN_POOL"] },
  {
    name: "output file identity not on the pool",
    task: { outputFiles: [{ filePattern: "*.png", destination: { container: { containerUrl: "https://st.blob.core.windows.net/out", identityReference: { resourceId: stranger } } }, uploadOptions: { uploadCondition: "tasksuccess" } }] },
    errors: ["IDENTITY_NOT_IN_POOL"],
  },
];

const errorsOf = (issues: readonly { severity: string; code: string }[]) => issues.filter((i) => i.severity === "error").map((i) => i.code).sort();

describe("the same findings whichever entry point is used", () => {
  test.each(cases)("$name", async ({ name, task: body, errors }) => {
    const id = `t-${name.replace(/\W+/g, "-")}`;
    const taskBody = { id, commandLine: "render.sh", ...body };
    const { name: poolName, identity, ...properties } = render.toArm();

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

    expect(errorsOf(withSpecs.issues)).toEqual(errors);
    expect(errorsOf(withSdkObjects.issues)).toEqual(errors);
    expect(errorsOf(offline)).toEqual(errors);
    expect(sent).toEqual(errors);
    expect(em.requests.filter((r) => r.method === "POST").length).toBe(errors.length === 0 ? 1 : 0);
  });
});

describe("on a pool nobody gave: the rules that need no pool, in validateTask as in diagnose", () => {
  test.each(cases)("$name", ({ name, task: body, errors }) => {
    const taskBody = { id: `u-${name.replace(/\W+/g, "-")}`, commandLine: "render.sh", ...body };
    const jobBody = { id: "elsewhere-job", poolInfo: { poolId: "elsewhere" } };
    // Membership cannot be checked on an unknown pool: IDENTITY_NOT_IN_POOL is the one rule that drops out.
    const expected = errors.filter((c) => c !== "IDENTITY_NOT_IN_POOL");
    const guarded = validateTask(taskBody, { job: jobBody });
    const offline = diagnose({ jobs: [{ ...jobBody, tasks: [taskBody] }] });
    expect(errorsOf(guarded.issues)).toEqual(expected);
    expect(errorsOf(offline)).toEqual(expected);
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
