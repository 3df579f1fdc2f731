/**
 * The article's eight outcomes, each set up twice against the local emulator: once through the raw
 * Azure SDKs (what happens today) and once through typed-batch (what it does instead).
 */
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { BatchManagementClient, type Pool } from "@azure/arm-batch";
import { BatchServiceClient, type TaskAddParameter } from "@azure/batch";
import { AzureIdentityCredentialAdapter } from "@azure/ms-rest-js";
import { randomUUID } from "node:crypto";
import {
  batchAccount, createBatchClient, job, pool, resourceFile, task, TypedBatchError, userAssignedIdentity, validatePool, validateTask,
  type Finding,
} from "typed-batch";
import type { Emulator } from "typed-batch/testing";

/** One row of the article's tables and what each path led to. */
export interface ScenarioOutcome {
  /** `application-packages#N` or `resource-files#N`. */
  readonly scenario: string;
  /** The set-up in words. */
  readonly setup: string;
  /** What the raw SDK path led to (node state / task failure). */
  readonly raw: string;
  /** What typed-batch did. */
  readonly typed: string;
  /** Findings when typed-batch refused the spec. */
  readonly refused: readonly Finding[];
  /** Requests typed-batch sent for its attempt when the guard refused it (0), else -1. */
  readonly typedRequests: number;
}

const readerRole = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
const contributorRole = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

interface Row {
  readonly table: "application-packages" | "resource-files";
  readonly row: 1 | 2 | 3 | 4;
  readonly nodeIdentityGiven: boolean;
  readonly permission: boolean;
  readonly samePoolIdentity: boolean;
}

const rows: Row[] = (["application-packages", "resource-files"] as const).flatMap((table) => [
  { table, row: 1 as const, nodeIdentityGiven: true, permission: true, samePoolIdentity: true },
  { table, row: 2 as const, nodeIdentityGiven: true, permission: false, samePoolIdentity: true },
  { table, row: 3 as const, nodeIdentityGiven: false, permission: true, samePoolIdentity: true },
  { table, row: 4 as const, nodeIdentityGiven: true, permission: true, samePoolIdentity: false },
]);

function describeSetup(r: Row): string {
  return [
    r.nodeIdentityGiven ? "node identity reference given" : "no node identity reference",
    r.permission ? "identity has a storage role" : "identity has no storage role",
    r.samePoolIdentity ? "pool carries that identity" : "pool carries a different identity",
  ].join(", ");
}

let counter = 0;

