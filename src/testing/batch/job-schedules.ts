/**
 * Job schedules (add, get, list, delete). A schedule creates its jobs itself, named
 * `{scheduleId}:job-{n}` as Batch names them, when simulated time reaches `doNotRunUntil` (at once
 * without one), then every `recurrenceInterval` while no job of the schedule is active, until
 * `doNotRunAfter`. A created job is the schedule's `jobSpecification` with that id, job manager task
 * included, and runs like any other job.
 * Source: Batch REST "Job Schedule - Add" (BatchService.json, JobScheduleAddParameter, Schedule):
 * "If you do not specify a doNotRunUntil time, the schedule becomes ready to create Jobs immediately";
 * "only one Job under a Job Schedule can be active at any given time".
 */
import type { Env } from "../env.js";
import type { Router } from "../router.js";
import type { AccountRecord, JobRecord } from "../state.js";
import { batch, bodyObject, isBatchId, odata, page, refuseId, refusePoolInfo } from "./common.js";
import { newTask } from "./tasks.js";

interface ScheduleRecord {
  id: string;
  spec: Record<string, unknown>;
  creationTime: number;
  lastModified: number;
  etag: string;
  /** Jobs created so far. */
  created: number;
  /** When the next job is due (undefined: no more jobs). */
  nextRunTime: number | undefined;
  /** The id of the schedule's last job. */
  recentJobId?: string;
}

// Kept beside the account rather than in its record: schedules are this file's concern only.
const schedulesOf = new WeakMap<AccountRecord, Map<string, ScheduleRecord>>();

function schedules(account: AccountRecord): Map<string, ScheduleRecord> {
  let map = schedulesOf.get(account);
  if (map === undefined) {
    map = new Map();
    schedulesOf.set(account, map);
  }
  return map;
}

const iso = (t: number): string => new Date(t).toISOString();

function timeOf(value: unknown): number | undefined {
  if (typeof value !== "string" && !(value instanceof Date)) return undefined;
  const t = new Date(value).getTime();
  return Number.isNaN(t) ? undefined : t;
}

/** ISO 8601 durations as Batch takes them (`P1D`, `PT1H30M`); months and years are not supported here. */
function durationMs(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value);
  if (m === null) return undefined;
  const [, w = "0", d = "0", h = "0", min = "0", sec = "0"] = m;
  const ms = (((Number(w) * 7 + Number(d)) * 24 + Number(h)) * 60 + Number(min)) * 60_000 + Number(sec) * 1000;
  return ms > 0 ? ms : undefined;
}

function scheduleJson(base: string, s: ScheduleRecord): Record<string, unknown> {
  return {
    ...s.spec,
    id: s.id,
    url: `${base}/jobschedules/${s.id}`,
    eTag: s.etag,
    lastModified: iso(s.lastModified),
    creationTime: iso(s.creationTime),
    state: s.nextRunTime === undefined && s.created > 0 ? "completed" : "active",
    executionInfo: {
      ...(s.nextRunTime !== undefined ? { nextRunTime: iso(s.nextRunTime) } : {}),
      ...(s.recentJobId !== undefined ? { recentJob: { id: s.recentJobId, url: `${base}/jobs/${s.recentJobId}` } } : {}),
    },
  };
}

/** Creates the schedule's next job (the same record `POST /jobs` makes). */
function createJob(env: Env, account: AccountRecord, s: ScheduleRecord): void {
  const world = env.world;
  const now = world.clock.now();
  const spec = { ...(s.spec["jobSpecification"] as Record<string, unknown>) };
  const id = `${s.id}:job-${s.created + 1}`;
  spec["id"] = id;
  const poolInfo = spec["poolInfo"] as { poolId?: unknown; autoPoolSpecification?: unknown } | undefined;
  const job: JobRecord = {
    id,
    spec,
    ...(typeof poolInfo?.poolId === "string" ? { poolId: poolInfo.poolId } : {}),
    autoPool: poolInfo?.autoPoolSpecification !== undefined,
    state: "active",
    creationTime: now,
    lastModified: now,
    stateTransitionTime: now,
    etag: world.etag(),
    tasks: new Map(),
    nodes: new Map(),
  };
  const manager = spec["jobManagerTask"] as Record<string, unknown> | undefined;
  if (manager && typeof manager["id"] === "string") job.tasks.set(manager["id"].toLowerCase(), newTask(world, job, manager));
  account.jobs.set(id.toLowerCase(), job);
  s.created += 1;
  s.recentJobId = id;
}

