import type { Finding } from "../errors/issue.js";
import { checkAccount, checkPool, checkWork, idOf } from "../rules/check.js";
import type { AccountFacts, CheckOptions, PoolFacts } from "../rules/context.js";
import { accountFacts, autoPoolFacts, poolFacts, readOwn, readString } from "../rules/facts.js";
import { finding } from "../rules/finding.js";
import { fixes, messages } from "../rules/messages.js";
import { type BundleParts, type Located, readBundle } from "./bundle.js";

/**
 * Offline diagnosis of plain JSON: resolves which account and pool each piece belongs to, then
 * hands every piece to the rule engine (`checkAccount`, `checkPool`, `checkWork`). No rule is
 * written here.
 */

function options(base: string): CheckOptions {
  return { dialect: "wire", voice: "json", base };
}

/** Appends without spreading: a hostile document can yield more findings than a call takes arguments. */
function append(out: Finding[], items: readonly Finding[]): void {
  for (const item of items) out.push(item);
}

function join(base: string, key: string): string {
  return base === "" ? key : `${base}.${key}`;
}

/**
 * A pool that is not in the bundle: membership is not checked, so only the rules that do not
 * depend on the pool (resource file shape, missing node identity reference) report. The
 * UNKNOWN_POOL warning says the rest was not checked.
 */
function unknownPoolFacts(name: string, account: AccountFacts | undefined): PoolFacts {
  return { name, autoPool: false, identities: new Map(), membershipUnknown: true, account };
}

/** Pool facts by lower-cased name; the first pool of a name wins, as Batch would reject the second. */
function indexPools(pools: readonly Located[], account: AccountFacts | undefined, out: Finding[]): Map<string, PoolFacts> {
  const byName = new Map<string, PoolFacts>();
  for (let i = 0; i < pools.length; i++) {
    const { value, path } = pools[i] as Located;
    const fallback = readString(readOwn(value, "id")) ?? (path === "" ? "pool" : path);
    const facts = poolFacts(value, fallback, account);
    append(out, checkPool(value, facts, options(path)));
    const key = facts.name.toLowerCase();
    if (!byName.has(key)) byName.set(key, facts);
  }
  return byName;
}

/** The facts of the pool a job runs on, found once per job and shared by all its tasks. */
function jobPool(job: Located, jobId: string, pools: Map<string, PoolFacts>, account: AccountFacts | undefined, out: Finding[]): PoolFacts {
  const poolInfoPath = join(job.path, "poolInfo");
  const poolInfo = readOwn(job.value, "poolInfo");
  const poolId = readOwn(poolInfo, "poolId");
  if (typeof poolId === "string") {
    const facts = pools.get(poolId.toLowerCase());
    if (facts !== undefined) return facts;
    out.push(finding("UNKNOWN_POOL", join(poolInfoPath, "poolId"), messages.unknownPool(jobId, poolId), fixes.unknownPool.json()));
    return unknownPoolFacts(poolId, account);
  }
  const auto = readOwn(poolInfo, "autoPoolSpecification");
  if (typeof auto === "object" && auto !== null && !Array.isArray(auto)) return autoPoolFacts(jobId, account);
  const detail = poolInfo === undefined ? "a job needs poolInfo with poolId or autoPoolSpecification" : "poolInfo needs a string poolId or an autoPoolSpecification object";
  out.push(finding("INVALID_SHAPE", poolInfo === undefined ? job.path : poolInfoPath, messages.invalidShape(detail), fixes.invalidShape.json()));
  return unknownPoolFacts(`(no pool)`, account);
}

function checkJob(job: Located, index: number, pools: Map<string, PoolFacts>, account: AccountFacts | undefined, out: Finding[]): void {
  if (typeof job.value !== "object" || job.value === null || Array.isArray(job.value)) {
    append(out, checkWork("job", job.value, unknownPoolFacts("(no pool)", account), options(job.path)));
    return;
  }
  const jobId = idOf(job.value, `jobs[${index}]`);
  const pool = jobPool(job, jobId, pools, account, out);
  append(out, checkWork("job", job.value, pool, options(job.path)));
  const tasksPath = join(job.path, "tasks");
  const tasks = readOwn(job.value, "tasks");
  if (tasks === undefined || tasks === null) return;
  if (!Array.isArray(tasks)) {
    out.push(finding("INVALID_SHAPE", tasksPath, messages.invalidShape("expected an array of Batch task bodies"), fixes.invalidShape.json()));
    return;
  }
  for (let t = 0; t < tasks.length; t++) {
    append(out, checkWork("task", tasks[t], pool, options(`${tasksPath}[${t}]`)));
  }
}

/**
 * Diagnoses a document whose top level `readBundle` already recognised (the CLI reads first, to
 * tell unusable input, exit 2, from findings).
 *
 * @internal
 * @example
 * ```ts
 * const read = readBundle(JSON.parse(text));
 * const findings = read.ok ? diagnoseParts(read.parts) : [];
 * ```
 */
export function diagnoseParts(parts: BundleParts): Finding[] {
  const out: Finding[] = [];
  let account: AccountFacts | undefined;
  if (parts.account !== undefined) {
    const { value, path } = parts.account;
    const name = readString(readOwn(value, "name")) ?? "account";
    append(out, checkAccount(value, name, options(path)));
    account = accountFacts(value, "wire", name);
  }
  const pools = indexPools(parts.pools, account, out);
  for (let j = 0; j < parts.jobs.length; j++) checkJob(parts.jobs[j] as Located, j, pools, account, out);
  return out;
}

/**
 * Checks plain JSON in the Azure REST wire format offline and returns every finding.
 *
 * Takes a bundle (`{ account, pools, jobs }`, every key optional, each job with its `tasks`) or one
 * bare ARM pool body, ARM account body or Batch job body. Paths in the findings point into the
 * value given. Never throws: input it cannot use yields `INVALID_SHAPE` findings.
 *
 * @example
 * ```ts
 * import { diagnose } from "typed-batch";
 * const worker = "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/worker";
 * const findings = diagnose({
 *   account: { identity: { type: "UserAssigned", userAssignedIdentities: { [worker]: {} } },
 *              properties: { autoStorage: { storageAccountId: "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.Storage/storageAccounts/renderstore",
 *                                           authenticationMode: "BatchAccountManagedIdentity" } } },
 *   pools: [{ name: "render", identity: { type: "UserAssigned", userAssignedIdentities: { [worker]: {} } },
 *             properties: { applicationPackages: [{ id: "ffmpeg" }] } }],
 * });
 * // [{ code: "NODE_IDENTITY_REFERENCE_MISSING", path: "pools[0].properties.applicationPackages[0]", scenario: "application-packages#3", ... }]
 * ```
 */
export function diagnose(bundle: unknown): Finding[] {
  const read = readBundle(bundle);
  return read.ok ? diagnoseParts(read.parts) : [...read.findings];
}
