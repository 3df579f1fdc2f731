import type { BatchAccount } from "@azure/arm-batch";
import type { CloudJob, CloudTask, ComputeNode, TaskAddParameter } from "@azure/batch";
import type { TokenCredential } from "@azure/core-auth";
import type { AutoStorageModeState, BatchAccountSpec } from "../account/account-spec.js";
import { TypedBatchError } from "../errors/typed-batch-error.js";
import type { Finding } from "../errors/issue.js";
import type { UserAssignedIdentity } from "../identity/user-assigned-identity.js";
import type { JobSpec, PoolTarget } from "../job/job-builder.js";
import type { AnyAccountSpec, PoolSpec } from "../pool/pool-spec.js";
import { checkIdentityUsesOnPool } from "../rules/check.js";
import { poolFacts } from "../rules/facts.js";
import { finding } from "../rules/finding.js";
import { fixes, messages } from "../rules/messages.js";
import type { Checked } from "../rules/type-checks.js";
import { validateAccount, validateJob, validateJobSchedule, validatePool } from "../rules/validate.js";
import type { JobScheduleSpec } from "../job-schedule/job-schedule-builder.js";
import type { JobPoolView } from "../job/job-builder.js";
import type { TaskSpec } from "../task/task-builder.js";
import { addMany, type AddManyOptions, type AddManyResult } from "./add-many.js";
import { azureCall } from "./azure-request-error.js";
import type { RetryOptions } from "./retry.js";
import { everyItem } from "./paging.js";
import { lazyRequire } from "../util/lazy-require.js";
import { guardedTask, placementOf, requireSpec } from "./spec-guard.js";
import { liveAccount, livePool } from "./live-pool.js";
import { dataPlaneClient, managementClient } from "./sdk-clients.js";
import { labelsInScope } from "../identity/labels-in-scope.js";
import { PermissionPreflight, type PreflightOptions } from "./preflight.js";
import { type DoctorOptions, runDoctor } from "../doctor/doctor.js";
import { type StorageContext, type StorageNeed, storageNeeds } from "../doctor/storage-needs.js";

/** Options of {@link createBatchClient}. */
export interface CreateBatchClientOptions {
  /** Azure subscription id. */
  readonly subscriptionId: string;
  /** Resource group of the Batch account. */
  readonly resourceGroup: string;
  /** Batch account name. */
  readonly accountName: string;
  /** The account's data-plane URL, e.g. `https://acct.westeurope.batch.azure.com`. */
  readonly accountEndpoint: string;
  /**
   * Any `TokenCredential`.
   * @default new DefaultAzureCredential()
   */
  readonly credential?: TokenCredential;
  /**
   * Azure Resource Manager URL.
   * @default "https://management.azure.com"
   */
  readonly managementEndpoint?: string;
  /**
   * Extra certificate authority (PEM) to trust, e.g. the local emulator's.
   * @default the system's trust store only
   */
  readonly tlsCa?: string;
  /**
   * Check storage role assignments before `pools.create` and `tasks.addMany`; a call's own option wins.
   * @default true
   */
  readonly preflight?: boolean;
  /**
   * Refuse (throw `PERMISSION_MISSING`) rather than log a warning when the preflight finds a missing role.
   * @default false
   */
  readonly strictPermissions?: boolean;
  /**
   * The one transport policy of every request on both planes: retries on 408, 429, 500, 502, 503,
   * 504 and dropped connections, exponential backoff with jitter, `Retry-After` honoured, bounded
   * by attempts and total time; every call's `signal` cancels the waits too. A create retried
   * after a lost answer that then meets 409 `JobExists`/`TaskExists` counts as created.
   * @default {@link retryDefaults}: 8 attempts, 200 ms doubling to at most 10 s, 60 s in all
   */
  readonly retry?: RetryOptions;
}

/**
 * Options of {@link BatchClient.pools}`.create`.
 *
 * @example
 * ```ts
 * await client.pools.create(render, { strictPermissions: true, signal: AbortSignal.timeout(60_000) });
 * ```
 */
export interface CreatePoolOptions extends PreflightOptions {
  /** Cancels the call. @default never cancelled */
  readonly signal?: AbortSignal;
}

