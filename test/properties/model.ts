/**
 * Random configurations of account, pool, job and tasks over every identity-reference site, and
 * their two renderings: the Azure SDK JSON (what the guards check and what is sent to Azure) and a
 * TypeScript program in builder syntax (what the compiler checks).
 *
 * The identity universe is three user-assigned identities (indexes 0..2). A reference names one of
 * them; `spelling` varies the letter case of the id (ARM ids are case-insensitive, domain rule 10) or
 * adds a trailing slash (a malformed id to both the guards and ARM). In `wide` programs an identity's
 * handles are declared by literal id, under a label, or both (each reference, the account's and the
 * pool's attachments included, picks one), and a rogue handle gives one identity's label to another
 * id, at a task, pool or job site or on the account itself. An identity may also have a second label
 * (`"M<i>"`), used at some sites while the first is used at others (one id under two labels), and a
 * pair of handles with one label outside the pool's and the account's (`Config.own`) is used twice by
 * one resource (a conflict between its own uses) or once each by two resources (no conflict). The
 * JSON has the same ids either way.
 */
import fc from "fast-check";
import { type AccountLike, type PoolLike, validateAccount, validateJob, validateJobSchedule, validatePool, validateTask } from "typed-batch";

export type IdIx = 0 | 1 | 2;
/** `slash`: a trailing slash, which ARM refuses as a malformed id (JSON only). */
export type Spelling = "exact" | "lower" | "upper" | "slash";
/**
 * Which handle of a `mixed` or `twoLabels` identity (`Config.handles`) a reference uses: the one
 * labelled `"L<i>"`, the one keyed by its literal id, or (`twoLabels` only; `mixed` takes the
 * labelled one) the one labelled `"M<i>"`. All name the same id, so the JSON is the same either way.
 */
export type Via = "label" | "literal" | "second";
/**
 * How a `wide` program declares an identity: by its literal id, under its label (`"L<i>"`), both
 * (each reference then chooses by its `via`), or `twoLabels`: under `"L<i>"`, under a second label
 * `"M<i>"` and by its literal id (one id under two labels).
 */
export type HandleMode = "literal" | "labelled" | "mixed" | "twoLabels";
export interface Ref {
  readonly id: IdIx;
  readonly spelling: Spelling;
  /** `wide` only: which handle of a `mixed` identity the reference uses (default the labelled one). */
  readonly via?: Via;
  /**
   * `wide` only: the reference is made with the configuration's rogue handle, which carries the
   * label of another identity of the pool or the account (`Config.rogue`) but this reference's id.
   */
  readonly rogue?: boolean;
  /** `wide` only: the reference is made with the first (0) or second (1) handle of `Config.own`. */
  readonly own?: 0 | 1;
}

/** One resource file: autostorage container (no identity of its own), container URL or blob URL, with an identity or a SAS. */
export type FileCfg = { readonly kind: "auto" } | { readonly kind: "container"; readonly identity?: Ref } | { readonly kind: "http"; readonly identity?: Ref };

/** A task-shaped thing (task, job manager/preparation/release task, start task). */
export interface TaskCfg {
  readonly files: readonly FileCfg[];
  /** Output files: each with an identity or a SAS URL (`null`). Only on tasks and job manager tasks. */
  readonly outputs: readonly (Ref | null)[];
  /** Container registry with an identity. */
  readonly registry?: Ref;
  /** Application package references. Only on tasks and job manager tasks. */
  readonly appPackages: boolean;
  /** Multi-instance settings with these common resource files (tasks only; `wide` configurations). */
  readonly common?: readonly FileCfg[];
}

export interface Config {
  readonly account: {
    /** `wide`: a customer-managed key (keySource Microsoft.KeyVault), which needs the system-assigned identity. */
    readonly cmk?: boolean;
    readonly identity: "None" | "SystemAssigned" | "UserAssigned";
    /** Ids of a `UserAssigned` account identity (the JSON-only case of none is `MissingIdentityIds`). */
    readonly identities: readonly IdIx[];
    readonly autoStorage: "none" | "StorageKeys" | "BatchAccountManagedIdentity";
    readonly nodeIdentity?: IdIx;
  };
  readonly pool: {
    readonly identities: readonly IdIx[];
    /** JSON only: a pool identity type the builders cannot express. */
    readonly systemAssigned: boolean;
    readonly appPackages: boolean;
    readonly startTask?: TaskCfg & { readonly waitForSuccess: boolean };
    readonly registry?: Ref;
    /** A blob mount with an identity, or with an account key (`null`). */
    readonly mount?: Ref | null;
  };
  readonly job: {
    /** `wide`: the job runs on an auto-pool (which carries no identity) instead of the pool. */
    readonly autoPool?: boolean;
    readonly manager?: TaskCfg;
    readonly preparation?: TaskCfg;
    readonly release?: TaskCfg;
  };
  readonly tasks: readonly TaskCfg[];
  /**
   * `wide`: how each identity's handles are declared (in every spelling): by literal id, under the
   * label `"L<i>"`, or both (a labelled and a literal-id handle for the same id, chosen per reference).
   */
  readonly handles?: readonly HandleMode[];
  /**
   * `wide`: which handle the account's identities, the autostorage node identity and the pool's
   * `withIdentities` use, per identity index (for `mixed` identities; default the labelled one).
   */
  readonly attach?: { readonly account: readonly Via[]; readonly node: Via; readonly pool: readonly Via[] };
  /**
   * `wide`: a handle with the label of identity `label` and the id of `id` (one label, two ids), used
   * by the refs marked `rogue`, or (`at`) as the account's identity `id` (in place of its own
   * handle) or as the autostorage node identity; the JSON has `id` there.
   */
  readonly rogue?: { readonly label: IdIx; readonly id: IdIx; readonly at?: "account" | "node" };
  /**
   * `wide`: two handles with one label (`label`) and two ids (`ids`), a label no handle of the pool
   * or the account carries, used by two references (`Ref.own` 0 and 1) at `at`: both in one resource
   * (the only label conflict is between that resource's own uses) or (`split-...`) one in each of two
   * resources (no conflict). `task` is the task index of the task sites (`split-tasks`: tasks 0 and 1).
   */
  readonly own?: { readonly label: string; readonly ids: readonly [IdIx, IdIx]; readonly at: OwnSite; readonly task?: number };
  /** `wide`: a job schedule on the pool, its job specification's tasks shaped like the job's. */
  readonly schedule?: { readonly manager?: TaskCfg; readonly preparation?: TaskCfg; readonly release?: TaskCfg };
}

