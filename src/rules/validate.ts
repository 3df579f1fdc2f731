import type { BatchAccountCreateParameters, Pool } from "@azure/arm-batch";
import type { JobAddParameter, JobScheduleAddParameter, TaskAddParameter } from "@azure/batch";
import type { Finding } from "../errors/issue.js";
import { displayKey } from "../identity/display-key.js";
import { checkAccount, checkPool, checkIdentityUsesOnPool, idOf } from "./check.js";
import type { AccountFacts, PoolFacts, Voice } from "./context.js";
import { accountFacts, autoPoolFacts, poolFacts, readOwn } from "./facts.js";
import { finding } from "./finding.js";
import { fixes, messages } from "./messages.js";
import { requestModels } from "./sites.js";
import { placeJob, unknownPoolFacts } from "./placement.js";

/**
 * The run-time guards for code that does not use the builders. They take the Azure SDK model
 * shapes and return every issue found; the builders run the same guards in `build()`.
 */

/** Outcome of a guard: the value when no error was found (warnings may remain), else every issue. */
export type ValidationResult<T> =
  | {
      /** No error-severity issue was found. */
      readonly ok: true;
      /** The input, unchanged. */
      readonly value: T;
      /** Warnings, if any. */
      readonly issues: readonly Finding[];
    }
  | {
      /** At least one error-severity issue was found. */
      readonly ok: false;
      /** Every issue found, errors and warnings. */
      readonly issues: readonly Finding[];
    };

/** Anything that can stand for an account: the SDK's create parameters or a built spec. */
export type AccountLike = BatchAccountCreateParameters | {
  /** The account name. */
  readonly name: string;
  /** The SDK's create parameters. */
  toArm(): BatchAccountCreateParameters;
  /** The account's user-assigned identities, so messages can name them by key. */
  readonly identities?: readonly {
    /** Canonical (lower-case) resource id. */
    canonicalId: string;
    /** The handle's key: its literal id or its label. */
    key: string;
  }[];
  /** The autostorage node identity reference, if any. */
  readonly nodeIdentity?: {
    /** Canonical (lower-case) resource id. */
    canonicalId: string;
    /** The handle's key: its literal id or its label. */
    key: string;
  } | undefined;
};

/** Anything that can stand for a pool: the SDK's `Pool` (with `name`) or a built/live spec. */
export type PoolLike = Pool | {
  /** The pool name. */
  readonly name: string;
  /** The SDK's `Pool` model. */
  toArm(): Pool;
  /** The account the pool belongs to, when known. */
  readonly account?: AccountLike | undefined;
  /** The pool's user-assigned identities, so messages can name them by key. */
  readonly identities?: readonly {
    /** Canonical (lower-case) resource id. */
    canonicalId: string;
    /** The handle's key: its literal id or its label. */
    key: string;
  }[];
};

/** Anything that can stand for a job: the SDK's `JobAddParameter` or a built spec. */
export type JobLike = JobAddParameter | {
  /** The job id. */
  readonly id: string;
  /** The SDK's `JobAddParameter`. */
  toBatch(): JobAddParameter;
};

/** @internal Options the builders pass so messages use their keys and voice. */
export interface InternalGuardOptions {
  /** Display keys by canonical id. */
  readonly labels?: ReadonlyMap<string, string>;
  /** Fix voice. */
  readonly voice?: Voice;
}

function result<T>(value: unknown, issues: Finding[]): ValidationResult<T> {
  return issues.some((i) => i.severity === "error") ? { ok: false, issues } : { ok: true, value: value as T, issues };
}

function hasToArm(x: unknown): x is { toArm(): unknown } {
  return typeof x === "object" && x !== null && typeof (x as { toArm?: unknown }).toArm === "function";
}

function mergeLabels(into: Map<string, string>, items: readonly ({ canonicalId: string; key: string } | undefined)[] | undefined): void {
  for (const i of items ?? []) if (i !== undefined && !into.has(i.canonicalId)) into.set(i.canonicalId, displayKey(i.key));
}

function resolveAccount(account: AccountLike | undefined, name: string | undefined, labels: Map<string, string>): AccountFacts | undefined {
  if (account === undefined) return undefined;
  if (hasToArm(account)) {
    const spec = account as Extract<AccountLike, { toArm(): unknown }>;
    mergeLabels(labels, spec.identities);
    mergeLabels(labels, [spec.nodeIdentity]);
    return accountFacts(spec.toArm(), "sdk", spec.name, labels);
  }
  return accountFacts(account, "sdk", name ?? "account", labels);
}

function resolvePool(pool: PoolLike | undefined, account: AccountLike | undefined, labels: Map<string, string>): { facts: PoolFacts; raw: unknown } | undefined {
  if (pool === undefined) return undefined;
  let raw: unknown = pool;
  let accountLike = account;
  if (hasToArm(pool)) {
    const spec = pool as Extract<PoolLike, { toArm(): unknown }>;
    raw = spec.toArm();
    accountLike ??= spec.account;
    mergeLabels(labels, spec.identities);
  }
  const facts = poolFacts(raw, (pool as { name?: string }).name ?? "pool", resolveAccount(accountLike, undefined, labels), labels);
  return { facts, raw };
}

