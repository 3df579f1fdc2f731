// The permission preflight of pools.create and tasks.addMany against the emulator's RBAC.
import { AzureLogger, setLogLevel } from "@azure/logger";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { batchAccount, createBatchClient, job, pool, resourceFile, task, TypedBatchError, userAssignedIdentity } from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/testing/index.js";
import { scene, type Scene } from "./support.js";

let em: Emulator;
const logged: string[] = [];
const originalLog = AzureLogger.log;

beforeAll(async () => {
  em = await startEmulator();
  AzureLogger.log = (...args: unknown[]) => void logged.push(args.map(String).join(" "));
  setLogLevel("warning");
});
afterEach(() => {
  logged.length = 0;
});
afterAll(async () => {
  AzureLogger.log = originalLog;
  await em.stop();
});

/** The scene's account and a pool with packages, written with the builders. */
function specs(s: Scene, poolName: string) {
  const worker = userAssignedIdentity(s.worker.resourceId, "worker");
  const account = batchAccount(s.account, { location: em.location })
    .withSystemAssignedIdentity()
    .withAutoStorage({ storageAccountId: s.storageId, authenticationMode: "BatchAccountManagedIdentity", nodeIdentity: worker })
    .build();
  const render = pool(poolName, account).withIdentities(worker).withProperties({ vmSize: "STANDARD_D2S_V3", scaleSettings: { fixedScale: { targetDedicatedNodes: 0 } } });
  return { worker, account, withPackages: render.withApplicationPackages({ id: "ffmpeg", version: "6.1" }).build(), plain: render.build() };
}

const poolWrites = (name: string) => em.requests.filter((r) => r.method === "PUT" && r.path.endsWith(`/pools/${name}`)).length;
const roleReads = () => em.requests.filter((r) => /roleAssignments/i.test(r.path)).length;

describe("pools.create", () => {
  test("a node identity without a data role: warns through @azure/logger and creates the pool (row 2 ahead of time)", async () => {
    const s = await scene(em, { workerRole: false });
    const { withPackages } = specs(s, "render");
    await createBatchClient(em.clientConfigFor(s.account)).pools.create(withPackages);
    expect(poolWrites("render")).toBe(1);
    const warning = logged.find((l) => l.includes("PERMISSION_MISSING"));
    expect(warning).toContain("docworker");
    expect(warning).toContain(s.storageId.toLowerCase().split("/").pop());
  });

  test("strictPermissions refuses with PERMISSION_MISSING application-packages#2 and sends no pool", async () => {
    const s = await scene(em, { workerRole: false });
    const { withPackages } = specs(s, "strict");
    em.requests.clear();
    const error = await createBatchClient(em.clientConfigFor(s.account)).pools.create(withPackages, { strictPermissions: true }).catch((e: unknown) => e);
    expect(TypedBatchError.is(error)).toBe(true);
    const issues = (error as TypedBatchError).issues;
    expect(issues.map((i) => [i.code, i.path, i.scenario])).toEqual([["PERMISSION_MISSING", "applicationPackages[0]", "application-packages#2"]]);
    expect(poolWrites("strict")).toBe(0);
  });

  test("strict at client level; a granted role passes; preflight: false sends no role request", async () => {
    const s = await scene(em);
    const { withPackages, plain } = specs(s, "ok");
    const client = createBatchClient({ ...em.clientConfigFor(s.account), strictPermissions: true });
    await client.pools.create(withPackages);
    expect(poolWrites("ok")).toBe(1);
    expect(logged.filter((l) => l.includes("PERMISSION_MISSING"))).toEqual([]);

    const bare = await scene(em, { workerRole: false });
    const off = specs(bare, "off");
    em.requests.clear();
    await createBatchClient({ ...em.clientConfigFor(bare.account), strictPermissions: true }).pools.create(off.withPackages, { preflight: false });
    expect(roleReads()).toBe(0);
    expect(poolWrites("off")).toBe(1);
    // A pool that reads nothing from storage needs no role and asks for none.
    em.requests.clear();
    await client.pools.create(specs(s, "plain").plain);
    expect(roleReads()).toBe(0);
  });
});

describe("tasks.addMany", () => {
  test("autostorage resource files: strict refuses before any task is sent; each pair is checked once", async () => {
    const s = await scene(em, { workerRole: false });
    const { plain } = specs(s, "files");
    const client = createBatchClient({ ...em.clientConfigFor(s.account), preflight: false });
    await client.pools.create(plain);
    const frames = job("frames", plain).build();
    await client.jobs.create(frames);
    const tasks = Array.from({ length: 250 }, (_, i) => task(`t${i}`, frames).withCommandLine("render.sh").withResourceFile(resourceFile.fromAutoStorageContainer("inputs")).build());
    em.requests.clear();
    const error = await client.tasks.addMany(frames, tasks, { strictPermissions: true, preflight: true }).catch((e: unknown) => e);
    expect(TypedBatchError.is(error) && error.issues.map((i) => [i.code, i.scenario])).toEqual([["PERMISSION_MISSING", "resource-files#2"]]);
    expect(em.requests.filter((r) => r.path.endsWith("/addtaskcollection"))).toHaveLength(0);

    em.grantRole({ principalId: s.worker.principalId, role: "Storage Blob Data Reader", scope: s.storageId });
    const fresh = createBatchClient({ ...em.clientConfigFor(s.account), strictPermissions: true });
    em.requests.clear();
    await fresh.tasks.addMany(frames, tasks);
    // Passed the preflight: all three chunks went out, after one role request for the one pair.
    expect(em.requests.filter((r) => r.path.endsWith("/addtaskcollection")).length).toBeGreaterThanOrEqual(3);
    expect(roleReads()).toBe(1);
  });

  test("a URL file's identity on another storage account of the resource group is checked too (warning by default)", async () => {
    const s = await scene(em);
    const { plain, worker } = specs(s, "urls");
    const client = createBatchClient({ ...em.clientConfigFor(s.account), preflight: false });
    await client.pools.create(plain);
    const frames = job("urls", plain).build();
    await client.jobs.create(frames);
    em.seedBlob("docurls", "models", "m.bin", "model");
    const t = task("u1", frames).withCommandLine("x").withResourceFile(resourceFile.fromHttpUrl(em.blobUrl("docurls", "models", "m.bin"), { filePath: "m.bin", identity: worker })).build();
    em.requests.clear();
    await createBatchClient(em.clientConfigFor(s.account)).tasks.addMany(frames, [t]);
    expect(em.requests.filter((r) => r.path.endsWith("/addtaskcollection")).length).toBeGreaterThanOrEqual(1);
    expect(logged.find((l) => l.includes("PERMISSION_MISSING"))).toContain("storageAccounts/docurls");
  });
});