/**
 * Where the two uses of `Config.own` are. In one resource: a task's multi-instance common resource
 * files (one call), two resource files (two calls), a resource file and an output file, its container
 * registry and a resource file; a job's manager and preparation tasks, or one manager task's resource
 * and output files (one argument); a job schedule's manager and preparation tasks; a pool's start task
 * and registry, registry and mount, or two resource files of its start task (one argument). In two
 * resources (`split-`): the pool's registry and a task, the job's manager task and a task, two tasks,
 * the job's and the job schedule's preparation tasks.
 */
export const OWN_SITES = [
  "task-common",
  "task-files",
  "task-file-output",
  "task-registry-file",
  "job-manager-preparation",
  "job-one-task",
  "schedule-manager-preparation",
  "pool-start-registry",
  "pool-registry-mount",
  "pool-start-files",
  "split-pool-task",
  "split-job-task",
  "split-tasks",
  "split-job-schedule",
] as const;
export type OwnSite = (typeof OWN_SITES)[number];

/**
 * The resources (statement names of the builder program) holding the first and the second use of
 * `Config.own`: the same one unless the site is a `split-` one, where the second comes later.
 */
export function ownResources(own: NonNullable<Config["own"]>): { readonly first: string; readonly second: string } {
  const task = `task${own.task ?? 0}`;
  switch (own.at) {
    case "split-pool-task":
      return { first: "pool", second: task };
    case "split-job-task":
      return { first: "job", second: task };
    case "split-tasks":
      return { first: "task0", second: "task1" };
    case "split-job-schedule":
      return { first: "job", second: "schedule" };
  }
  const one = own.at.startsWith("task-") ? task : own.at.startsWith("job-") ? "job" : own.at.startsWith("schedule-") ? "schedule" : "pool";
  return { first: one, second: one };
}

export interface GenOptions {
  /** Allow JSON-only configurations the builders cannot express (types test: false). */
  readonly jsonOnly: boolean;
  /**
   * Also generate the sites and rules the emulator-backed tests do not drive (types test: true):
   * account customer-managed keys, jobs on auto-pools, multi-instance common resource files, job schedules.
   */
  readonly wide?: boolean;
}

const idIx = fc.constantFrom<IdIx>(0, 1, 2);

/** `arb` in about one case of five, else `undefined` (keeps the generated programs small). */
const rarely = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: arb, weight: 1 });

const drop = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** A reference: mostly to an identity of `preferred` (the pool's), so that accepted configurations are common. */
function refArb(jsonOnly: boolean, preferred: readonly IdIx[] = [], wide = false): fc.Arbitrary<Ref> {
  const id = preferred.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...preferred), weight: 6 }, { arbitrary: idIx, weight: 1 }) : idIx;
  // Rare trailing slashes: a configuration has many references and one malformed id refuses it all.
  const spelling = fc.oneof({ arbitrary: fc.constantFrom<Spelling>("exact", "exact", "lower", "upper"), weight: 24 }, { arbitrary: fc.constant<Spelling>("slash"), weight: 1 });
  // Builder programs spell ids in another letter case too (a handle declared with that spelling):
  // the types compare ids case-insensitively, as the guards do.
  const record = { id, spelling: jsonOnly ? spelling : fc.constantFrom<Spelling>("exact", "exact", "lower", "upper") };
  // `wide` programs: the handle a reference to a `mixed` identity uses (the others ignore it).
  return wide ? fc.record({ ...record, via }) : fc.record(record);
}

const via = fc.constantFrom<Via>("label", "literal", "second");

function fileArb(autoStorage: boolean, jsonOnly: boolean, preferred: readonly IdIx[], wide: boolean): fc.Arbitrary<FileCfg> {
  const ref = fc.option(refArb(jsonOnly, preferred, wide), { nil: undefined, freq: 3 });
  const kinds: fc.Arbitrary<FileCfg>[] = [
    ref.map((identity) => (identity === undefined ? { kind: "container" as const } : { kind: "container" as const, identity })),
    ref.map((identity) => (identity === undefined ? { kind: "http" as const } : { kind: "http" as const, identity })),
  ];
  if (autoStorage) kinds.push(fc.constant({ kind: "auto" as const }));
  return fc.oneof(...kinds);
}

function taskArb(parts: { autoStorage: boolean; outputs: boolean; appPackages: boolean; registry: boolean; jsonOnly: boolean; preferred: readonly IdIx[]; wide: boolean; common?: boolean }): fc.Arbitrary<TaskCfg> {
  const ref = refArb(parts.jsonOnly, parts.preferred, parts.wide);
  return fc.record({
    files: fc.array(fileArb(parts.autoStorage, parts.jsonOnly, parts.preferred, parts.wide), { maxLength: 3 }),
    outputs: parts.outputs ? fc.array(fc.option(ref, { nil: null, freq: 3 }), { maxLength: 2 }) : fc.constant([]),
    registry: parts.registry ? fc.option(ref, { nil: undefined, freq: 3 }) : fc.constant(undefined),
    appPackages: parts.appPackages ? fc.boolean() : fc.constant(false),
    common: parts.common === true ? rarely(fc.array(fileArb(parts.autoStorage, parts.jsonOnly, parts.preferred, parts.wide), { minLength: 1, maxLength: 2 })) : fc.constant(undefined),
  }).map(({ registry, common, ...rest }) => drop({ ...rest, registry, common }) as TaskCfg);
}

