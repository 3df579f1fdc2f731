import type { Finding } from "../errors/issue.js";
import { checkAccount, checkPool, checkIdentityUsesOnPool, idOf } from "../rules/check.js";
import type { AccountFacts, CheckOptions, PoolFacts } from "../rules/context.js";
import { accountFacts, poolFacts, readOwn, readString } from "../rules/facts.js";
import { finding } from "../rules/finding.js";
import { fixes, messages } from "../rules/messages.js";
import { placeJob, unknownPoolFacts } from "../rules/placement.js";
import type { Deployment, FileFinding, Part, PoolPart } from "./inputs/model.js";
import { readDocument } from "./inputs/read-document.js";
import { placeholderGuid, restorePlaceholders } from "./inputs/placeholders.js";
import { permissionFindings } from "./inputs/role-assignments.js";
import { containsUnresolved, isUnder, mentionsUnresolved } from "./inputs/unresolved.js";

/**
 * Offline diagnosis of the joined model: resolves which account and pool each piece belongs to,
 * across every file given, then hands every piece to the rule engine (`checkAccount`,
 * `checkPool`, `checkIdentityUsesOnPool`). No identity rule is written here.
 */

function options(base: string): CheckOptions {
  return { dialect: "wire", voice: "json", base };
}

/** Codes that compare a reference with the pool's identity list. */
const membershipCodes = new Set(["IDENTITY_NOT_IN_POOL", "NODE_IDENTITY_NOT_IN_POOL"]);

function join(base: string, key: string): string {
  return base === "" ? key : `${base}.${key}`;
}

/** Collects findings with their file; appends without spreading (a file can yield 10^5 findings). */
class Findings {
  readonly all: FileFinding[] = [];
  add(file: string, items: readonly Finding[], map?: (path: string) => string): void {
    for (const f of items) this.all.push(map === undefined ? { file, ...f } : { file, ...f, path: map(f.path) });
  }
}

/** Facts of a pool whose identity list is known to be empty (for the "what was skipped" count). */
function emptyPoolFacts(name: string, account: AccountFacts | undefined): PoolFacts {
  return { name, autoPool: false, identities: new Map(), account };
}

/** Splits off the membership findings a check made against an empty stand-in pool: they were not checkable. */
function withoutMembership(items: readonly Finding[]): { kept: Finding[]; skipped: number } {
  const kept: Finding[] = [];
  let skipped = 0;
  for (const f of items) {
    if (membershipCodes.has(f.code)) skipped++;
    else kept.push(f);
  }
  return { kept, skipped };
}

function unknownState(file: string, path: string, what: string): FileFinding {
  return { file, ...finding("CURRENT_STATE_UNKNOWN", path, messages.currentStateUnknown(what), fixes.currentStateUnknown.json()) };
}

interface Accounts {
  readonly byName: Map<string, AccountFacts>;
  /** The one account of each file that has exactly one. */
  readonly byFile: Map<string, AccountFacts | null>;
  readonly only: AccountFacts | undefined;
}

/** The account of work in `file`: that file's own account first, else the deployment's only one. */
function accountIn(file: string, accounts: Accounts): AccountFacts | undefined {
  return accounts.byFile.get(file) ?? accounts.only;
}

function checkAccounts(d: Deployment, out: Findings): Accounts {
  const byName = new Map<string, AccountFacts>();
  const byFile = new Map<string, AccountFacts | null>();
  let first: AccountFacts | undefined;
  for (const part of d.accounts) {
    const name = readString(readOwn(part.value, "name")) ?? "account";
    let found = checkAccount(part.value, name, options(part.path));
    if (part.identityUnknown === true) {
      const before = found.length;
      found = found.filter((f) => f.code !== "ACCOUNT_IDENTITY_REQUIRED");
      if (found.length < before) out.all.push(unknownState(part.file, part.path, `account update of '${name}' leaves the account's identity as it is in Azure`));
    }
    out.add(part.file, found, part.toFile);
    const facts = accountFacts(part.value, "wire", name);
    first ??= facts;
    byFile.set(part.file, byFile.has(part.file) ? null : facts);
    if (!byName.has(facts.name.toLowerCase())) byName.set(facts.name.toLowerCase(), facts);
  }
  return { byName, byFile, only: d.accounts.length === 1 ? first : undefined };
}

