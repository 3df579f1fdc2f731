import type { Finding } from "../../errors/issue.js";

/**
 * The joined model `check` builds from every file it is given: the Batch resources found, each
 * with the file and path it came from. Readers (bundles and Batch bodies, ARM templates, Terraform
 * plans) fill it; `diagnoseDeployment` resolves references across it and runs the rules.
 */

/** Turns a path the rule engine printed (ARM wire shape) into the path of the same value in the file. */
export type PathMap = (enginePath: string) => string;

/** A finding and the file it is about (`""` for a value given to `diagnose` directly). */
export type FileFinding = { readonly file: string } & Finding;

/** One resource found in a file. */
export interface Part {
  /** The value in the REST wire format the rules read (converted when the file has another shape). */
  readonly value: unknown;
  /** Its path, as the rules print paths. */
  readonly path: string;
  /** The file it came from. */
  readonly file: string;
  /** Maps the rules' paths back into the file; absent when the value is the file's own. */
  readonly toFile?: PathMap;
}

/** A Batch account. */
export interface AccountPart extends Part {
  /** True when the body is an update that does not say which identity the account has. */
  readonly identityUnknown?: boolean;
}

/** A pool (converted to the ARM wire shape). */
export interface PoolPart extends Part {
  /** Why its identity list is not known offline (an update body that leaves it as it is), if so. */
  readonly identitiesUnknown?: string;
  /** The account it belongs to, when the input says (ARM parent, Terraform `account_name`). */
  readonly accountName?: string;
}

/** A task given without its job (a task body, a task collection). */
export interface TaskPart extends Part {
  /** The job, when the input says. */
  readonly jobId?: string;
}

/** A user-assigned identity declared by a template or plan. */
export interface IdentityDecl {
  /** Canonical (lower-case) resource id. */
  readonly canonicalId: string;
  /** Where it is declared. */
  readonly file: string;
  readonly path: string;
}

/** A role assignment declared by a template or plan. */
export interface RoleAssignmentDecl {
  /** The canonical identity id whose principal it is granted to (from `reference(id).principalId`), `literal:<id>` for a principal given as is, undefined when unknown. */
  readonly identity: string | undefined;
  /** The role definition GUID (lower case), if known. */
  readonly roleGuid: string | undefined;
  /** The scope (lower case, no trailing slash), if known. */
  readonly scope: string | undefined;
}

/** Everything found in the files of one run. */
export interface Deployment {
  readonly accounts: AccountPart[];
  readonly pools: PoolPart[];
  readonly jobs: Part[];
  readonly jobSchedules: Part[];
  readonly tasks: TaskPart[];
  /** `uploadBatchServiceLogs` bodies. */
  readonly uploads: Part[];
  readonly identities: IdentityDecl[];
  readonly roleAssignments: RoleAssignmentDecl[];
  /** Findings made while reading (unknown keys, unresolved values, placeholders). */
  readonly notes: FileFinding[];
  /** Paths (per file) of values that could not be resolved: rules' errors under them are dropped. */
  readonly unresolved: Map<string, string[]>;
  /** Per file: maps a finding path to the JSON path of the same value (when they differ, as Terraform addresses do). */
  readonly locators: Map<string, PathMap>;
}

/** An empty model. */
export function emptyDeployment(): Deployment {
  return { accounts: [], pools: [], jobs: [], jobSchedules: [], tasks: [], uploads: [], identities: [], roleAssignments: [], notes: [], unresolved: new Map(), locators: new Map() };
}

/** Adds `from` to `into` (arrays are appended without spreading: a file can hold 10^5 items). */
export function mergeDeployment(into: Deployment, from: Deployment): void {
  for (const key of ["accounts", "pools", "jobs", "jobSchedules", "tasks", "uploads", "identities", "roleAssignments", "notes"] as const) {
    const target = into[key] as unknown[];
    for (const item of from[key]) target.push(item);
  }
  for (const [file, locate] of from.locators) into.locators.set(file, locate);
  for (const [file, paths] of from.unresolved) {
    const list = into.unresolved.get(file);
    if (list === undefined) into.unresolved.set(file, [...paths]);
    else for (const p of paths) list.push(p);
  }
}

/**
 * A path map from prefix pairs: the longest engine prefix that matches is replaced by its file
 * prefix. A prefix matches a path equal to it or followed by `.` or `[`.
 */
export function prefixMap(pairs: readonly (readonly [string, string])[]): PathMap {
  const sorted = [...pairs].sort((a, b) => b[0].length - a[0].length);
  return (path) => {
    for (const [from, to] of sorted) {
      if (path === from) return to;
      let rest: string;
      if (from === "") rest = path.startsWith("[") ? path : `.${path}`;
      else if (path.startsWith(from) && (path[from.length] === "." || path[from.length] === "[")) rest = path.slice(from.length);
      else continue;
      return to === "" && rest.startsWith(".") ? rest.slice(1) : `${to}${rest}`;
    }
    return path;
  };
}
