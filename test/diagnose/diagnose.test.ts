import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readDocument } from "../../src/diagnose/inputs/read-document.js";
import { diagnose } from "../../src/diagnose/diagnose.js";

const sub = "6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55";
const id = (name: string) => `/subscriptions/${sub}/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
const worker = id("worker");
const reader = id("reader");
const storageAccountId = `/subscriptions/${sub}/resourceGroups/render/providers/Microsoft.Storage/storageAccounts/renderstore`;
const attached = (...ids: string[]) => ({ type: "UserAssigned", userAssignedIdentities: Object.fromEntries(ids.map((i) => [i, {}])) });
const managedAccount = (node?: string) => ({
  identity: attached(worker),
  properties: { autoStorage: { storageAccountId, authenticationMode: "BatchAccountManagedIdentity", ...(node === undefined ? {} : { nodeIdentityReference: { resourceId: node } }) } },
});
const httpFile = (identity: string) => ({ httpUrl: "https://renderstore.blob.core.windows.net/c/a.bin", filePath: "a.bin", identityReference: { resourceId: identity } });
const codes = (value: unknown) => diagnose(value).map((f) => `${f.code}@${f.path}`);

describe("diagnose: resolving pools and accounts", () => {
  it("matches poolInfo.poolId to pools[].name case-insensitively", () => {
    const bundle = { pools: [{ name: "Render", identity: attached(reader) }], jobs: [{ id: "j", poolInfo: { poolId: "RENDER" }, tasks: [{ id: "t", commandLine: "x", resourceFiles: [httpFile(reader)] }] }] };
    expect(diagnose(bundle)).toEqual([]);
  });

  it("checks tasks against the pool their job runs on, not another pool", () => {
    const bundle = {
      pools: [{ name: "a", identity: attached(reader) }, { name: "b", identity: attached(worker) }],
      jobs: [{ id: "j", poolInfo: { poolId: "b" }, tasks: [{ id: "t", commandLine: "x", resourceFiles: [httpFile(reader)] }] }],
    };
    expect(codes(bundle)).toEqual(["IDENTITY_NOT_IN_POOL@jobs[0].tasks[0].resourceFiles[0].identityReference"]);
  });

  it("warns UNKNOWN_POOL once per job and still applies the rules that do not depend on the pool", () => {
    const bundle = {
      account: managedAccount(),
      jobs: [{ id: "j", poolInfo: { poolId: "elsewhere" }, tasks: [
        { id: "t1", commandLine: "x", resourceFiles: [httpFile(reader)] },
        { id: "t2", commandLine: "x", resourceFiles: [{ httpUrl: "https://x/y" }] },
        { id: "t3", commandLine: "x", resourceFiles: [{ autoStorageContainerName: "inputs" }] },
      ] }],
    };
    expect(codes(bundle)).toEqual([
      "UNKNOWN_POOL@jobs[0].poolInfo.poolId",
      "RESOURCE_FILE_PATH_REQUIRED@jobs[0].tasks[1].resourceFiles[0].filePath",
      "NODE_IDENTITY_REFERENCE_MISSING@jobs[0].tasks[2].resourceFiles[0]",
    ]);
  });

  it("uses the account name from account.name, else 'account'", () => {
    const pool = { name: "p", identity: attached(worker), properties: { applicationPackages: [{ id: "ffmpeg" }] } };
    expect(diagnose({ account: { ...managedAccount(), name: "acct1" }, pools: [pool] })[0]?.message).toContain("account 'acct1'");
    expect(diagnose({ account: managedAccount(), pools: [pool] })[0]?.message).toContain("account 'account'");
  });

  it("treats a job without poolInfo as a shape error and keeps checking its tasks", () => {
    expect(codes({ jobs: [{ id: "j", tasks: [{ id: "t", commandLine: "x", resourceFiles: [{ httpUrl: "https://x/y" }] }] }] })).toEqual([
      "INVALID_SHAPE@jobs[0]",
      "RESOURCE_FILE_PATH_REQUIRED@jobs[0].tasks[0].resourceFiles[0].filePath",
    ]);
  });
});

describe("diagnose: bare bodies", () => {
  it("reads an ARM pool body (properties + identity) with paths into that body", () => {
    const pool = { identity: attached(reader), properties: { startTask: { commandLine: "x", resourceFiles: [httpFile(worker)] } } };
    expect(readDocument(pool, "")).toMatchObject({ ok: true, kind: "ARM pool" });
    expect(codes(pool)).toEqual(["IDENTITY_NOT_IN_POOL@properties.startTask.resourceFiles[0].identityReference"]);
  });

  it("reads an ARM account body (location or autoStorage) as an account", () => {
    const account = { location: "westeurope", identity: { type: "None" }, properties: { autoStorage: { storageAccountId, authenticationMode: "BatchAccountManagedIdentity" } } };
    expect(readDocument(account, "")).toMatchObject({ ok: true, kind: "ARM account" });
    expect(codes(account)).toEqual(["ACCOUNT_IDENTITY_REQUIRED@properties.autoStorage.authenticationMode"]);
  });

  it("reads a Batch job body (poolInfo) as a job", () => {
    expect(readDocument({ id: "j", poolInfo: { poolId: "p" } }, "")).toMatchObject({ ok: true, kind: "job" });
    expect(codes({ id: "j", poolInfo: { poolId: "p" } })).toEqual(["UNKNOWN_POOL@poolInfo.poolId"]);
  });

  it("accepts the empty object as an empty bundle", () => {
    expect(diagnose({})).toEqual([]);
  });
});

describe("diagnose: an empty start task", () => {
  it("is refused in data-plane pool bodies (StartTask requires commandLine there), allowed in ARM bodies", () => {
    // Before: [] for both data-plane bodies, and startTask: {} was passed on.
    expect(codes({ id: "p", vmSize: "STANDARD_D2S_V3", startTask: {} })).toEqual(["INVALID_SHAPE@startTask.commandLine"]);
    expect(codes({ startTask: {} })).toEqual(["INVALID_SHAPE@startTask.commandLine"]);
    expect(codes({ id: "p", vmSize: "STANDARD_D2S_V3", startTask: { commandLine: "x" } })).toEqual([]);
    expect(codes({ name: "p", properties: { vmSize: "STANDARD_D2S_V3", startTask: {} } })).toEqual([]);
  });
});

describe("diagnose: input it cannot use", () => {
  it.each([[[]], [null], ["bundle"], [42], [true], [undefined]])("top level %j: one INVALID_SHAPE at the root", (value) => {
    expect(codes(value)).toEqual(["INVALID_SHAPE@"]);
  });

  it("flags pools, jobs and account of the wrong type, and a job's tasks that are not an array", () => {
    expect(codes({ pools: {}, jobs: "x", account: [] })).toEqual(["INVALID_SHAPE@account", "INVALID_SHAPE@pools", "INVALID_SHAPE@jobs"]);
    expect(codes({ jobs: [{ id: "j", poolInfo: { autoPoolSpecification: {} }, tasks: 7 }] })).toEqual(["INVALID_SHAPE@jobs[0].tasks"]);
  });

  it("reports non-object pools, jobs and tasks instead of throwing", () => {
    expect(codes({ pools: [null, 3], jobs: ["x", { id: "j", poolInfo: { poolId: "p" }, tasks: [null] }] })).toContain("INVALID_SHAPE@jobs[1].tasks[0]");
  });
});

describe("diagnose: hostile input", () => {
  it("never follows or pollutes through __proto__ keys", () => {
    const text = `{"__proto__": {"polluted": true}, "pools": [{"name": "p", "__proto__": {"identity": {"type": "SystemAssigned"}},
      "properties": {"__proto__": {"startTask": {"resourceFiles": [{"httpUrl": "x"}]}}}}],
      "jobs": [{"id": "j", "poolInfo": {"__proto__": {"poolId": "p"}}, "tasks": [{"commandLine": "x", "resourceFiles": [{"__proto__": {"httpUrl": "x"}, "autoStorageContainerName": "c"}]}]}]}`;
    const findings = diagnose(JSON.parse(text));
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(({} as Record<string, unknown>)["identity"]).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("poolId");
    // The job's poolInfo has no own poolId: a shape finding, not a match through the prototype;
    // the top-level "__proto__" is a key a bundle does not have.
    expect(findings.map((f) => f.code)).toEqual(["UNKNOWN_BUNDLE_KEY", "INVALID_SHAPE"]);
  });

  it("survives deep nesting, huge strings and nulls everywhere", () => {
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) deep = { properties: deep, tasks: [deep] };
    expect(() => diagnose({ pools: [deep], jobs: [{ id: "j", poolInfo: { poolId: "x" }, tasks: [deep] }] })).not.toThrow();
    const huge = "x".repeat(5_000_000);
    expect(codes({ pools: [{ name: huge, identity: { type: "UserAssigned", userAssignedIdentities: { [huge]: {} } } }] })[0]).toMatch(/^INVALID_RESOURCE_ID@/);
    expect(() => diagnose({ account: null, pools: null, jobs: null })).not.toThrow();
    expect(() => diagnose({ pools: [{ name: null, identity: null, properties: null }], jobs: [{ id: null, poolInfo: null, tasks: null }] })).not.toThrow();
  });

  it("never throws on arbitrary JSON values, nor in bundle-shaped ones", () => {
    const json = fc.jsonValue({ maxDepth: 6 });
    const bundleish = fc.record({ account: json, pools: fc.array(json), jobs: fc.array(fc.record({ id: json, poolInfo: json, tasks: fc.array(json) })) }, { requiredKeys: [] });
    fc.assert(fc.property(fc.oneof(json, bundleish), (value) => Array.isArray(diagnose(value))), { numRuns: 500 });
  });
});
