import type { BatchAccount, BatchManagementClient, Pool } from "@azure/arm-batch";
import type { BatchServiceClient, CloudJob, CloudTask, ComputeNode } from "@azure/batch";
import type { Finding } from "../errors/issue.js";
import { canonicalIdentityId } from "../identity/resource-id.js";
import { checkAccount, checkPool, checkIdentityUsesOnPool } from "../rules/check.js";
import { accountFacts, poolFacts } from "../rules/facts.js";
import { fixes, messages } from "../rules/messages.js";
import { collect, everyItem } from "../client/paging.js";
import { liveFinding } from "./live-codes.js";
import { readJoinState } from "./node-logs.js";
import { isIdentityFailure, observationFinding, someIds } from "./observations.js";
import type { RoleChecker } from "./role-check.js";
import { staleNodes } from "./stale-nodes.js";
import { type StorageContext, type StorageNeed, storageNeeds } from "./storage-needs.js";

/**
 * The live check behind `client.doctor` and `typed-batch doctor`: reads the account, its pools,
 * their nodes and recent failed tasks, runs every offline rule over them (src/rules/check.ts),
 * checks the storage data roles the identities need, and explains what the nodes and tasks show.
 *
 * Requests: 1 account + 1 pool list (or 1 pool get) + per pool 1 node list (+3 for one stuck
 * node's logs when a log container is given) + 1 job list + 1 task list per job on the pools +
 * 1 role assignment list per distinct (principal, storage account); every list is read to its
 * last page (one more request per further page).
 */

/**
 * Progress of a doctor run.
 *
 * @example
 * ```ts
 * await client.doctor({ onProgress: (p: DoctorProgress) => console.error(`${p.step} ${p.done}/${p.total}`) });
 * ```
 */
export interface DoctorProgress {
  /** What is being read. */
  readonly step: "account" | "pools" | "permissions" | "nodes" | "tasks";
  /** Items done in this step. */
  readonly done: number;
  /** Items in this step. */
  readonly total: number;
}

/**
 * Options of `client.doctor`.
 *
 * @example
 * ```ts
 * const options: DoctorOptions = { pool: "render", logsContainerUrl: sasUrl, signal: AbortSignal.timeout(120_000) };
 * ```
 */
export interface DoctorOptions {
  /**
   * Check only this pool (and the jobs that run on it).
   * @default every pool of the account
   */
  readonly pool?: string;
  /** Cancels the run. @default never cancelled */
  readonly signal?: AbortSignal;
  /** Called as each step advances. @default none */
  readonly onProgress?: (progress: DoctorProgress) => void;
  /**
   * A container SAS URL (read, write, list) where a node stuck in Starting uploads its Batch
   * service logs, so the doctor can look for the TvmJoinPoolInProgress line.
   * @default none: stuck nodes are reported with their likely cause, without log evidence
   */
  readonly logsContainerUrl?: string;
  /**
   * How long a node may stay in Starting before it counts as stuck.
   * @default 900000 (15 minutes)
   */
  readonly startingTimeoutMs?: number;
}

/**
 * What the doctor talks to.
 *
 * @example
 * ```ts
 * const context: DoctorContext = { management, batch, roles: new RoleChecker(auth), subscriptionId, resourceGroup: "render", accountName: "acct" };
 * ```
 */
export interface DoctorContext {
  /** ARM client. */
  readonly management: BatchManagementClient;
  /** Data-plane client. */
  readonly batch: BatchServiceClient;
  /** Role assignment reader (shared with the preflight, so its cache is too). */
  readonly roles: RoleChecker;
  /** Subscription of the account. */
  readonly subscriptionId: string;
  /** Resource group of the account. */
  readonly resourceGroup: string;
  /** Account name. */
  readonly accountName: string;
  /** Extra CA to trust when reading node logs back. @default the system's trust store */
  readonly tlsCa?: string;
}

const poolBase = (name: string) => `pools["${name}"]`;

/** Principal ids of a pool's (or account's) user-assigned identities, by canonical id. */
function principalsOf(identity: { userAssignedIdentities?: Record<string, { principalId?: string }> } | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const [id, value] of Object.entries(identity?.userAssignedIdentities ?? {})) {
    if (value?.principalId !== undefined) map.set(canonicalIdentityId(id), value.principalId);
  }
  return map;
}

function displayOf(canonicalId: string, written: Iterable<string>): string {
  for (const w of written) if (canonicalIdentityId(w) === canonicalId) return w;
  return canonicalId;
}