/** The configuration arbitrary. */
export function configArb(options: GenOptions): fc.Arbitrary<Config> {
  const { jsonOnly } = options;
  const wide = options.wide === true;
  // `wide` programs have many more references (labels, rogues, schedules): an empty pool refuses
  // nearly all of them, so it is rarer there, which keeps accepted programs common.
  const anyIds = fc.uniqueArray(idIx, { maxLength: 3 });
  const ids = wide ? fc.oneof({ arbitrary: anyIds, weight: 1 }, { arbitrary: fc.uniqueArray(idIx, { minLength: 1, maxLength: 3 }), weight: 2 }) : anyIds;
  const account = fc
    .record({
      // `wide` programs refuse more (own-use label conflicts): an account without identity, which
      // autostorage by managed identity refuses, is rarer there.
      identity: (wide ? fc.constantFrom("None", "SystemAssigned", "SystemAssigned", "UserAssigned", "UserAssigned", "UserAssigned") : fc.constantFrom("None", "SystemAssigned", "UserAssigned")) as fc.Arbitrary<Config["account"]["identity"]>,
      identities: fc.uniqueArray(idIx, { minLength: jsonOnly ? 0 : 1, maxLength: 2 }),
      autoStorage: fc.constantFrom("none", "StorageKeys", "BatchAccountManagedIdentity", "BatchAccountManagedIdentity") as fc.Arbitrary<Config["account"]["autoStorage"]>,
      nodeIdentity: fc.option(idIx, { nil: undefined, freq: 4 }),
      cmk: wide ? fc.nat({ max: 7 }).map((n) => n === 0) : fc.constant(undefined),
    })
    .map((a) => drop({ ...a, identities: a.identity === "UserAssigned" ? a.identities : [], nodeIdentity: a.autoStorage === "none" ? undefined : a.nodeIdentity }) as Config["account"]);
  // `wide`: in about half the programs with a node identity, the pool has it too (a node identity
  // missing from the pool refuses every task otherwise, and own-use label conflicts refuse more).
  const withNode = (acct: Config["account"]) =>
    acct.nodeIdentity === undefined ? ids : fc.tuple(ids, fc.boolean()).map(([poolIds, add]) => (add && acct.nodeIdentity !== undefined && !poolIds.includes(acct.nodeIdentity) ? [...poolIds, acct.nodeIdentity] : poolIds));
  const accountAndIds = wide ? account.chain((acct) => withNode(acct).map((poolIds) => [acct, poolIds] as const)) : fc.tuple(account, ids);
  return accountAndIds.chain(([acct, poolIds]) => {
    const auto = acct.autoStorage !== "none";
    const full = { autoStorage: auto, jsonOnly, preferred: poolIds, wide };
    const ref = refArb(jsonOnly, poolIds, wide);
    const pool = fc
      .record({
        identities: fc.constant(poolIds),
        systemAssigned: jsonOnly ? fc.nat({ max: 9 }).map((n) => n === 0) : fc.constant(false),
        appPackages: auto ? fc.boolean() : fc.constant(false),
        startTask: fc.option(
          fc.tuple(taskArb({ ...full, outputs: false, appPackages: false, registry: true }), fc.boolean()).map(([t, waitForSuccess]) => ({ ...t, waitForSuccess })),
          { nil: undefined, freq: 2 },
        ),
        registry: fc.option(ref, { nil: undefined, freq: 3 }),
        mount: fc.option(fc.option(ref, { nil: null, freq: 3 }), { nil: undefined, freq: 3 }),
      })
      .map(drop);
    // Batch refuses a release task without a preparation task (it runs where that one ran): add a bare one.
    const withPreparation = (j: { readonly release?: TaskCfg | undefined; readonly preparation?: TaskCfg | undefined }): Config["job"] =>
      drop(j.release !== undefined && j.preparation === undefined ? { ...j, preparation: { files: [], outputs: [], appPackages: false } } : j) as Config["job"];
    const jobTasks = (parts: typeof full) =>
      fc.record({
        manager: fc.option(taskArb({ ...parts, outputs: true, appPackages: parts.autoStorage, registry: true }), { nil: undefined, freq: 2 }),
        preparation: fc.option(taskArb({ ...parts, outputs: false, appPackages: false, registry: true }), { nil: undefined, freq: 2 }),
        release: fc.option(taskArb({ ...parts, outputs: false, appPackages: false, registry: true }), { nil: undefined, freq: 3 }),
      });
    // A job on an auto-pool reads no autostorage here: `autoPool(...)` is made without the account, so
    // neither side knows its node identity (that combination is covered by the builder tests).
    const onAutoPool = wide ? fc.nat({ max: 9 }).map((n) => n === 0) : fc.constant(false);
    return onAutoPool.chain((autoPool) => {
      const parts = autoPool ? { ...full, autoStorage: false } : full;
      const job = jobTasks(parts).map((j) => withPreparation(drop({ ...j, autoPool: autoPool || undefined })));
      const tasks = fc.array(taskArb({ ...parts, outputs: true, appPackages: parts.autoStorage, registry: true, common: wide }), { minLength: 1, maxLength: 3 });
      const schedule = wide ? rarely(jobTasks(full).map(withPreparation)) : fc.constant(undefined);
      const mode = fc.constantFrom<HandleMode>("literal", "labelled", "mixed", "twoLabels");
      const handles = wide ? fc.tuple(mode, mode, mode) : fc.constant(undefined);
      const attach = wide ? fc.record({ account: fc.tuple(via, via, via), node: via, pool: fc.tuple(via, via, via) }) : fc.constant(undefined);
      // A rogue handle (one label, two ids) in about one program of six, when an identity of the
      // pool or the account is labelled: half of the places are the account's.
      // (Drawn in every mode, as before, so the other tests' configurations stay the same for a seed.)
      const rogue = fc.tuple(fc.nat({ max: 5 }), idIx, fc.nat({ max: wide ? 5 : 2 }));
      // Own uses under one label (about one program of five): which site (in one resource, which
      // always refuses it, or in two, as often), which two identities, which task.
      const sites = [OWN_SITES.filter((o) => !o.startsWith("split-")), OWN_SITES.filter((o) => o.startsWith("split-"))].map((list) => fc.constantFrom(...list));
      const own = wide ? fc.tuple(fc.nat({ max: 4 }), fc.oneof(...sites), fc.nat({ max: 5 }), fc.nat({ max: 5 }), fc.nat({ max: 2 })) : fc.constant(undefined);
      return fc
        .record({ account: fc.constant(acct), pool, job, tasks, schedule, handles, attach, rogue, own })
        .map(({ rogue: [dice, other, where], own: ownDraw, ...cfg }) => {
          const withR = withRogue(drop(cfg) as Config, dice === 0, other, where);
          return ownDraw === undefined || ownDraw[0] !== 0 ? withR : withOwnUses(withR, ownDraw[1], ownDraw[2], ownDraw[3], ownDraw[4]);
        });
    });
  });
}

