/**
 * Runs a configuration against the emulator through the raw Azure SDK clients and reads back what
 * Azure's behaviour made of it, then compares that with the guards' verdict.
 *
 * "Fails for identity reasons", from the emulator's observable outcomes (every role is granted, every
 * blob and container exists, every package is active, so nothing else can fail):
 * - account: ARM refuses the create (400: `AccountIdentityRequired`, `MissingIdentityIds`, ...);
 * - pool: ARM refuses the create, or its node does not become usable: `starting` (join stuck,
 *   TvmJoinPoolInProgress), `unusable` (ApplicationPackageError, ContainerInvalidImage,
 *   MountConfigurationError), `starttaskfailed`, or a start task that failed (waitForSuccess false);
 * - job: the job manager task fails with an identity code, or the job preparation task fails on the
 *   node (its tasks go back to active and do not run there), or the job release task fails when the
 *   job is terminated (both read from `jobpreparationandreleasetaskstatus`);
 * - task: the task fails with an identity code: ResourceContainerAccessDenied,
 *   ResourceContainerListMiscError, BlobDownloadMiscError, BlobAccessDenied, FileUploadMiscError,
 *   FileUploadAccessDenied, ContainerInvalidImage, ApplicationPackageError.
 * A later layer is only observable when the earlier ones worked (a task never runs on an unusable node).
 */
import type { BatchManagementClient } from "@azure/arm-batch";
import type { BatchServiceClient } from "@azure/batch";
import type { Emulator } from "typed-batch/testing";
import type { SiteOwner } from "../../src/rules/sites.js";
import { codeVerdict } from "./failure-codes.js";
import { accepted, type Config, guardVerdict, type GuardVerdict, toJson, type World } from "./model.js";

export const IDENTITY_TASK_CODES = new Set([
  "ResourceContainerAccessDenied",
  "ResourceContainerListMiscError",
  "BlobDownloadMiscError",
  "BlobAccessDenied",
  "FileUploadMiscError",
  "FileUploadAccessDenied",
  "ContainerInvalidImage",
  "MountConfigurationError",
  "ApplicationPackageError",
]);

/** What happened in the emulator, per layer; `undefined` = not observable (an earlier layer failed). */
export interface Outcome {
  readonly account: string | null;
  readonly pool: string | null | undefined;
  readonly job: string | null | undefined;
  readonly tasks: readonly (string | null | undefined)[];
}

export interface Harness {
  readonly em: Emulator;
  readonly arm: BatchManagementClient;
  batch(account: string): BatchServiceClient;
  readonly world: World;
}

/** Identities, roles, storage and blobs every run uses. */
export function worldFor(em: Emulator): World {
  const ids = [0, 1, 2].map((i) => em.createIdentity(`propid${i}`));
  for (const id of ids) em.grantRole({ principalId: id.principalId, role: "Storage Blob Data Contributor", scope: `/subscriptions/${em.subscriptionId}` });
  const storageAccountId = em.createStorageAccount("propstore");
  em.seedBlob("propstore", "inputs", "scene/frame.txt", "frame data");
  em.createContainer("propstore", "outputs");
  em.seedBlob("propmount", "data", "readme.txt", "mounted");
  return {
    ids: [ids[0]!.resourceId, ids[1]!.resourceId, ids[2]!.resourceId],
    storageAccountId,
    containerUrl: em.blobUrl("propstore", "inputs"),
    blobUrl: em.blobUrl("propstore", "inputs", "scene/frame.txt"),
    outputUrl: em.blobUrl("propstore", "outputs"),
    mountAccount: "propmount",
    mountContainer: "data",
    registryServer: "propreg.azurecr.io",
    location: em.location,
    autoContainer: "inputs",
  };
}

const codeOf = (e: unknown): string => {
  const x = e as { code?: unknown; statusCode?: unknown; message?: unknown };
  return `refused ${String(x.statusCode ?? "?")} ${typeof x.code === "string" ? x.code : String(x.message).slice(0, 80)}`;
};

let counter = 0;