/**
 * Checks a Batch account (`BatchAccountCreateParameters`): account identity and autostorage rules.
 *
 * @example
 * ```ts
 * import { validateAccount } from "typed-batch";
 * const r = validateAccount({ location: "westeurope", identity: { type: "None" },
 *   autoStorage: { storageAccountId: "/subscriptions/.../storageAccounts/st", authenticationMode: "BatchAccountManagedIdentity" } });
 * if (!r.ok) console.log(r.issues.map((i) => i.code)); // ["ACCOUNT_IDENTITY_REQUIRED"]
 * ```
 */
export function validateAccount(
  account: unknown,
  options: { readonly name?: string } & InternalGuardOptions = {},
): ValidationResult<BatchAccountCreateParameters> {
  const issues = checkAccount(account, options.name ?? "account", { dialect: "sdk", voice: options.voice ?? "json", base: "", ...(options.labels && { labels: options.labels }) });
  return result(account, issues);
}

/**
 * Checks a pool (`@azure/arm-batch`'s `Pool`): identity type, every identity reference, and the
 * node identity reference when the pool needs autostorage.
 *
 * @param options.account - the account the pool belongs to; without it, autostorage rules are not checked.
 * @example
 * ```ts
 * import { validatePool } from "typed-batch";
 * const r = validatePool({ name: "render", identity: { type: "None" }, applicationPackages: [{ id: "ffmpeg" }] }, {
 *   account: { location: "westeurope", identity: { type: "SystemAssigned" },
 *     autoStorage: { storageAccountId: "/subscriptions/.../st", authenticationMode: "BatchAccountManagedIdentity" } } });
 * // r.ok === false; r.issues[0].code === "NODE_IDENTITY_REFERENCE_MISSING"; r.issues[0].scenario === "application-packages#3"
 * ```
 */
export function validatePool(
  pool: unknown,
  options: { readonly account?: AccountLike; readonly accountName?: string; readonly name?: string } & InternalGuardOptions = {},
): ValidationResult<Pool> {
  const labels = new Map(options.labels);
  const account = resolveAccount(options.account, options.accountName, labels);
  const name = (typeof readOwn(pool, "name") === "string" ? (readOwn(pool, "name") as string) : undefined) ?? options.name ?? "pool";
  const facts = poolFacts(pool, name, account, labels);
  const issues = checkPool(pool, facts, { dialect: "sdk", voice: options.voice ?? "json", base: "", labels });
  return result(pool, issues);
}

function poolFactsOfJob(job: unknown, pool: PoolLike | undefined, account: AccountLike | undefined, labels: Map<string, string>, issues: Finding[]): PoolFacts {
  const jobId = idOf(job, "job");
  const auto = readOwn(readOwn(job, "poolInfo"), "autoPoolSpecification");
  // The pool a guard is given is the job's pool, whatever its poolInfo says.
  const resolved = typeof auto === "object" && auto !== null ? undefined : resolvePool(pool, account, labels);
  if (resolved !== undefined) return resolved.facts;
  const accountOf = resolveAccount(account ?? (pool !== undefined && hasToArm(pool) ? (pool as { account?: AccountLike }).account : undefined), undefined, labels);
  return placeJob(job, "", jobId, () => undefined, accountOf, issues);
}

/**
 * Checks a job (`@azure/batch`'s `JobAddParameter`): identity references of its job manager,
 * preparation and release tasks, against its pool (or its auto-pool, which has none).
 *
 * @example
 * ```ts
 * import { validateJob } from "typed-batch";
 * const r = validateJob({ id: "frames", poolInfo: { poolId: "render" } }, { pool: { name: "render", identity: { type: "None" } } });
 * // r.ok === true
 * ```
 */
export function validateJob(
  job: unknown,
  options: { readonly pool?: PoolLike; readonly account?: AccountLike } & InternalGuardOptions = {},
): ValidationResult<JobAddParameter> {
  const labels = new Map(options.labels);
  const issues: Finding[] = [];
  const placement = poolFactsOfJob(job, options.pool, options.account, labels, issues);
  if (placement !== undefined) issues.push(...checkIdentityUsesOnPool("job", job, placement, { dialect: "sdk", voice: options.voice ?? "json", base: "", labels }));
  return result(job, issues);
}

/** Where a job schedule's job rows start: the `JobScheduleAddParameter` request model's prefix. */
const scheduleJob = requestModels.find((m) => m.model === "JobScheduleAddParameter")?.prefix ?? "jobSpecification";