/**
 * Adds a rogue handle: the label of a labelled identity of the pool or the account with another
 * identity's id, used by one reference (a task's resource file, the pool's registry, or the job's
 * preparation task file) or placed on the account (one of its user-assigned identities, or the
 * autostorage node identity), where the JSON then has the rogue's id.
 */
function withRogue(cfg: Config, wanted: boolean, other: IdIx, where: number): Config {
  const a = cfg.account;
  const candidates = [...cfg.pool.identities, ...a.identities, ...(a.nodeIdentity === undefined ? [] : [a.nodeIdentity])];
  const label = candidates.find((i) => cfg.handles?.[i] !== undefined && cfg.handles[i] !== "literal");
  if (!wanted || label === undefined) return cfg;
  const id = other === label ? (((label + 1) % 3) as IdIx) : other;
  const ref: Ref = { id, spelling: "exact", rogue: true };
  const file: FileCfg = { kind: "container", identity: ref };
  const withFile = (t: TaskCfg): TaskCfg => ({ ...t, files: [...t.files, file] });
  if (where === 0 && cfg.tasks[0] !== undefined) return { ...cfg, rogue: { label, id }, tasks: [withFile(cfg.tasks[0]), ...cfg.tasks.slice(1)] };
  if (where === 1) return { ...cfg, rogue: { label, id }, pool: { ...cfg.pool, registry: ref } };
  // On the account: a user-assigned account identity (the account becomes user-assigned if it was not) ...
  if (where === 3 || where === 4) return { ...cfg, rogue: { label, id, at: "account" }, account: { ...a, identity: "UserAssigned", identities: [...a.identities.filter((i) => i !== id), id] } };
  // ... or the node identity (with autostorage by managed identity if the account had none).
  if (where === 5) return { ...cfg, rogue: { label, id, at: "node" }, account: { ...a, autoStorage: a.autoStorage === "none" ? "BatchAccountManagedIdentity" : a.autoStorage, nodeIdentity: id } };
  const preparation = cfg.job.preparation ?? { files: [], outputs: [], appPackages: false };
  return { ...cfg, rogue: { label, id }, job: { ...cfg.job, preparation: withFile(preparation) } };
}

const bareTask: TaskCfg = { files: [], outputs: [], appPackages: false };

/**
 * Adds `Config.own`: two handles under one label that no handle of the pool or the account carries
 * (`"L<a>"` when identity `a` is declared by literal id only, else a fresh `"O<a>"`), with ids `a`
 * and `b` (the pool's where it has them), used at `at`. Each set-once part (start task, job-level
 * task, container settings, multi-instance settings) is still set once: the uses join its config.
 */