/** Checks the storage permissions in `needs` and turns the gaps into findings. */
async function permissionFindings(needs: readonly StorageNeed[], principals: ReadonlyMap<string, string>, ids: readonly string[], ctx: DoctorContext, signal: AbortSignal | undefined): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const need of needs) {
    const who = displayOf(need.identity, ids);
    if (need.storage.kind === "unresolved") {
      out.push(liveFinding("STORAGE_UNRESOLVED", need.path, messages.storageUnresolved(need.storage.source, need.what, who), fixes.storageUnresolved.json(who)));
      continue;
    }
    const principal = principals.get(need.identity);
    if (principal === undefined) continue; // not on the pool: the offline rules report it
    const verdict = await ctx.roles.check(principal, need.storage.id, { access: need.access, ...(signal && { signal }) });
    if (verdict.status === "granted") continue;
    const assumed = need.storage.assumed ? ` (assuming storage account '${need.storage.name}' is in resource group '${ctx.resourceGroup}')` : "";
    if (verdict.status === "unknown") {
      out.push(liveFinding("PERMISSION_UNKNOWN", need.path, messages.permissionUnknown(`'${who}'`, need.access, need.storage.id, need.what, verdict.reason, assumed), fixes.permissionUnknown.json(`'${who}'`)));
      continue;
    }
    out.push(liveFinding("PERMISSION_MISSING", need.path, messages.permissionMissingFor(who, need.storage.id, need.what, need.access, assumed), fixes.permissionMissing.json(who, need.storage.id, need.access), need.scenario));
  }
  return out;
}

/** The account's own identity on autostorage: without a write role, package uploads fail with 409 AutoStorageNoPermission. */
async function accountPermission(account: BatchAccount, ctx: DoctorContext, signal: AbortSignal | undefined): Promise<Finding[]> {
  const auto = account.autoStorage;
  if (auto?.authenticationMode !== "BatchAccountManagedIdentity" || account.identity === undefined || account.identity.type === "None") return [];
  const principals: Array<[string, string]> =
    account.identity.type === "SystemAssigned"
      ? account.identity.principalId === undefined ? [] : [["the account's system-assigned identity", account.identity.principalId]]
      : [...principalsOf(account.identity)].map(([id, p]) => [displayOf(id, Object.keys(account.identity?.userAssignedIdentities ?? {})), p]);
  if (principals.length === 0) return [];
  const verdicts = await Promise.all(principals.map(([, p]) => ctx.roles.check(p, auto.storageAccountId, { access: "write", ...(signal && { signal }) })));
  if (verdicts.some((v) => v.status === "granted")) return [];
  const path = "account.autoStorage";
  const unknown = verdicts.find((v) => v.status === "unknown");
  const names = principals.map(([n]) => n).join(", ");
  if (unknown !== undefined && unknown.status === "unknown") {
    return [liveFinding("PERMISSION_UNKNOWN", path, messages.permissionUnknown(names, "write", auto.storageAccountId, "application package uploads", unknown.reason), fixes.permissionUnknown.json(names))];
  }
  return [
    liveFinding("PERMISSION_MISSING", path, messages.accountPermissionMissing(names, auto.storageAccountId), fixes.accountPermissionMissing.json(names, auto.storageAccountId)),
  ];
}

const asDate = (d: Date | string | undefined): Date | undefined => (d === undefined ? undefined : new Date(d));