function accountOf(pool: PoolPart, accounts: Accounts): AccountFacts | undefined {
  if (pool.accountName !== undefined) return accounts.byName.get(pool.accountName.toLowerCase()) ?? accountIn(pool.file, accounts);
  return accountIn(pool.file, accounts);
}

/**
 * Pools by lower-cased name: a job finds the pool of its own file first (two bundles may each
 * have a pool 'render'), else the first pool of that name in the files given.
 */
class Pools {
  readonly #first = new Map<string, PoolFacts>();
  readonly #inFile = new Map<string, PoolFacts>();
  add(file: string, facts: PoolFacts): void {
    const key = facts.name.toLowerCase();
    if (!this.#first.has(key)) this.#first.set(key, facts);
    if (!this.#inFile.has(`${file}\u0000${key}`)) this.#inFile.set(`${file}\u0000${key}`, facts);
  }
  get(file: string, name: string): PoolFacts | undefined {
    const key = name.toLowerCase();
    return this.#inFile.get(`${file}\u0000${key}`) ?? this.#first.get(key);
  }
}

function checkPools(d: Deployment, accounts: Accounts, out: Findings): Pools {
  const byName = new Pools();
  for (const part of d.pools) {
    const account = accountOf(part, accounts);
    const fallback = readString(readOwn(part.value, "id")) ?? (part.path === "" ? "pool" : part.path);
    let facts = poolFacts(part.value, fallback, account);
    if (part.identitiesUnknown !== undefined) {
      const { kept, skipped } = withoutMembership(checkPool(part.value, emptyPoolFacts(facts.name, account), options(part.path)));
      out.add(part.file, kept, part.toFile);
      if (skipped > 0) out.all.push(unknownState(part.file, part.path, part.identitiesUnknown));
      facts = { ...facts, membershipUnknown: true };
    } else {
      // An identity list holding a value not known offline: membership cannot be judged (VALUE_UNRESOLVED says so).
      if (containsUnresolved(readOwn(part.value, "identity"))) facts = { ...facts, membershipUnknown: true };
      out.add(part.file, checkPool(part.value, facts, options(part.path)), part.toFile);
    }
    byName.add(part.file, facts);
  }
  return byName;
}

/** The facts of the pool a job runs on, found once per job and shared by all its tasks (the guards' resolver, src/rules/placement.ts). */
function jobPool(job: Part, jobId: string, pools: Pools, account: AccountFacts | undefined, out: Findings): PoolFacts {
  const found: Finding[] = [];
  const facts = placeJob(job.value, job.path, jobId, (poolId) => pools.get(job.file, poolId), account, found);
  out.add(job.file, found);
  return facts;
}

function checkJob(job: Part, fallbackId: string, pools: Pools, account: AccountFacts | undefined, out: Findings): void {
  if (typeof job.value !== "object" || job.value === null || Array.isArray(job.value)) {
    out.add(job.file, checkIdentityUsesOnPool("job", job.value, unknownPoolFacts("(no pool)", account), options(job.path)));
    return;
  }
  const jobId = idOf(job.value, fallbackId);
  const pool = jobPool(job, jobId, pools, account, out);
  out.add(job.file, checkIdentityUsesOnPool("job", job.value, pool, options(job.path)));
  const tasksPath = join(job.path, "tasks");
  const tasks = readOwn(job.value, "tasks");
  if (tasks === undefined || tasks === null) return;
  if (!Array.isArray(tasks)) {
    out.add(job.file, [finding("INVALID_SHAPE", tasksPath, messages.invalidShape("expected an array of Batch task bodies"), fixes.invalidShape.json())]);
    return;
  }
  for (let t = 0; t < tasks.length; t++) out.add(job.file, checkIdentityUsesOnPool("task", tasks[t], pool, options(`${tasksPath}[${t}]`)));
}

/** A job schedule: its `jobSpecification` is checked as a job (every job site again under it). */
function checkJobSchedule(schedule: Part, index: number, pools: Pools, account: AccountFacts | undefined, out: Findings): void {
  const spec = readOwn(schedule.value, "jobSpecification");
  if (spec === undefined) return;
  const id = idOf(schedule.value, `jobSchedules[${index}]`);
  checkJob({ value: spec, path: join(schedule.path, "jobSpecification"), file: schedule.file }, id, pools, account, out);
}

/** Work given without its job or pool: every rule but membership, and one warning per file when membership was skipped. */
function checkLoose(owner: "task" | "node", parts: readonly Part[], account: AccountFacts | undefined, what: (count: number) => string, out: Findings): void {
  const skippedByFile = new Map<string, { path: string; count: number }>();
  const facts = emptyPoolFacts("(unknown pool)", account);
  for (const part of parts) {
    const { kept, skipped } = withoutMembership(checkIdentityUsesOnPool(owner, part.value, facts, options(part.path)));
    out.add(part.file, kept);
    if (skipped === 0) continue;
    const seen = skippedByFile.get(part.file);
    if (seen === undefined) skippedByFile.set(part.file, { path: part.path, count: 1 });
    else seen.count++;
  }
  for (const [file, { path, count }] of skippedByFile) out.all.push(unknownState(file, path, what(count)));
}

/** Drops the rules' findings about values that could not be resolved (a warning already says so). */
function dropUnresolved(all: FileFinding[], d: Deployment): FileFinding[] {
  if (d.unresolved.size === 0 && !all.some((f) => mentionsUnresolved(f.message))) return all;
  return all.filter((f) => {
    if (f.code === "VALUE_UNRESOLVED") return true;
    if (mentionsUnresolved(f.message) || mentionsUnresolved(f.path) || mentionsUnresolved(f.fix)) return false;
    const paths = d.unresolved.get(f.file);
    return paths === undefined || !paths.some((p) => isUnder(f.path, p));
  });
}

/**
 * Checks the joined model of one `check` run: references resolve across every file; each finding
 * names the file and the path in it.
 *
 * @internal Used by `typed-batch check`.
 * @example
 * ```ts
 * const deployment = emptyDeployment();
 * mergeDeployment(deployment, readDocument(JSON.parse(text), "pool.json").deployment);
 * const findings = diagnoseDeployment(deployment);
 * ```
 */
export function diagnoseDeployment(d: Deployment): FileFinding[] {
  const out = new Findings();
  for (const note of d.notes) out.all.push(note);
  const accounts = checkAccounts(d, out);
  const pools = checkPools(d, accounts, out);
  for (let j = 0; j < d.jobs.length; j++) {
    const job = d.jobs[j] as Part;
    checkJob(job, job.path === "" ? "job" : job.path, pools, accountIn(job.file, accounts), out);
  }
  for (let s = 0; s < d.jobSchedules.length; s++) {
    const schedule = d.jobSchedules[s] as Part;
    checkJobSchedule(schedule, s, pools, accountIn(schedule.file, accounts), out);
  }
  checkLoose("task", d.tasks, accounts.only, (n) => `${n === 1 ? "a task is" : `${n} tasks are`} given without the job they run in, so the pool's identities are unknown`, out);
  checkLoose("node", d.uploads, accounts.only, () => `an upload-logs body names no pool, so the node's identities are unknown`, out);
  for (const f of permissionFindings(d, accounts.only)) out.all.push(f);
  return dropUnresolved(out.all, d).map(restoreFinding);
}

/** Writes `subid` back where the stand-in GUID reached a printed field. */
function restoreFinding(f: FileFinding): FileFinding {
  if (!f.message.includes(placeholderGuid) && !f.path.includes(placeholderGuid) && !f.fix.includes(placeholderGuid)) return f;
  return { ...f, path: restorePlaceholders(f.path), message: restorePlaceholders(f.message), fix: restorePlaceholders(f.fix) };
}

/**
 * Checks plain JSON in the Azure REST wire format offline and returns every finding.
 *
 * Takes a bundle (`{ account, pools, jobs, jobSchedules }`, every key optional, each job with its
 * `tasks`), one Batch REST body (ARM account or pool, create or update; data-plane pool, job, job
 * schedule, task, task collection, upload-logs), an ARM deployment template or a Terraform plan
 * (`terraform show -json`). Paths in the findings point into the value given. Never throws:
 * input it cannot use yields `INVALID_SHAPE` findings.
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
  const read = readDocument(bundle, "");
  if (!read.ok) return read.findings?.map(({ file: _file, ...f }) => f) ?? [finding("INVALID_SHAPE", "", messages.invalidShape(read.reason), fixes.invalidShape.json())];
  return diagnoseDeployment(read.deployment).map(({ file: _file, ...f }) => f);
}