function withOwnUses(cfg: Config, at: OwnSite, x: number, y: number, taskDraw: number): Config {
  // The pool's registry may already be the rogue's one use: it stays (the rogue handle is used).
  if (cfg.pool.registry?.rogue === true && (at === "pool-start-registry" || at === "pool-registry-mount" || at === "split-pool-task")) return cfg;
  // Ids of the pool where it has them, so that the label conflict is the only problem.
  const pool = cfg.pool.identities;
  const all = [0, 1, 2] as const;
  const from = pool.length > 0 ? pool : all;
  const a = from[x % from.length] as IdIx;
  const rest = (pool.length >= 2 ? pool : all).filter((i) => i !== a);
  const b = rest[y % rest.length] as IdIx;
  const label = (cfg.handles?.[a] ?? "literal") === "literal" ? `L${a}` : `O${a}`;
  const A: Ref = { id: a, spelling: "exact", own: 0 };
  const B: Ref = { id: b, spelling: "exact", own: 1 };
  const fileA: FileCfg = { kind: "container", identity: A };
  const fileB: FileCfg = { kind: "http", identity: B };
  const k = taskDraw % cfg.tasks.length;
  const addFiles = (t: TaskCfg | undefined, ...files: FileCfg[]): TaskCfg => ({ ...(t ?? bareTask), files: [...(t ?? bareTask).files, ...files] });
  const setTask = (c: Config, i: number, f: (t: TaskCfg | undefined) => TaskCfg): Config => {
    const tasks = [...c.tasks];
    tasks[i] = f(tasks[i]);
    return { ...c, tasks };
  };
  const own = { label, ids: [a, b] as const, at, ...((at.startsWith("task-") || at === "split-pool-task" || at === "split-job-task") && { task: k }) };
  const c: Config = { ...cfg, own };
  const startTask = (t: Config["pool"]["startTask"]) => t ?? { ...bareTask, waitForSuccess: false };
  switch (at) {
    case "task-common":
      return setTask(c, k, (t) => ({ ...(t ?? bareTask), common: [...((t ?? bareTask).common ?? []), fileA, fileB] }));
    case "task-files":
      return setTask(c, k, (t) => addFiles(t, fileA, fileB));
    case "task-file-output":
      return setTask(c, k, (t) => ({ ...addFiles(t, fileA), outputs: [...(t ?? bareTask).outputs, B] }));
    case "task-registry-file":
      return setTask(c, k, (t) => ({ ...addFiles(t, fileB), registry: A }));
    case "job-manager-preparation":
      return { ...c, job: { ...c.job, manager: addFiles(c.job.manager, fileA), preparation: addFiles(c.job.preparation, fileB) } };
    case "job-one-task": {
      const manager = addFiles(c.job.manager, fileA);
      return { ...c, job: { ...c.job, manager: { ...manager, outputs: [...manager.outputs, B] } } };
    }
    case "schedule-manager-preparation": {
      const s = c.schedule ?? {};
      return { ...c, schedule: { ...s, manager: addFiles(s.manager, fileA), preparation: addFiles(s.preparation, fileB) } };
    }
    case "pool-start-registry": {
      const t = startTask(c.pool.startTask);
      return { ...c, pool: { ...c.pool, startTask: { ...t, files: [...t.files, fileA] }, registry: B } };
    }
    case "pool-registry-mount":
      return { ...c, pool: { ...c.pool, registry: A, mount: B } };
    case "pool-start-files": {
      const t = startTask(c.pool.startTask);
      return { ...c, pool: { ...c.pool, startTask: { ...t, files: [...t.files, fileA, fileB] } } };
    }
    case "split-pool-task":
      return setTask({ ...c, pool: { ...c.pool, registry: A } }, k, (t) => addFiles(t, fileB));
    case "split-job-task":
      return setTask({ ...c, job: { ...c.job, manager: addFiles(c.job.manager, fileA) } }, k, (t) => addFiles(t, fileB));
    case "split-tasks": {
      const two = c.tasks.length >= 2 ? c : { ...c, tasks: [...c.tasks, bareTask] };
      return setTask(setTask(two, 0, (t) => addFiles(t, fileA)), 1, (t) => addFiles(t, fileB));
    }
    case "split-job-schedule": {
      const s = c.schedule ?? {};
      return { ...c, job: { ...c.job, preparation: addFiles(c.job.preparation, fileA) }, schedule: { ...s, preparation: addFiles(s.preparation, fileB) } };
    }
  }
}

// ------------------------------------------------------------------------------------------ JSON

/** Where the configuration's names point. */
export interface World {
  /** Resource ids of the three identities. */
  readonly ids: readonly [string, string, string];
  readonly storageAccountId: string;
  /** Container with blobs `scene/frame.txt` (resource files). */
  readonly containerUrl: string;
  /** Blob URL of `scene/frame.txt`. */
  readonly blobUrl: string;
  /** Container for outputs. */
  readonly outputUrl: string;
  /** Storage account name and container of blob mounts. */
  readonly mountAccount: string;
  readonly mountContainer: string;
  readonly registryServer: string;
  readonly location: string;
  /** The autostorage container name for `auto` files. */
  readonly autoContainer: string;
}

/** A SAS query whose signature is a recognisable canary. */
export const SAS = "sv=2022-11-02&sr=c&sp=rl&sig=CANARYSIG0123456789abcdef";

export function spell(world: World, ref: Ref): string {
  const id = world.ids[ref.id];
  if (ref.spelling === "lower") return id.toLowerCase();
  if (ref.spelling === "slash") return `${id}/`;
  if (ref.spelling === "upper") return id.replace("/resourceGroups/", "/RESOURCEGROUPS/").replace("/providers/Microsoft.ManagedIdentity/userAssignedIdentities/", "/providers/MICROSOFT.MANAGEDIDENTITY/USERASSIGNEDIDENTITIES/");
  return id;
}

const identityMap = (world: World, ixs: readonly IdIx[]) => Object.fromEntries(ixs.map((i) => [world.ids[i], {}]));

function fileJson(world: World, f: FileCfg): Record<string, unknown> {
  switch (f.kind) {
    case "auto":
      return { autoStorageContainerName: world.autoContainer, blobPrefix: "scene/" };
    case "container":
      return f.identity
        ? { storageContainerUrl: world.containerUrl, blobPrefix: "scene/", identityReference: { resourceId: spell(world, f.identity) } }
        : { storageContainerUrl: `${world.containerUrl}?${SAS}`, blobPrefix: "scene/" };
    case "http":
      return f.identity
        ? { httpUrl: world.blobUrl, filePath: "frame.txt", identityReference: { resourceId: spell(world, f.identity) } }
        : { httpUrl: `${world.blobUrl}?${SAS}`, filePath: "frame.txt" };
  }
}

function registryJson(world: World, r: Ref) {
  return { registryServer: world.registryServer, identityReference: { resourceId: spell(world, r) } };
}

function taskPartsJson(world: World, t: TaskCfg): Record<string, unknown> {
  return {
    ...(t.files.length > 0 && { resourceFiles: t.files.map((f) => fileJson(world, f)) }),
    ...(t.outputs.length > 0 && {
      outputFiles: t.outputs.map((o) => ({
        filePattern: "*.txt",
        destination: { container: o ? { containerUrl: world.outputUrl, path: "out", identityReference: { resourceId: spell(world, o) } } : { containerUrl: `${world.outputUrl}?${SAS}`, path: "out" } },
        uploadOptions: { uploadCondition: "taskcompletion" },
      })),
    }),
    ...(t.registry && { containerSettings: { imageName: `${world.registryServer}/render:1`, registry: registryJson(world, t.registry) } }),
    ...(t.appPackages && { applicationPackageReferences: [{ applicationId: "ffmpeg", version: "6.1" }] }),
    ...(t.common && { multiInstanceSettings: { numberOfInstances: 2, coordinationCommandLine: "coord.sh", commonResourceFiles: t.common.map((f) => fileJson(world, f)) } }),
  };
}