/** Runs one row both ways. */
async function runRow(em: Emulator, r: Row): Promise<ScenarioOutcome> {
  const n = ++counter;
  const arm = new BatchManagementClient(em.credential, em.subscriptionId, em.armClientOptions);
  const auth = new AuthorizationManagementClient(em.credential, em.subscriptionId, em.armClientOptions);
  const rg = em.resourceGroup;
  const storageId = em.createStorageAccount(`autostore${n}`);
  const workerIds = em.createIdentity(`worker${n}`);
  const otherIds = em.createIdentity(`other${n}`);
  const worker = userAssignedIdentity(workerIds.resourceId, "worker");
  const other = userAssignedIdentity(otherIds.resourceId, "other");

  // The account, written with typed-batch's builder; both paths create the same one.
  const accountName = `acct${n}`;
  const autoStorage = { storageAccountId: storageId, authenticationMode: "BatchAccountManagedIdentity" } as const;
  const account = r.nodeIdentityGiven
    ? batchAccount(accountName, { location: em.location }).withSystemAssignedIdentity().withAutoStorage({ ...autoStorage, nodeIdentity: worker }).build()
    : batchAccount(accountName, { location: em.location }).withSystemAssignedIdentity().withAutoStorage(autoStorage).build();
  const created = await arm.batchAccountOperations.beginCreateAndWait(rg, accountName, account.toArm());
  const grant = (principalId: string, role: string) =>
    auth.roleAssignments.create(storageId, randomUUID(), { roleDefinitionId: `/subscriptions/${em.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${role}`, principalId });
  await grant(created.identity?.principalId ?? "", contributorRole); // the account uploads packages
  if (r.permission) await grant(workerIds.principalId, readerRole);
  const pkg = await arm.applicationPackageOperations.create(rg, accountName, "ffmpeg", "6.1");
  await em.uploadBlob(pkg.storageUrl ?? "", "ffmpeg 6.1"); // activation needs the uploaded package
  await arm.applicationPackageOperations.activate(rg, accountName, "ffmpeg", "6.1", { format: "zip" });
  em.seedBlob(`autostore${n}`, "inputs", "scene/frame.txt", "frame data");

  const poolIdentity = r.samePoolIdentity ? workerIds.resourceId : otherIds.resourceId;
  const packages = r.table === "application-packages";
  const rawPool: Pool = {
    name: "render",
    identity: { type: "UserAssigned", userAssignedIdentities: { [poolIdentity]: {} } },
    vmSize: "STANDARD_D2S_V3",
    scaleSettings: { fixedScale: { targetDedicatedNodes: 1 } },
    ...(packages && { applicationPackages: [{ id: "ffmpeg", version: "6.1" }] }),
  };
  const rawTask: TaskAddParameter = { id: "frame-1", commandLine: "render.sh", resourceFiles: [{ autoStorageContainerName: "inputs", blobPrefix: "scene/" }] };

  // 1. Raw SDKs: everything is accepted; the failure shows up on the node or the task.
  const rawOutcome = await runRaw(em, arm, accountName, rawPool, packages ? undefined : rawTask);

  // 2. typed-batch: the same configuration, refused before any request when the article predicts failure.
  const before = em.requests.length;
  const client = createBatchClient(em.clientConfigFor(accountName));
  let typed: string;
  let refused: readonly Finding[] = [];
  const poolJson = { ...rawPool, name: "render-typed" };
  const poolCheck = validatePool(poolJson, { account });
  const taskCheck = packages ? undefined : validateTask(rawTask, { job: { id: "frames-typed", poolInfo: { poolId: "render-typed" } }, pool: poolJson, account });
  const problems = [...poolCheck.issues, ...(taskCheck?.issues ?? [])].filter((i) => i.severity === "error");
  if (problems.length > 0) {
    refused = problems;
    typed = `refused before any request: ${problems.map((p) => `${p.code} (${p.scenario ?? "no scenario"})`).join(", ")}`;
  } else {
    // Only rows 1 and 2 get here: the builders accept them, because permissions are live-only. The
    // client's permission preflight reads the role assignments and, with strictPermissions, stops row 2.
    const typedPool = pool("render-typed", account)
      .withIdentities(r.samePoolIdentity ? worker : other)
      .withProperties({ vmSize: "STANDARD_D2S_V3", scaleSettings: { fixedScale: { targetDedicatedNodes: 1 } } });
    const built = packages ? typedPool.withApplicationPackages({ id: "ffmpeg", version: "6.1" }).build() : typedPool.build();
    try {
      await client.pools.create(built, { strictPermissions: true });
      if (!packages) {
        const frames = job("frames-typed", built).build();
        await client.jobs.create(frames);
        const frame = task("frame-1", frames).withCommandLine("render.sh").withResourceFile(resourceFile.fromAutoStorageContainer("inputs", { blobPrefix: "scene/" })).build();
        await client.tasks.addMany(frames, [frame], { strictPermissions: true });
      }
      em.settle();
      typed = `created; ${await observe(em, accountName, "render-typed", packages ? undefined : "frames-typed")}`;
    } catch (error) {
      if (!TypedBatchError.is(error)) throw error;
      refused = error.issues;
      typed = `stopped by the permission preflight before the ${packages ? "pool" : "task"} was sent: ${error.issues.map((p) => `${p.code} (${p.scenario ?? "no scenario"})`).join(", ")}`;
    }
  }
  return {
    scenario: `${r.table}#${r.row}`,
    setup: describeSetup(r),
    raw: rawOutcome,
    typed,
    refused,
    typedRequests: problems.length > 0 ? em.requests.length - before : -1,
  };
}

async function runRaw(em: Emulator, arm: BatchManagementClient, accountName: string, rawPool: Pool, rawTask: TaskAddParameter | undefined): Promise<string> {
  const { name, ...body } = rawPool;
  await arm.poolOperations.create(em.resourceGroup, accountName, name ?? "render", body);
  if (rawTask !== undefined) {
    const batch = new BatchServiceClient(new AzureIdentityCredentialAdapter(em.credential, "https://batch.core.windows.net//.default"), em.batchAccountUrl(accountName), em.batchClientOptions);
    await batch.job.add({ id: "frames", poolInfo: { poolId: name ?? "render" } });
    await batch.task.add("frames", rawTask);
  }
  em.settle();
  return observe(em, accountName, name ?? "render", rawTask ? "frames" : undefined);
}

/** Reads node or task state through the raw data-plane SDK, as a person would in the portal. */
async function observe(em: Emulator, accountName: string, poolName: string, jobId: string | undefined): Promise<string> {
  const batch = new BatchServiceClient(new AzureIdentityCredentialAdapter(em.credential, "https://batch.core.windows.net//.default"), em.batchAccountUrl(accountName), em.batchClientOptions);
  if (jobId !== undefined) {
    const t = await batch.task.get(jobId, "frame-1");
    const failure = t.executionInfo?.failureInfo;
    return failure ? `task failed: ${failure.code} "${failure.message}"` : `task ${t.state}, exit code ${t.executionInfo?.exitCode ?? "?"}`;
  }
  const nodes = await batch.computeNode.list(poolName);
  const node = nodes[0];
  if (node === undefined) return "no node";
  const packages = em.nodeFiles(accountName, poolName, node.id ?? "").some((f) => f.startsWith("root/applications/"));
  const errors = (node.errors ?? []).map((e) => `${e.code} "${e.message}"`).join("; ");
  return `node ${node.state}${errors ? ` with ${errors}` : ""}, package ${packages ? "downloaded to root/applications" : "not downloaded"}`;
}

/** Runs the eight rows of the article's two tables. */
export async function runArticleScenarios(em: Emulator): Promise<ScenarioOutcome[]> {
  const out: ScenarioOutcome[] = [];
  for (const r of rows) out.push(await runRow(em, r));
  return out;
}