/** Options of {@link BatchClient.pools}`.get`. */
export interface GetPoolOptions<L extends readonly UserAssignedIdentity[]> {
  /** Identities the pool must carry; checked (case-insensitively) against the live pool. */
  readonly expect?: L;
  /** Cancels the call. */
  readonly signal?: AbortSignal;
}

/**
 * Options of the client's `list` methods.
 *
 * @example
 * ```ts
 * for await (const t of client.tasks.list(frames, { filter: "state eq 'completed'" })) console.log(t.id);
 * ```
 */
export interface ListOptions {
  /** An OData `$filter`, as Batch's list operations take it. @default none */
  readonly filter?: string;
  /** An OData `$select`. @default every property */
  readonly select?: string;
  /** Items per page (Batch allows at most 1000). @default the service's, 1000 */
  readonly maxResults?: number;
  /** Cancels the listing (the next page is not requested). */
  readonly signal?: AbortSignal;
}

/**
 * Options of {@link BatchClient.accounts}`.get`.
 *
 * @example
 * ```ts
 * const acct = await client.accounts.get("acct", { expect: { identities: [worker], nodeIdentity: worker } });
 * const render = pool("render", acct).withIdentities(worker).build();
 * ```
 */
export interface GetAccountOptions<L extends readonly UserAssignedIdentity[], N extends UserAssignedIdentity | undefined> {
  /** What the live account must have; checked (case-insensitively) before the spec is returned. */
  readonly expect?: {
    /** User-assigned identities the account itself must carry. @default none checked */
    readonly identities?: L;
    /** The identity its autostorage must name as node identity reference (with `BatchAccountManagedIdentity`). @default not checked, typed as unknown */
    readonly nodeIdentity?: N;
  };
  /** Cancels the call. */
  readonly signal?: AbortSignal;
}

/** The spec type `accounts.get` returns: the node identity is known when it was expected. */
export type LiveAccountSpec<Name extends string, N extends UserAssignedIdentity | undefined> = [N] extends [UserAssignedIdentity<infer K>]
  ? BatchAccountSpec<Name, "BatchAccountManagedIdentity", K>
  : BatchAccountSpec<Name, AutoStorageModeState, string>;

/** Options of {@link BatchClient.nodes}`.uploadLogs`. */
export interface UploadLogsOptions {
  /** Destination container URL. */
  readonly containerUrl: string;
  /** Earliest log time to upload. */
  readonly startTime: Date;
  /**
   * Latest log time to upload.
   * @default now
   */
  readonly endTime?: Date;
  /**
   * The pool identity the node uses to write the container.
   * @default none: the URL must carry a SAS
   */
  readonly identity?: UserAssignedIdentity;
  /** Cancels the call. */
  readonly signal?: AbortSignal;
}