/** The key of a customer-managed account key (a literal Key Vault key URL). */
export const KEY_ID = "https://rendervault.vault.azure.net/keys/batch/0123456789abcdef";
const AUTO_POOL = { poolLifetimeOption: "job", pool: { vmSize: "STANDARD_D2S_V3" } } as const;

function jobTasksJson(world: World, j: { readonly manager?: TaskCfg; readonly preparation?: TaskCfg; readonly release?: TaskCfg }) {
  return {
    ...(j.manager && { jobManagerTask: { id: "manager", commandLine: "manage.sh", ...taskPartsJson(world, j.manager) } }),
    ...(j.preparation && { jobPreparationTask: { commandLine: "prep.sh", ...taskPartsJson(world, j.preparation) } }),
    ...(j.release && { jobReleaseTask: { commandLine: "release.sh", ...taskPartsJson(world, j.release) } }),
  };
}

/** The SDK JSON of a configuration: `BatchAccountCreateParameters`, ARM `Pool`, `JobAddParameter`, `TaskAddParameter[]`. */
export function toJson(cfg: Config, world: World, names: { pool: string; job: string }) {
  const a = cfg.account;
  const account = {
    location: world.location,
    identity: a.identity === "UserAssigned" ? { type: "UserAssigned", userAssignedIdentities: identityMap(world, a.identities) } : { type: a.identity },
    ...(a.autoStorage !== "none" && {
      autoStorage: {
        storageAccountId: world.storageAccountId,
        authenticationMode: a.autoStorage,
        ...(a.nodeIdentity !== undefined && { nodeIdentityReference: { resourceId: world.ids[a.nodeIdentity] } }),
      },
    }),
    ...(a.cmk === true && { encryption: { keySource: "Microsoft.KeyVault", keyVaultProperties: { keyIdentifier: KEY_ID } } }),
  };
  const p = cfg.pool;
  const pool = {
    name: names.pool,
    identity: p.systemAssigned
      ? { type: "SystemAssigned" }
      : p.identities.length > 0
        ? { type: "UserAssigned", userAssignedIdentities: identityMap(world, p.identities) }
        : { type: "None" },
    vmSize: "STANDARD_D2S_V3",
    scaleSettings: { fixedScale: { targetDedicatedNodes: 1 } },
    ...(p.registry && {
      deploymentConfiguration: {
        virtualMachineConfiguration: {
          imageReference: { publisher: "microsoft-azure-batch", offer: "ubuntu-server-container", sku: "20-04-lts", version: "latest" },
          nodeAgentSkuId: "batch.node.ubuntu 20.04",
          containerConfiguration: { type: "DockerCompatible", containerRegistries: [registryJson(world, p.registry)] },
        },
      },
    }),
    ...(p.appPackages && { applicationPackages: [{ id: "ffmpeg", version: "6.1" }] }),
    ...(p.startTask && { startTask: { commandLine: "setup.sh", ...taskPartsJson(world, p.startTask), waitForSuccess: p.startTask.waitForSuccess } }),
    ...(p.mount !== undefined && {
      mountConfiguration: [
        {
          azureBlobFileSystemConfiguration: {
            accountName: world.mountAccount,
            containerName: world.mountContainer,
            relativeMountPath: "data",
            ...(p.mount === null ? { accountKey: "CANARYACCOUNTKEY==" } : { identityReference: { resourceId: spell(world, p.mount) } }),
          },
        },
      ],
    }),
  };
  const j = cfg.job;
  const job = {
    id: names.job,
    poolInfo: j.autoPool === true ? { autoPoolSpecification: AUTO_POOL } : { poolId: names.pool },
    ...jobTasksJson(world, j),
  };
  const tasks = cfg.tasks.map((t, i) => ({ id: `t${i}`, commandLine: `render.sh ${i}`, ...taskPartsJson(world, t) }));
  const schedule = cfg.schedule && { id: `${names.job}-nightly`, schedule: { recurrenceInterval: "P1D" }, jobSpecification: { poolInfo: { poolId: names.pool }, ...jobTasksJson(world, cfg.schedule) } };
  return { account, pool, job, tasks, ...(schedule && { schedule }) };
}

export type ConfigJson = ReturnType<typeof toJson>;

/** Where the guards refuse, per resource. */
export interface GuardVerdict {
  readonly account: readonly string[];
  readonly pool: readonly string[];
  readonly job: readonly string[];
  readonly tasks: readonly (readonly string[])[];
  /** Present when the configuration has a job schedule. */
  readonly schedule?: readonly string[];
}

/** The guards the verdict comes from: the library's, or a mutant's (types-guards-mutants.ts). */
export interface Guards {
  readonly validateAccount: typeof validateAccount;
  readonly validatePool: typeof validatePool;
  readonly validateJob: typeof validateJob;
  readonly validateTask: typeof validateTask;
  readonly validateJobSchedule: typeof validateJobSchedule;
}

const libraryGuards: Guards = { validateAccount, validatePool, validateJob, validateTask, validateJobSchedule };