/** Creates the configuration through the raw SDKs, settles once, and reads the outcome. */
export async function runInEmulator(h: Harness, cfg: Config): Promise<{ outcome: Outcome; account: string }> {
  const { em, arm, world } = h;
  const name = `prop${++counter}`;
  const json = toJson(cfg, world, { pool: "render", job: "frames" });
  const rg = em.resourceGroup;
  const none = { account: null, pool: undefined, job: undefined, tasks: cfg.tasks.map(() => undefined) };
  try {
    await arm.batchAccountOperations.beginCreateAndWait(rg, name, json.account as never, { updateIntervalInMs: 1 });
  } catch (e) {
    return { outcome: { ...none, account: codeOf(e) }, account: name };
  }
  if (cfg.account.autoStorage !== "none") em.seedApplicationPackage(name, "ffmpeg", "6.1");
  const { name: poolName, ...poolBody } = json.pool;
  try {
    await arm.poolOperations.create(rg, name, poolName, poolBody as never);
  } catch (e) {
    return { outcome: { ...none, pool: codeOf(e) }, account: name };
  }
  const batch = h.batch(name);
  let jobRefused: string | undefined;
  try {
    await batch.job.add(json.job as never);
    await batch.task.addCollection(json.job.id, json.tasks as never);
  } catch (e) {
    jobRefused = codeOf(e);
  }
  em.settle();
  const nodes = await batch.computeNode.list(poolName);
  const node = nodes[0];
  let pool: string | null = null;
  if (node === undefined) pool = "no node";
  else if (node.state !== "idle") pool = `node ${node.state}${(node.errors ?? []).map((e) => ` ${e.code}`).join("")}${node.startTaskInfo?.failureInfo ? ` starttask ${node.startTaskInfo.failureInfo.code}` : ""}`;
  else if (node.startTaskInfo?.result === "failure") pool = `start task failed ${node.startTaskInfo.failureInfo?.code ?? ""}`;
  if (pool !== null) return { outcome: { account: null, pool, job: undefined, tasks: cfg.tasks.map(() => undefined) }, account: name };
  if (jobRefused !== undefined) return { outcome: { account: null, pool: null, job: jobRefused, tasks: cfg.tasks.map(() => undefined) }, account: name };
  const listed = await batch.task.list(json.job.id);
  const byId = new Map(listed.map((t) => [t.id ?? "", t]));
  const failureOf = (id: string): string | undefined | "not run" => {
    const t = byId.get(id);
    if (t === undefined || t.state !== "completed") return "not run";
    return t.executionInfo?.failureInfo?.code ?? undefined;
  };
  // A failed preparation task sends the task back to active (TaskState.preparing): the failure is
  // read from the job's preparation and release task status, and the job's tasks do not run.
  const prepStatus = cfg.job.preparation !== undefined ? await batch.job.listPreparationAndReleaseTaskStatus(json.job.id) : [];
  const prepFailure = prepStatus.map((s) => s.jobPreparationTaskExecutionInfo?.failureInfo?.code).find((c) => c !== undefined);
  let job: string | null | undefined = prepFailure !== undefined ? `preparation task: ${prepFailure}` : null;
  const all = [...(cfg.job.manager ? ["manager"] : []), ...cfg.tasks.map((_, i) => `t${i}`)];
  for (const id of all) {
    const f = failureOf(id);
    if (f === "not run") {
      if (prepFailure === undefined) job ??= `task ${id} did not run`;
      continue;
    }
    if (f !== undefined && id === "manager") job ??= `manager task: ${f}`;
  }
  // Every task failed its own registry check before the preparation task could run: not observable.
  if (job === null && cfg.job.preparation !== undefined && prepStatus.length === 0) job = undefined;
  // The release task runs when the job ends, on the nodes that ran the preparation task.
  if (cfg.job.release !== undefined && prepStatus.length > 0) {
    await batch.job.terminate(json.job.id);
    em.settle();
    const status = await batch.job.listPreparationAndReleaseTaskStatus(json.job.id);
    const released = status.filter((s) => s.jobReleaseTaskExecutionInfo !== undefined);
    if (released.length === 0) job ??= "release task did not run";
    for (const s of released) {
      const code = s.jobReleaseTaskExecutionInfo?.failureInfo?.code;
      if (code !== undefined) job ??= `release task: ${code}`;
    }
  }
  const taskOutcomes: (string | null | undefined)[] = [];
  for (const [i] of cfg.tasks.entries()) {
    const f = failureOf(`t${i}`);
    taskOutcomes.push(f === "not run" ? undefined : f === undefined ? null : f);
  }
  return { outcome: { account: null, pool: null, job, tasks: taskOutcomes }, account: name };
}

const isIdentityFailure = (o: string | null | undefined): boolean => {
  if (o === null || o === undefined) return false;
  if (o.startsWith("refused") || o.startsWith("node") || o.startsWith("start task") || o.startsWith("no node") || o.includes("did not run")) return true;
  return [...IDENTITY_TASK_CODES].some((c) => o.includes(c));
};

/** One layer where the guard and the behaviour disagree. */
export interface Disagreement {
  readonly layer: string;
  readonly guard: readonly string[];
  readonly emulator: string | null;
}

/** Compares the guard's verdict with the outcome, layer by layer where observable, and overall. */
export function compare(verdict: GuardVerdict, outcome: Outcome): Disagreement[] {
  const out: Disagreement[] = [];
  const check = (layer: string, owner: SiteOwner, guard: readonly string[], emulator: string | null | undefined) => {
    if (emulator === undefined) return;
    if ((guard.length > 0) !== isIdentityFailure(emulator)) out.push({ layer, guard, emulator });
    // Sharper: where both see a failure, the Azure code must be one the site table's failure column
    // gives for the site and cause of the guard's findings (and the table must have one).
    else if (guard.length > 0 && emulator !== null) {
      const code = codeVerdict(owner, guard, emulator);
      if (code === "mismatch" || code === "no code in table") out.push({ layer: `${layer} (code${code === "mismatch" ? "" : ": none in the site table"})`, guard, emulator });
    }
  };
  check("account", "account", verdict.account, outcome.account);
  check("pool", "pool", verdict.pool, outcome.pool);
  check("job", "job", verdict.job, outcome.job);
  verdict.tasks.forEach((t, i) => check(`task t${i}`, "task", t, outcome.tasks[i]));
  // Overall: accepted everywhere ⇔ no identity failure anywhere.
  const anyFailure = [outcome.account, outcome.pool, outcome.job, ...outcome.tasks].some(isIdentityFailure);
  if (accepted(verdict) === anyFailure && out.length === 0) {
    out.push({ layer: "overall", guard: [verdict.account, verdict.pool, verdict.job, ...verdict.tasks].flat(), emulator: anyFailure ? "an identity failure" : "no failure" });
  }
  return out;
}

/** Runs one configuration: the guard's verdict, the emulator's outcome, and their disagreements. */
export async function checkOne(h: Harness, cfg: Config) {
  const verdict = guardVerdict(toJson(cfg, h.world, { pool: "render", job: "frames" }));
  const { outcome, account } = await runInEmulator(h, cfg);
  return { verdict, outcome, account, disagreements: compare(verdict, outcome) };
}