/** Findings for what one pool's nodes show. */
async function nodeFindings(pool: Pool, nodes: readonly ComputeNode[], config: readonly Finding[], ctx: DoctorContext, options: DoctorOptions): Promise<{ findings: Finding[]; unexplained: Set<string> }> {
  const name = pool.name ?? "";
  const base = poolBase(name);
  const findings: Finding[] = [];
  const unexplained = new Set<string>();
  // Group by what was seen so a pool of 500 broken nodes gives one finding, not 500.
  const groups = new Map<string, { state: string; code: string; message: string; ids: string[] }>();
  const add = (state: string, code: string, message: string, id: string) => {
    const key = `${state}|${code}`;
    const g = groups.get(key) ?? { state, code, message, ids: [] };
    g.ids.push(id);
    groups.set(key, g);
  };
  const now = Date.now();
  const timeout = options.startingTimeoutMs ?? 15 * 60_000;
  const stuck: string[] = [];
  for (const node of nodes) {
    const id = node.id ?? "";
    for (const e of node.errors ?? []) if (e.code !== undefined && isIdentityFailure(e.code)) add(node.state ?? "", e.code, e.message ?? "", id);
    const startFailure = node.startTaskInfo?.failureInfo;
    if (node.state === "starttaskfailed" && startFailure?.code !== undefined && isIdentityFailure(startFailure.code)) add("starttaskfailed", startFailure.code, startFailure.message ?? "", id);
    if (node.state === "starting") {
      const since = asDate(node.stateTransitionTime)?.getTime() ?? now;
      const predicted = config.some((f) => f.code === "NODE_IDENTITY_REFERENCE_MISSING" && /applicationPackages/.test(f.path));
      if (predicted || now - since >= timeout) stuck.push(id);
    }
  }
  for (const g of groups.values()) {
    const state = g.state === "starttaskfailed" ? "failed their start task" : `are ${g.state}`;
    const f = observationFinding({ kind: "node", path: `${base}.nodes`, seen: `${g.ids.length} node(s) of pool '${name}' (${someIds(g.ids)}) ${state}`, azureCode: g.code, azureMessage: g.message }, config);
    if (f.code === ("NODE_FAILURE" as Finding["code"])) for (const id of g.ids) unexplained.add(id);
    findings.push(f);
  }
  if (stuck.length > 0) {
    const first = stuck[0] ?? "";
    let evidence = "node logs not read: pass a log container (logsContainerUrl / --logs-container) to confirm from agent-debug.log";
    let joinPending = true;
    if (options.logsContainerUrl !== undefined) {
      const since = new Date(Date.now() - 24 * 3600_000);
      const read = await readJoinState(ctx.batch, name, first, options.logsContainerUrl, { since, ...(ctx.tlsCa !== undefined && { ca: ctx.tlsCa }), ...(options.signal && { signal: options.signal }) });
      if (read.ok) {
        joinPending = read.joinPending;
        evidence = read.joinPending ? `agent-debug.log of '${first}' says "${read.line ?? ""}"` : `agent-debug.log of '${first}' has no TvmJoinPoolInProgress line`;
      } else {
        evidence = `node logs not read: ${read.reason}`;
      }
    }
    if (joinPending) {
      const f = observationFinding({ kind: "node", path: `${base}.nodes`, seen: `${stuck.length} node(s) of pool '${name}' (${someIds(stuck)}) are stuck in Starting`, azureCode: "TvmJoinPoolInProgress", evidence }, config);
      if (f.code === ("NODE_FAILURE" as Finding["code"])) for (const id of stuck) unexplained.add(id);
      findings.push(f);
    }
  }
  return { findings, unexplained };
}

/** The pool a job runs on, as the task checks need it. */
interface JobTarget {
  readonly pool: Pool;
  readonly config: readonly Finding[];
  readonly facts: ReturnType<typeof poolFacts>;
}

/**
 * Findings for a job's recent failed tasks, grouped by failure code. The first task of each group
 * is checked like a configuration (rules and storage roles, the role requests being cached), so
 * its cause can confirm what the group shows.
 */
async function taskFindings(jobId: string, tasks: AsyncIterable<CloudTask>, target: JobTarget, storage: StorageContext, ctx: DoctorContext, signal: AbortSignal | undefined): Promise<Finding[]> {
  const groups = new Map<string, { message: string; ids: string[]; first: CloudTask }>();
  for await (const t of tasks) {
    const info = t.executionInfo;
    if (info?.result !== "failure" || info.failureInfo?.code === undefined || !isIdentityFailure(info.failureInfo.code)) continue;
    const code = info.failureInfo.code;
    const g = groups.get(code) ?? { message: info.failureInfo.message ?? "", ids: [], first: t };
    g.ids.push(t.id ?? "");
    groups.set(code, g);
  }
  const out: Finding[] = [];
  for (const [code, g] of groups) {
    const base = `jobs["${jobId}"].tasks["${g.first.id ?? ""}"]`;
    // The task's own identity uses, checked by the same engine.
    const config = checkIdentityUsesOnPool("task", g.first, target.facts, { dialect: "sdk", voice: "json", base });
    const ids = Object.keys(target.pool.identity?.userAssignedIdentities ?? {});
    config.push(...(await permissionFindings(storageNeeds("task", g.first, base, storage), principalsOf(target.pool.identity), ids, ctx, signal)));
    out.push(observationFinding({ kind: "task", path: `jobs["${jobId}"].tasks`, seen: `${g.ids.length} task(s) of job '${jobId}' (${someIds(g.ids)}) failed`, azureCode: code, azureMessage: g.message }, [...config, ...target.config]));
  }
  return out;
}

/**
 * Runs the live check.
 *
 * @example
 * ```ts
 * const findings = await runDoctor(context, { pool: "render" });
 * ```
 */