/** Creates the jobs that are due at the current simulated time. Called by the engine on every step. @internal */
export function stepJobSchedules(env: Env, account: AccountRecord): void {
  const map = schedulesOf.get(account);
  if (map === undefined) return;
  const now = env.world.clock.now();
  for (const s of map.values()) {
    if (s.nextRunTime === undefined || now < s.nextRunTime) continue;
    const schedule = (s.spec["schedule"] ?? {}) as Record<string, unknown>;
    const after = timeOf(schedule["doNotRunAfter"]);
    if (after !== undefined && now > after) {
      s.nextRunTime = undefined;
      continue;
    }
    const recent = s.recentJobId === undefined ? undefined : account.jobs.get(s.recentJobId.toLowerCase());
    if (recent !== undefined && recent.state === "active" && s.created > 0) continue; // one active job at a time
    createJob(env, account, s);
    const every = durationMs(schedule["recurrenceInterval"]);
    s.nextRunTime = every === undefined ? undefined : s.nextRunTime + every;
    s.lastModified = now;
    s.etag = env.world.etag();
  }
}

/** True while a schedule still has a job to create (so `settle` keeps time moving). @internal */
export function hasDueSchedules(account: AccountRecord): boolean {
  for (const s of schedulesOf.get(account)?.values() ?? []) if (s.nextRunTime !== undefined && s.created === 0) return true;
  return false;
}

/** Registers job schedule routes. @internal */
export function registerJobSchedules(router: Router, env: Env): void {
  const world = env.world;
  router.on(
    "POST",
    "/batch/:account/jobschedules",
    batch(env, ({ req, account, base, error }) => {
      const body = bodyObject(req);
      if (!body) return error(400, "InvalidRequestBody", "The specified Request Body is not syntactically valid.");
      const id = body["id"];
      if (!isBatchId(id)) return refuseId(id, error);
      const spec = body["jobSpecification"] as { poolInfo?: { poolId?: unknown; autoPoolSpecification?: unknown } } | undefined;
      const poolInfo = spec?.poolInfo;
      const badPoolInfo = refusePoolInfo(poolInfo, "jobSpecification.poolInfo", error);
      if (badPoolInfo) return badPoolInfo;
      const map = schedules(account);
      if (map.has(id.toLowerCase())) return error(409, "JobScheduleExists", "The specified job schedule already exists.");
      const now = world.clock.now();
      const schedule = (body["schedule"] ?? {}) as Record<string, unknown>;
      const record: ScheduleRecord = {
        id,
        spec: body,
        creationTime: now,
        lastModified: now,
        etag: world.etag(),
        created: 0,
        nextRunTime: Math.max(now, timeOf(schedule["doNotRunUntil"]) ?? now),
      };
      map.set(id.toLowerCase(), record);
      return {
        status: 201,
        headers: { etag: record.etag, "last-modified": new Date(now).toUTCString(), dataserviceid: `${base}/jobschedules/${id}`, location: `${base}/jobschedules/${id}` },
      };
    }),
  );
  router.on(
    "GET",
    "/batch/:account/jobschedules/:schedule",
    batch(env, ({ req, account, base, error }) => {
      const s = schedules(account).get((req.params["schedule"] ?? "").toLowerCase());
      if (!s) return error(404, "JobScheduleNotFound", "The specified job schedule does not exist.");
      return { status: 200, headers: { "content-type": "application/json;odata=minimalmetadata", etag: s.etag }, body: { "odata.metadata": odata(base, "jobschedules/@Element"), ...scheduleJson(base, s) } };
    }),
  );
  router.on(
    "GET",
    "/batch/:account/jobschedules",
    batch(env, ({ req, account, base }) => page(req, base, "jobschedules", [...schedules(account).values()].map((s) => scheduleJson(base, s)))),
  );
  router.on(
    "DELETE",
    "/batch/:account/jobschedules/:schedule",
    batch(env, ({ req, account, error }) => {
      const key = (req.params["schedule"] ?? "").toLowerCase();
      const map = schedules(account);
      const s = map.get(key);
      if (!s) return error(404, "JobScheduleNotFound", "The specified job schedule does not exist.");
      // Deleting a schedule deletes its jobs (Batch REST "Job Schedule - Delete").
      for (const [jobKey, job] of account.jobs) if (job.id.startsWith(`${s.id}:`)) account.jobs.delete(jobKey);
      map.delete(key);
      return { status: 202 };
    }),
  );
}