/** The typed client: every call guards its spec first, then delegates to the Azure SDKs. */
export interface BatchClient {
  /** Batch accounts (`@azure/arm-batch`). */
  readonly accounts: {
    /** Creates or updates the account and waits for it. */
    createOrUpdate(account: BatchAccountSpec<string, "StorageKeys" | "BatchAccountManagedIdentity" | "None", string>, options?: { signal?: AbortSignal }): Promise<BatchAccount>;
    /**
     * Reads a live account (deployed elsewhere, e.g. by IaC) as a spec `pool(...)` takes. With
     * `expect`, verifies it carries those identities and that node identity reference, and types
     * the spec with them; every pool use is then checked at compile time as for a built account.
     */
    get<const Name extends string, const L extends readonly UserAssignedIdentity[] = [], const N extends UserAssignedIdentity | undefined = undefined>(
      name: Name,
      options?: GetAccountOptions<L, N>,
    ): Promise<LiveAccountSpec<Name, N>>;
  };
  /** Pools (`@azure/arm-batch`: pools with identities exist only in ARM). */
  readonly pools: {
    /** Creates the pool after its guard passes; nothing is sent otherwise. */
    create(pool: PoolSpec<string, AnyAccountSpec, string>, options?: CreatePoolOptions): Promise<void>;
    /**
     * Reads a live pool. With `expect`, verifies it carries those identities and types it with them;
     * without, its identities are known only at run time and every use is checked then.
     */
    get<const Name extends string, const L extends readonly UserAssignedIdentity[] = []>(
      name: Name,
      options?: GetPoolOptions<L>,
    ): Promise<PoolSpec<Name, AnyAccountSpec, L extends readonly [] ? string : L[number]["key"]>>;
    /** Deletes a pool. */
    delete(name: string, options?: { signal?: AbortSignal }): Promise<void>;
  };
  /** Jobs (`@azure/batch`). */
  readonly jobs: {
    /** Adds the job after its guard passes. */
    create(job: JobSpec, options?: { signal?: AbortSignal }): Promise<void>;
    /** Every job of the account, page after page as the loop consumes them. */
    list(options?: ListOptions): AsyncIterable<CloudJob>;
  };
  /** Job schedules (`@azure/batch`). */
  readonly jobSchedules: {
    /** Adds the job schedule after its guard passes (every job rule under `jobSpecification`); a refused spec sends no request. */
    create(schedule: JobScheduleSpec, options?: { signal?: AbortSignal }): Promise<void>;
  };
  /** Tasks (`@azure/batch`). */
  readonly tasks: {
    /** Adds one task after its guard passes. */
    add(task: TaskSpec, options?: { signal?: AbortSignal }): Promise<void>;
    /** Every task of a job (a spec or its id), page after page as the loop consumes them. */
    list(job: JobSpec | string, options?: ListOptions): AsyncIterable<CloudTask>;
    /** Adds many tasks: streamed, chunked, concurrent, retried; see {@link AddManyOptions}. */
    addMany(job: JobSpec, tasks: Iterable<TaskSpec> | AsyncIterable<TaskSpec>, options?: AddManyOptions & PreflightOptions): Promise<AddManyResult>;
  };
  /** Compute nodes (`@azure/batch`). */
  readonly nodes: {
    /** Every compute node of a pool (a spec or its name), page after page as the loop consumes them. */
    list(pool: PoolSpec<string, AnyAccountSpec, string> | string, options?: ListOptions): AsyncIterable<ComputeNode>;
    /** Uploads a node's Batch service logs (agent-debug.log among them) to a container. */
    uploadLogs<P extends PoolTarget, const O extends UploadLogsOptions>(
      pool: P,
      nodeId: string,
      options: Checked<O, JobPoolView<"logs", P>>,
    ): Promise<{
      /** The folder the node writes under, `{pool}/{node}/{guid}/`. */
      virtualDirectoryName: string;
      /** How many log files the node uploaded. */
      numberOfFilesUploaded: number;
    }>;
  };
  /**
   * The live check: reads the account, its pools, their nodes and recent failed tasks, and the
   * storage role assignments their identities need; returns findings in the format of `diagnose`.
   *
   * @example
   * ```ts
   * const findings = await client.doctor({ pool: "render" });
   * for (const f of findings) console.log(f.severity, f.code, f.message);
   * ```
   */
  doctor(options?: DoctorOptions): Promise<Finding[]>;
  /** The underlying SDK clients, for calls typed-batch does not wrap. */
  readonly raw: {
    /** The `@azure/arm-batch` `BatchManagementClient`. */
    readonly management: ReturnType<typeof managementClient>;
    /** The `@azure/batch` `BatchServiceClient`, with the Batch token audience. */
    readonly batch: ReturnType<typeof dataPlaneClient>;
  };
}

const loadIdentity = lazyRequire<typeof import("@azure/identity")>("@azure/identity");

/** `DefaultAzureCredential`, created on the first token request (so importing typed-batch does not load @azure/identity). */
function defaultCredential(): TokenCredential {
  let inner: TokenCredential | undefined;
  return { getToken: (scopes, options) => (inner ??= new (loadIdentity().DefaultAzureCredential)()).getToken(scopes, options) };
}

function throwIfErrors(issues: readonly Finding[]): void {
  if (issues.some((i) => i.severity === "error")) throw new TypedBatchError(issues);
}