export async function runDoctor(ctx: DoctorContext, options: DoctorOptions = {}): Promise<Finding[]> {
  const { signal } = options;
  const abort = signal ? { abortSignal: signal } : {};
  const progress = (step: DoctorProgress["step"], done: number, total: number) => options.onProgress?.({ step, done, total });
  const out: Finding[] = [];

  progress("account", 0, 1);
  const account = await ctx.management.batchAccountOperations.get(ctx.resourceGroup, ctx.accountName, abort);
  out.push(...checkAccount(account, ctx.accountName, { dialect: "sdk", voice: "json", base: "account" }));
  const facts = accountFacts(account, "sdk", ctx.accountName);
  progress("account", 1, 1);

  progress("pools", 0, 1);
  const pools =
    options.pool !== undefined
      ? [await ctx.management.poolOperations.get(ctx.resourceGroup, ctx.accountName, options.pool, abort)]
      : await collect(ctx.management.poolOperations.listByBatchAccount(ctx.resourceGroup, ctx.accountName, abort));
  progress("pools", 1, 1);

  const storage: StorageContext = {
    subscriptionId: ctx.subscriptionId,
    resourceGroup: ctx.resourceGroup,
    ...(account.autoStorage?.storageAccountId !== undefined && { autoStorageId: account.autoStorage.storageAccountId }),
    ...(account.autoStorage !== undefined && { autoStorageMode: account.autoStorage.authenticationMode ?? "StorageKeys" }),
    ...(facts.nodeIdentity !== undefined && { nodeIdentity: facts.nodeIdentity.canonicalId }),
  };

  progress("permissions", 0, pools.length + 1);
  out.push(...(await accountPermission(account, ctx, signal)));
  const configByPool = new Map<string, { pool: Pool; config: Finding[]; facts: ReturnType<typeof poolFacts> }>();
  for (const [i, pool] of pools.entries()) {
    const name = pool.name ?? "";
    const base = poolBase(name);
    const pf = poolFacts(pool, name, facts);
    const config = checkPool(pool, pf, { dialect: "sdk", voice: "json", base });
    const ids = Object.keys(pool.identity?.userAssignedIdentities ?? {});
    const needs = storageNeeds("pool", pool, base, storage);
    // A node identity on a pool without packages is there for autostorage resource files (table 2).
    if (!needs.some((n) => n.scenario !== undefined) && storage.nodeIdentity !== undefined && storage.autoStorageMode === "BatchAccountManagedIdentity" && storage.autoStorageId !== undefined && pf.identities.has(storage.nodeIdentity)) {
      needs.push({ identity: storage.nodeIdentity, storage: { kind: "resolved", id: storage.autoStorageId, name: storage.autoStorageId.split("/").pop() ?? "", assumed: false }, access: "read", path: `${base}.identity`, what: "autostorage resource files of tasks on this pool", scenario: "resource-files#2" });
    }
    config.push(...(await permissionFindings(needs, principalsOf(pool.identity), ids, ctx, signal)));
    configByPool.set(name.toLowerCase(), { pool, config, facts: pf });
    out.push(...config);
    progress("permissions", i + 2, pools.length + 1);
  }

  progress("nodes", 0, pools.length);
  let done = 0;
  for (const { pool, config } of configByPool.values()) {
    const name = pool.name ?? "";
    const nodes = await collect(everyItem(() => ctx.batch.computeNode.list(name, abort as never), (link) => ctx.batch.computeNode.listNext(link, abort as never)));
    const seen = await nodeFindings(pool, nodes, config, ctx, options);
    out.push(...seen.findings);
    const stale = staleNodes({
      pool: name,
      base: poolBase(name),
      lastModified: asDate(pool.lastModified),
      creationTime: asDate(pool.creationTime),
      identityCount: Object.keys(pool.identity?.userAssignedIdentities ?? {}).length,
      nodes: nodes.map((n) => ({ id: n.id ?? "", allocationTime: asDate(n.allocationTime) })),
      unexplainedFailures: seen.unexplained,
    });
    if (stale !== undefined) out.push(stale);
    progress("nodes", ++done, pools.length);
  }

  const jobs: CloudJob[] = [];
  for await (const j of everyItem(() => ctx.batch.job.list(abort as never), (link) => ctx.batch.job.listNext(link, abort as never))) {
    if (configByPool.has((j.poolInfo?.poolId ?? "").toLowerCase())) jobs.push(j);
  }
  progress("tasks", 0, jobs.length);
  for (const [i, job] of jobs.entries()) {
    const target = configByPool.get((job.poolInfo?.poolId ?? "").toLowerCase());
    if (target === undefined || job.id === undefined) continue;
    // The service filters; the client-side check covers services that ignore $filter.
    const jobId = job.id;
    const failed = everyItem(
      () => ctx.batch.task.list(jobId, { taskListOptions: { filter: "executionInfo/result eq 'failure'" }, ...abort } as never),
      (link) => ctx.batch.task.listNext(link, abort as never),
    );
    out.push(...(await taskFindings(job.id, failed, target, storage, ctx, signal)));
    progress("tasks", i + 1, jobs.length);
  }
  return out;
}