/** The guards' verdict over the SDK JSON: error codes (with paths) per resource. */
export function guardVerdict(json: ConfigJson, guards: Guards = libraryGuards): GuardVerdict {
  const { validateAccount, validatePool, validateJob, validateTask, validateJobSchedule } = guards;
  const errors = (r: { issues: readonly { severity: string; code: string; path: string }[] }) => r.issues.filter((i) => i.severity === "error").map((i) => `${i.code}@${i.path}`);
  // The JSON is the SDK models' shape with string literals widened; the guards take it as such.
  const account = json.account as unknown as AccountLike;
  const pool = json.pool as unknown as PoolLike;
  return {
    account: errors(validateAccount(account)),
    pool: errors(validatePool(pool, { account })),
    job: errors(validateJob(json.job, { pool, account })),
    tasks: json.tasks.map((t) => errors(validateTask(t, { job: json.job, pool, account }))),
    ...(json.schedule && { schedule: errors(validateJobSchedule(json.schedule, { pool, account })) }),
  };
}

export const accepted = (v: GuardVerdict) => v.account.length + v.pool.length + v.job.length + v.tasks.flat().length + (v.schedule?.length ?? 0) === 0;

// ------------------------------------------------------------------------------------------ builder source

/** What a builder program is written with: the world's names and the handle a reference uses. */
interface Writer {
  readonly world: World;
  readonly handle: (r: Ref) => string;
}

/**
 * The handle variable of a reference: `rogue`, `own0`/`own1` (`Config.own`), or `id<i>[_<spelling>]`
 * (the identity's handle as its mode declares it; for a `mixed` or `twoLabels` identity the one
 * labelled `"L<i>"`), `lit<i>[_<spelling>]` (the literal-id handle of a `mixed` or `twoLabels`
 * identity) or `m<i>[_<spelling>]` (the `"M<i>"` handle of a `twoLabels` identity).
 */
function handleOf(cfg: Config): (r: Ref) => string {
  return (r) => {
    if (r.rogue === true) return "rogue";
    if (r.own !== undefined) return `own${r.own}`;
    const mode = cfg.handles?.[r.id];
    const base = (mode === "mixed" || mode === "twoLabels") && r.via === "literal" ? "lit" : mode === "twoLabels" && r.via === "second" ? "m" : "id";
    return r.spelling === "exact" ? `${base}${r.id}` : `${base}${r.id}_${r.spelling}`;
  };
}

function fileTs({ world, handle }: Writer, f: FileCfg): string {
  switch (f.kind) {
    case "auto":
      return `resourceFile.fromAutoStorageContainer(${JSON.stringify(world.autoContainer)}, { blobPrefix: "scene/" })`;
    case "container":
      return f.identity
        ? `resourceFile.fromContainerUrl(${JSON.stringify(world.containerUrl)}, { blobPrefix: "scene/", identity: ${handle(f.identity)} })`
        : `resourceFile.fromContainerUrl(${JSON.stringify(`${world.containerUrl}?${SAS}`)}, { blobPrefix: "scene/" })`;
    case "http":
      return f.identity
        ? `resourceFile.fromHttpUrl(${JSON.stringify(world.blobUrl)}, { filePath: "frame.txt", identity: ${handle(f.identity)} })`
        : `resourceFile.fromHttpUrl(${JSON.stringify(`${world.blobUrl}?${SAS}`)}, { filePath: "frame.txt" })`;
  }
}

function outputTs({ world, handle }: Writer, o: Ref | null): string {
  return o
    ? `outputFile.toContainer({ filePattern: "*.txt", containerUrl: ${JSON.stringify(world.outputUrl)}, path: "out", identity: ${handle(o)}, uploadCondition: "taskCompletion" })`
    : `outputFile.toContainer({ filePattern: "*.txt", containerUrl: ${JSON.stringify(`${world.outputUrl}?${SAS}`)}, path: "out", uploadCondition: "taskCompletion" })`;
}

function containerSettingsTs({ world, handle }: Writer, r: Ref): string {
  return `{ imageName: ${JSON.stringify(`${world.registryServer}/render:1`)}, registry: { registryServer: ${JSON.stringify(world.registryServer)}, identity: ${handle(r)} } }`;
}

/** The object literal of a job-level task (manager, preparation, release) or a start task. */
function taskObjectTs(w: Writer, commandLine: string, t: TaskCfg, extra: string[] = []): string {
  const parts = [`commandLine: ${JSON.stringify(commandLine)}`, ...extra];
  if (t.files.length > 0) parts.push(`resourceFiles: [${t.files.map((f) => fileTs(w, f)).join(", ")}]`);
  if (t.outputs.length > 0) parts.push(`outputFiles: [${t.outputs.map((o) => outputTs(w, o)).join(", ")}]`);
  if (t.registry) parts.push(`containerSettings: ${containerSettingsTs(w, t.registry)}`);
  if (t.appPackages) parts.push(`applicationPackageReferences: [{ applicationId: "ffmpeg", version: "6.1" }]`);
  return `{ ${parts.join(", ")} }`;
}

/** A job's (or a job schedule's) task methods after `start`. */
function jobTasksTs(w: Writer, start: string, j: { readonly manager?: TaskCfg; readonly preparation?: TaskCfg; readonly release?: TaskCfg }): string {
  let jb = start;
  if (j.manager) jb += `.withManagerTask(${taskObjectTs(w, "manage.sh", j.manager, [`id: "manager"`])})`;
  if (j.preparation) jb += `.withPreparationTask(${taskObjectTs(w, "prep.sh", j.preparation)})`;
  if (j.release) jb += `.withReleaseTask(${taskObjectTs(w, "release.sh", j.release)})`;
  return jb;
}

/**
 * A TypeScript program building the configuration with typed-batch's builders, wrapped in a function
 * that is never called (only the compiler's verdict matters). Identity handles use literal ids, or
 * labels (`Config.handles`), or both.
 */