/**
 * Checks a job schedule (`@azure/batch`'s `JobScheduleAddParameter`): its `jobSpecification` is a
 * job, so every job rule applies under it, against its pool (or its auto-pool, which has none).
 *
 * @example
 * ```ts
 * import { validateJobSchedule } from "typed-batch";
 * const r = validateJobSchedule({ id: "nightly", schedule: { recurrenceInterval: "P1D" }, jobSpecification: { poolInfo: { poolId: "render" } } },
 *   { pool: { name: "render", identity: { type: "None" } } });
 * // r.ok === true
 * ```
 */
export function validateJobSchedule(
  schedule: unknown,
  options: { readonly pool?: PoolLike; readonly account?: AccountLike } & InternalGuardOptions = {},
): ValidationResult<JobScheduleAddParameter> {
  const labels = new Map(options.labels);
  const issues: Finding[] = [];
  const spec = readOwn(schedule, scheduleJob);
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    issues.push(finding("INVALID_SHAPE", scheduleJob, messages.invalidShape("a job schedule needs a jobSpecification object"), fixes.invalidShape.json()));
    return result(schedule, issues);
  }
  // The schedule's jobs are named after it: messages name the schedule.
  const job = { ...spec, id: idOf(schedule, "job schedule") };
  const placement = poolFactsOfJob(job, options.pool, options.account, labels, issues);
  for (const issue of issues) if (issue.code === "UNKNOWN_POOL") Object.assign(issue, { path: `${scheduleJob}.${issue.path}` });
  if (placement !== undefined) issues.push(...checkIdentityUsesOnPool("job", spec, placement, { dialect: "sdk", voice: options.voice ?? "json", base: scheduleJob, labels }));
  return result(schedule, issues);
}

/**
 * Checks a task (`@azure/batch`'s `TaskAddParameter`): resource files, output files, container
 * registry and application packages, against the pool its job runs on.
 *
 * @example
 * ```ts
 * import { validateTask } from "typed-batch";
 * const r = validateTask({ id: "t1", commandLine: "echo", resourceFiles: [{ httpUrl: "https://x/y" }] },
 *   { job: { id: "frames", poolInfo: { poolId: "render" } }, pool: { name: "render" } });
 * // r.ok === false: RESOURCE_FILE_PATH_REQUIRED
 * ```
 */
export function validateTask(
  task: unknown,
  options: { readonly job: JobLike; readonly pool?: PoolLike; readonly account?: AccountLike } & InternalGuardOptions,
): ValidationResult<TaskAddParameter> {
  if (typeof options !== "object" || options === null || typeof options.job !== "object" || options.job === null) {
    // A JavaScript caller without a job: say so, and still run the rules that need no pool.
    const issues = [finding("INVALID_SHAPE", "options.job", messages.invalidShape("validateTask needs options.job, the job the task is added to"), fixes.invalidShape.json())];
    issues.push(...checkIdentityUsesOnPool("task", task, unknownPoolFacts("(unknown)", undefined), { dialect: "sdk", voice: "json", base: "" }));
    return result(task, issues);
  }
  const placement = taskCheckTarget(options);
  const labels = options.labels === undefined ? placement.labels : new Map([...placement.labels, ...options.labels]);
  const issues = [...placement.issues];
  if (placement.facts !== undefined) issues.push(...checkIdentityUsesOnPool("task", task, placement.facts, { dialect: "sdk", voice: options.voice ?? "json", base: "", labels }));
  return result(task, issues);
}

interface TaskCheckTarget {
  readonly pool: PoolLike | undefined;
  readonly account: AccountLike | undefined;
  readonly facts: PoolFacts | undefined;
  readonly labels: ReadonlyMap<string, string>;
  readonly issues: readonly Finding[];
}

/** Placements of built (frozen) jobs, so guarding 10^5 tasks of one job reads its pool once. */
const placements = new WeakMap<object, TaskCheckTarget>();

function taskCheckTarget(options: { readonly job: JobLike; readonly pool?: PoolLike; readonly account?: AccountLike }): TaskCheckTarget {
  const frozenSpec = typeof (options.job as { toBatch?: unknown }).toBatch === "function" && Object.isFrozen(options.job);
  const cached = frozenSpec ? placements.get(options.job) : undefined;
  if (cached !== undefined && cached.pool === options.pool && cached.account === options.account) return cached;
  const labels = new Map<string, string>();
  const issues: Finding[] = [];
  const job = frozenSpec ? (options.job as { toBatch(): JobAddParameter }).toBatch() : options.job;
  const poolFromJob = (options.job as { pool?: PoolLike }).pool;
  const facts = poolFactsOfJob(job, options.pool ?? poolFromJob, options.account, labels, issues);
  const placement = { pool: options.pool, account: options.account, facts, labels, issues };
  if (frozenSpec) placements.set(options.job, placement);
  return placement;
}

/** @internal Pool facts for a job's placement, used by the builders and the client. */
export { poolFactsOfJob };
