import type { TaskAddParameter } from "@azure/batch";
import type { Finding } from "../errors/issue.js";
import { TypedBatchError } from "../errors/typed-batch-error.js";
import type { JobSpec } from "../job/job-builder.js";
import type { PoolSpec } from "../pool/pool-spec.js";
import { finding } from "../rules/finding.js";
import { fixes, messages } from "../rules/messages.js";
import { validateTask } from "../rules/validate.js";
import { builtPayload } from "../task/task-payload.js";

/**
 * The client's guards for whatever a caller passes, JavaScript callers included. Specs are checked
 * for their shape (a TypeError deep in the client is no refusal); for tasks, a spec made by `task(...).build()` carries a payload its guard already passed (one
 * property read per task); anything else is shape-checked and run through `validateTask`
 * against the job's placement before a byte is sent.
 */

const shapeError = (path: string, detail: string) => new TypedBatchError([finding("INVALID_SHAPE", path, messages.invalidShape(detail), fixes.invalidShape.json())]);

/** `value` as a spec with the method `method` (`toArm`, `toBatch`), or a `TypedBatchError` naming `path`. */
export function requireSpec<T>(value: unknown, path: string, what: string, method: "toArm" | "toBatch", fields: Readonly<Record<string, "string" | "object" | "array">> = {}): T {
  if (typeof value !== "object" || value === null || typeof (value as Record<string, unknown>)[method] !== "function") {
    throw shapeError(path, `expected ${what} made by its builder's build(), got ${value === null ? "null" : typeof value === "object" ? `an object without ${method}()` : typeof value}`);
  }
  for (const [field, kind] of Object.entries(fields)) {
    const v = (value as Record<string, unknown>)[field];
    const ok = kind === "array" ? Array.isArray(v) : kind === "object" ? typeof v === "object" && v !== null : typeof v === kind;
    if (!ok) throw shapeError(`${path}.${field}`, `expected ${what} made by its builder's build() (its ${field} is ${v === null ? "null" : Array.isArray(v) ? "an array" : typeof v})`);
  }
  return value as T;
}

/** The validateTask options for tasks of `job`. */
export function placementOf(job: JobSpec): { job: JobSpec; pool?: PoolSpec; account?: NonNullable<JobSpec["pool"]["account"]> } {
  const target = job.pool;
  const isAuto = "kind" in target && target.kind === "autoPool";
  return { job, ...(!isAuto && { pool: target as PoolSpec }), ...(target.account !== undefined && { account: target.account }) };
}

/**
 * The wire payload of `spec` as a task of `job`, or a `TypedBatchError` naming `where` (a path, or
 * the index in an `addMany` stream, made into `tasks[n]` only when refused).
 * @param always - run the guard even on a built spec (`tasks.add` has always done so).
 */
export function guardedTask(spec: unknown, job: JobSpec, where: string | number, options: { readonly always?: boolean; readonly placement?: ReturnType<typeof placementOf> } = {}): TaskAddParameter {
  const built = typeof spec === "object" && spec !== null ? builtPayload(spec) : undefined;
  // Fast path: a spec our build() made and guarded, for this job.
  if (built !== undefined && options.always !== true && (spec as { job?: { id?: unknown } }).job?.id === job.id) return built;
  const path = typeof where === "number" ? `tasks[${where}]` : where;
  if (typeof spec !== "object" || spec === null) throw shapeError(path, `expected a task spec made by task(...).build(), got ${spec === null ? "null" : typeof spec}`);
  const s = spec as { id?: unknown; job?: { id?: unknown } | null; toBatch?: unknown };
  if (typeof s.id !== "string" || typeof s.toBatch !== "function" || typeof s.job !== "object" || s.job === null) {
    throw shapeError(path, "expected a task spec made by task(...).build() (with id, job and toBatch())");
  }
  if (typeof job.pool !== "object" || job.pool === null) throw shapeError(`${path === "" ? "" : `${path}.`}job`, "expected a job spec made by job(...).build()");
  if (s.job.id !== job.id) throw shapeError(path, `task '${s.id}' belongs to job '${String(s.job.id)}', not '${job.id}'`);
  const payload = built ?? (s.toBatch as () => unknown)();
  // validateTask checks the command line too (the `commandLine` rule of rules/shapes.ts).
  const { issues } = validateTask(payload, options.placement ?? placementOf(job));
  if (issues.some((i) => i.severity === "error")) {
    throw new TypedBatchError(issues.map((i): Finding => ({ ...i, path: i.path === "" ? path : path === "" ? i.path : `${path}.${i.path}` })));
  }
  return payload as TaskAddParameter;
}