/** What the preflight knows of an account spec's autostorage. */
function storageContextOf(account: AnyAccountSpec | undefined, subscriptionId: string, resourceGroup: string): StorageContext {
  const auto = account?.toArm().autoStorage;
  return {
    subscriptionId,
    resourceGroup,
    ...(auto?.storageAccountId !== undefined && { autoStorageId: auto.storageAccountId }),
    ...(auto !== undefined && { autoStorageMode: auto.authenticationMode ?? "StorageKeys" }),
    ...(account?.nodeIdentity !== undefined && { nodeIdentity: account.nodeIdentity.canonicalId }),
  };
}

/** The payloads of `tasks`, each guarded as it is read (a refusal throws before it is sent); `check` runs the preflight on it. */
async function* specsToBatch(job: JobSpec, tasks: Iterable<TaskSpec> | AsyncIterable<TaskSpec>, check?: (payload: TaskAddParameter) => Promise<void>) {
  const placement = placementOf(job);
  let index = 0;
  for await (const t of tasks) {
    const payload = guardedTask(t, job, index++, { placement });
    await check?.(payload);
    yield payload;
  }
}

/**
 * Creates the typed Batch client.
 *
 * @example
 * ```ts
 * import { createBatchClient } from "typed-batch";
 * const client = createBatchClient({
 *   subscriptionId: "6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55",
 *   resourceGroup: "render",
 *   accountName: "acct",
 *   accountEndpoint: "https://acct.westeurope.batch.azure.com",
 * });
 * ```
 * @see https://learn.microsoft.com/azure/batch/batch-aad-auth
 */