export function toBuilderSource(cfg: Config, world: World, n: number): string {
  const lines: string[] = [];
  const w: Writer = { world, handle: handleOf(cfg) };
  const handle = w.handle;
  lines.push(`import { autoPool, batchAccount, job, jobSchedule, outputFile, pool, resourceFile, task, userAssignedIdentity } from "typed-batch";`);
  lines.push(`export function program${n}() {`);
  // Each identity in every spelling: `id<i>` handles under the label "L<i>" (all but literal-id
  // identities) or by the literal id, `lit<i>` handles by the literal id too (mixed and twoLabels
  // identities), and `m<i>` handles under a second label "M<i>" (twoLabels identities).
  const declare = (name: string, i: IdIx, label: string | undefined) => {
    const arg = label === undefined ? "" : `, "${label}"`;
    lines.push(`  const ${name}${i} = userAssignedIdentity(${JSON.stringify(world.ids[i])}${arg});`);
    for (const spelling of ["lower", "upper"] as const) lines.push(`  const ${name}${i}_${spelling} = userAssignedIdentity(${JSON.stringify(spell(world, { id: i, spelling }))}${arg});`);
  };
  for (const i of [0, 1, 2] as const) {
    const mode = cfg.handles?.[i] ?? "literal";
    declare("id", i, mode === "literal" ? undefined : `L${i}`);
    if (mode === "mixed" || mode === "twoLabels") declare("lit", i, undefined);
    if (mode === "twoLabels") declare("m", i, `M${i}`);
  }
  if (cfg.rogue) lines.push(`  const rogue = userAssignedIdentity(${JSON.stringify(world.ids[cfg.rogue.id])}, "L${cfg.rogue.label}");`);
  if (cfg.own) cfg.own.ids.forEach((i, k) => lines.push(`  const own${k} = userAssignedIdentity(${JSON.stringify(world.ids[i])}, ${JSON.stringify(cfg.own?.label)});`));
  // The account's identities, its node identity and the pool's withIdentities are references too (exact spelling).
  const attached = (i: IdIx, v: Via | undefined, at?: "account" | "node") => (at !== undefined && cfg.rogue?.at === at && cfg.rogue.id === i ? "rogue" : handle({ id: i, spelling: "exact", ...(v && { via: v }) }));
  const a = cfg.account;
  let acct = `batchAccount("acct${n}", { location: ${JSON.stringify(world.location)} })`;
  if (a.identity === "SystemAssigned") acct += `.withSystemAssignedIdentity()`;
  if (a.identity === "UserAssigned") acct += `.withUserAssignedIdentities(${a.identities.map((i) => attached(i, cfg.attach?.account[i], "account")).join(", ")})`;
  if (a.cmk === true) acct += `.withCustomerManagedKey({ keyIdentifier: ${JSON.stringify(KEY_ID)} })`;
  if (a.autoStorage !== "none") {
    const node = a.nodeIdentity !== undefined ? `, nodeIdentity: ${attached(a.nodeIdentity, cfg.attach?.node, "node")}` : "";
    acct += `.withAutoStorage({ storageAccountId: ${JSON.stringify(world.storageAccountId)}, authenticationMode: ${JSON.stringify(a.autoStorage)}${node} })`;
  }
  lines.push(`  const account = ${acct}.build();`);
  const p = cfg.pool;
  let pl = `pool("render${n}", account)`;
  if (p.identities.length > 0) pl += `.withIdentities(${p.identities.map((i) => attached(i, cfg.attach?.pool[i])).join(", ")})`;
  pl += `.withProperties({ vmSize: "STANDARD_D2S_V3", scaleSettings: { fixedScale: { targetDedicatedNodes: 1 } } })`;
  if (p.appPackages) pl += `.withApplicationPackages({ id: "ffmpeg", version: "6.1" })`;
  if (p.startTask) pl += `.withStartTask(${taskObjectTs(w, "setup.sh", p.startTask, [`waitForSuccess: ${p.startTask.waitForSuccess}`])})`;
  if (p.registry) pl += `.withContainerRegistry({ registryServer: ${JSON.stringify(world.registryServer)}, identity: ${handle(p.registry)} })`;
  if (p.mount !== undefined) {
    const cred = p.mount === null ? `accountKey: "CANARYACCOUNTKEY=="` : `identity: ${handle(p.mount)}`;
    pl += `.withBlobMount({ accountName: ${JSON.stringify(world.mountAccount)}, containerName: ${JSON.stringify(world.mountContainer)}, relativeMountPath: "data", ${cred} })`;
  }
  lines.push(`  const render = ${pl}.build();`);
  const target = cfg.job.autoPool === true ? `autoPool(${JSON.stringify(AUTO_POOL)})` : "render";
  lines.push(`  const frames = ${jobTasksTs(w, `job("frames${n}", ${target})`, cfg.job)}.build();`);
  if (cfg.schedule) lines.push(`  const schedule = ${jobTasksTs(w, `jobSchedule("frames${n}-nightly", render).withSchedule({ recurrenceInterval: "P1D" })`, cfg.schedule)}.build();`);
  cfg.tasks.forEach((t, i) => {
    let tb = `task("t${i}", frames).withCommandLine(${JSON.stringify(`render.sh ${i}`)})`;
    for (const f of t.files) tb += `.withResourceFile(${fileTs(w, f)})`;
    for (const o of t.outputs) tb += `.withOutputFile(${outputTs(w, o)})`;
    if (t.registry) tb += `.withContainerSettings(${containerSettingsTs(w, t.registry)})`;
    if (t.appPackages) tb += `.withApplicationPackages({ id: "ffmpeg", version: "6.1" })`;
    if (t.common) tb += `.withMultiInstanceSettings({ numberOfInstances: 2, coordinationCommandLine: "coord.sh", commonResourceFiles: [${t.common.map((f) => fileTs(w, f)).join(", ")}] })`;
    lines.push(`  const task${i} = ${tb}.build();`);
  });
  lines.push(`  return [account, render, frames, ${cfg.schedule ? "schedule, " : ""}${cfg.tasks.map((_, i) => `task${i}`).join(", ")}] as const;`);
  lines.push(`}`);
  return `${lines.join("\n")}\n`;
}