export function createBatchClient(options: CreateBatchClientOptions): BatchClient {
  const credential = options.credential ?? defaultCredential();
  const transport = {
    managementEndpoint: options.managementEndpoint ?? "https://management.azure.com",
    ...(options.tlsCa !== undefined && { tlsCa: options.tlsCa }),
    ...(options.retry !== undefined && { retry: options.retry }),
  };
  // addMany retries per task with the same delays unless a call gives its own.
  const backoff = { ...(options.retry?.baseMs !== undefined && { baseMs: options.retry.baseMs }), ...(options.retry?.maxMs !== undefined && { maxMs: options.retry.maxMs }) };
  const management = managementClient(credential, options.subscriptionId, transport);
  const batch = dataPlaneClient(credential, options.accountEndpoint, transport);
  const { resourceGroup, accountName, subscriptionId } = options;
  const abort = (signal?: AbortSignal) => (signal ? { abortSignal: signal } : {});
  /** Batch list options in the SDK's shape (`jobListOptions`, ...), plus the signal. */
  const listing = (key: string, o: ListOptions | undefined) => ({
    [key]: { ...(o?.filter !== undefined && { filter: o.filter }), ...(o?.select !== undefined && { select: o.select }), ...(o?.maxResults !== undefined && { maxResults: o.maxResults }) },
    ...abort(o?.signal),
  });
  /** Every item of a list, each page read through `azureCall` (so failures are AzureRequestErrors). */
  const pages = <T>(operation: string, first: () => Promise<T[] & { odatanextLink?: string }>, next: (link: string) => Promise<T[] & { odatanextLink?: string }>, signal: AbortSignal | undefined) =>
    everyItem(() => azureCall(operation, first, { signal }), (link) => azureCall(operation, () => next(link), { signal }));
  const permissions = new PermissionPreflight(credential, subscriptionId, transport);
  const preflightOf = (opts: PreflightOptions | undefined): PreflightOptions => ({
    preflight: opts?.preflight ?? options.preflight ?? true,
    strictPermissions: opts?.strictPermissions ?? options.strictPermissions ?? false,
  });

  return Object.freeze({
    raw: { management, batch },
    accounts: {
      async createOrUpdate(account, opts) {
        requireSpec(account, "account", "an account spec", "toArm", { name: "string" });
        throwIfErrors(validateAccount(account.toArm(), { name: account.name }).issues);
        return azureCall("accounts.createOrUpdate", () => management.batchAccountOperations.beginCreateAndWait(resourceGroup, account.name, account.toArm(), abort(opts?.signal)), { signal: opts?.signal });
      },
      async get(name, opts) {
        const identities = opts?.expect?.identities ?? [];
        const node = opts?.expect?.nodeIdentity;
        const expected = [...identities, ...(node !== undefined ? [node] : [])];
        const arm = await azureCall("accounts.get", () => management.batchAccountOperations.get(resourceGroup, name, abort(opts?.signal)), { signal: opts?.signal });
        const live = liveAccount(name, arm, expected);
        const problems: Finding[] = [];
        const carried = new Set(live.identities.map((i) => i.canonicalId));
        for (const e of identities) {
          if (!carried.has(e.canonicalId)) problems.push(finding("ACCOUNT_IDENTITY_REQUIRED", "identity.userAssignedIdentities", messages.accountIdentityMissing(e.key, name), fixes.accountIdentityMissing.json(e.key)));
        }
        if (node !== undefined && (live.nodeIdentity?.canonicalId !== node.canonicalId || live.autoStorageMode !== "BatchAccountManagedIdentity")) {
          const found = live.nodeIdentity === undefined ? "none" : `'${live.nodeIdentity.resourceId}'${live.autoStorageMode !== "BatchAccountManagedIdentity" ? ` with ${live.autoStorageMode}` : ""}`;
          problems.push(finding("NODE_IDENTITY_REFERENCE_MISSING", "autoStorage.nodeIdentityReference", messages.accountNodeIdentityDiffers(node.key, name, found), fixes.accountNodeIdentityDiffers.json(node.key)));
        }
        throwIfErrors(problems);
        return live as never;
      },
    },
    pools: {
      async create(pool, opts) {
        requireSpec(pool, "pool", "a pool spec", "toArm", { name: "string", identities: "array", account: "object" });
        const labels = labelsInScope(pool, []);
        const result = validatePool(pool.toArm(), { account: pool.account, name: pool.name, labels });
        throwIfErrors(result.issues);
        const needs = storageNeeds("pool", pool.toArm(), "", storageContextOf(pool.account, subscriptionId, resourceGroup));
        await permissions.run(needs, { ...preflightOf(opts), ...(opts?.signal && { signal: opts.signal }) });
        const { name: _name, ...body } = pool.toArm();
        await azureCall("pools.create", () => management.poolOperations.create(resourceGroup, accountName, pool.name, body, abort(opts?.signal)), { signal: opts?.signal });
      },
      async get(name, opts) {
        const expected = opts?.expect ?? [];
        const [armPool, armAccount] = await azureCall(
          "pools.get",
          () =>
            Promise.all([
              management.poolOperations.get(resourceGroup, accountName, name, abort(opts?.signal)),
              management.batchAccountOperations.get(resourceGroup, accountName, abort(opts?.signal)),
            ]),
          { signal: opts?.signal },
        );
        const account = liveAccount(accountName, armAccount, expected);
        const live = livePool(name, armPool, account, expected);
        const attached = new Set(live.identities.map((i) => i.canonicalId));
        const missing = expected.filter((e) => !attached.has(e.canonicalId));
        if (missing.length > 0) {
          throw new TypedBatchError(
            missing.map((m) => finding("IDENTITY_NOT_IN_POOL", "identity.userAssignedIdentities", messages.identityNotInPool(m.key, name), fixes.identityNotInPool.json(m.key))),
          );
        }
        return live as never;
      },
      async delete(name, opts) {
        await azureCall("pools.delete", () => management.poolOperations.beginDeleteAndWait(resourceGroup, accountName, name, abort(opts?.signal)), { signal: opts?.signal });
      },
    },
    jobSchedules: {
      async create(schedule, opts) {
        requireSpec(schedule, "jobSchedule", "a job schedule spec", "toBatch", { id: "string", pool: "object" });
        const isAuto = "kind" in schedule.pool && schedule.pool.kind === "autoPool";
        const result = validateJobSchedule(schedule.toBatch(), { ...(!isAuto && { pool: schedule.pool as PoolSpec }), ...(schedule.pool.account !== undefined && { account: schedule.pool.account }) });
        throwIfErrors(result.issues);
        await azureCall("jobSchedules.create", () => batch.jobSchedule.add(schedule.toBatch(), abort(opts?.signal) as never), { signal: opts?.signal, create: true });
      },
    },
    jobs: {
      async create(job, opts) {
        requireSpec(job, "job", "a job spec", "toBatch", { id: "string", pool: "object" });
        const isAuto = "kind" in job.pool && job.pool.kind === "autoPool";
        const result = validateJob(job.toBatch(), { ...(!isAuto && { pool: job.pool as PoolSpec }), ...(job.pool.account !== undefined && { account: job.pool.account }) });
        throwIfErrors(result.issues);
        await azureCall("jobs.create", () => batch.job.add(job.toBatch(), abort(opts?.signal) as never), { signal: opts?.signal, create: true });
      },
      list(opts) {
        return pages("jobs.list", () => batch.job.list(listing("jobListOptions", opts) as never), (link) => batch.job.listNext(link, abort(opts?.signal) as never), opts?.signal);
      },
    },
    tasks: {
      async add(task, opts) {
        // Guarded even when built: the spec may come from JavaScript, or from another job's builder.
        const payload = guardedTask(task, (task as Partial<TaskSpec> | null)?.job ?? ({ id: "" } as JobSpec), "", { always: true });
        await azureCall("tasks.add", () => batch.task.add(task.job.id, payload, abort(opts?.signal) as never), { signal: opts?.signal, create: true });
      },
      list(job, opts) {
        const id = typeof job === "string" ? job : job.id;
        return pages("tasks.list", () => batch.task.list(id, listing("taskListOptions", opts) as never), (link) => batch.task.listNext(link, abort(opts?.signal) as never), opts?.signal);
      },
      async addMany(job, tasks, opts) {
        requireSpec(job, "job", "a job spec", "toBatch", { id: "string", pool: "object" });
        const flight = { ...preflightOf(opts), ...(opts?.signal && { signal: opts.signal }) };
        if (flight.preflight === false) return addMany(batch, job.id, specsToBatch(job, tasks), { ...backoff, ...opts });
        const context = storageContextOf(job.pool.account, subscriptionId, resourceGroup);
        // Each (identity, storage) pair is checked once, before the first task that relies on it is sent.
        const checked = new Set<string>();
        const check = async (t: TaskAddParameter) => {
          const fresh: StorageNeed[] = [];
          for (const need of storageNeeds("task", t, `tasks['${t.id}']`, context)) {
            const key = `${need.identity}|${need.storage.kind === "resolved" ? need.storage.id : need.storage.source}|${need.access}`;
            if (!checked.has(key)) fresh.push(need);
            checked.add(key);
          }
          await permissions.run(fresh, flight);
        };
        return addMany(batch, job.id, specsToBatch(job, tasks, check), { ...backoff, ...opts });
      },
    },
    nodes: {
      list(pool, opts) {
        const id = typeof pool === "string" ? pool : pool.name;
        return pages("nodes.list", () => batch.computeNode.list(id, listing("computeNodeListOptions", opts) as never), (link) => batch.computeNode.listNext(link, abort(opts?.signal) as never), opts?.signal);
      },
      async uploadLogs(pool, nodeId, opts) {
        const o = opts as UploadLogsOptions;
        const body = {
          containerUrl: o.containerUrl,
          startTime: o.startTime,
          ...(o.endTime !== undefined && { endTime: o.endTime }),
          ...(o.identity !== undefined && { identityReference: { resourceId: o.identity.resourceId } }),
        };
        const isAuto = "kind" in pool && pool.kind === "autoPool";
        if (!isAuto) {
          const spec = pool as PoolSpec;
          const labels = labelsInScope(spec, o.identity === undefined ? [] : [o.identity]);
          const facts = poolFacts(spec.toArm(), spec.name, undefined, labels);
          throwIfErrors(checkIdentityUsesOnPool("node", body, facts, { dialect: "sdk", voice: "builder", base: "", labels }));
        }
        const poolId = isAuto ? "" : (pool as PoolSpec).name;
        const result = await azureCall("nodes.uploadLogs", () => batch.computeNode.uploadBatchServiceLogs(poolId, nodeId, body, abort(o.signal) as never), { signal: o.signal });
        return { virtualDirectoryName: result.virtualDirectoryName, numberOfFilesUploaded: result.numberOfFilesUploaded };
      },
    },
    doctor(opts) {
      return runDoctor({ management, batch, roles: permissions.roles, subscriptionId, resourceGroup, accountName, ...(options.tlsCa !== undefined && { tlsCa: options.tlsCa }) }, opts);
    },
  } satisfies BatchClient);
}
