import type { Finding } from "../errors/issue.js";
import { explain } from "../diagnose/explain.js";
import type { FindingCode } from "../rules/codes.js";
import { type FailureCause, holderPath, type IdentitySite, identitySites } from "../rules/sites.js";
import { liveFinding } from "./live-codes.js";

/**
 * Turns what Azure shows (a node error, a start task or task failure code) into a finding. When a
 * configuration finding of the same pool or task predicts the failure, the observation takes that
 * finding's code and scenario: the node or task is the evidence, the configuration is the cause.
 * Otherwise it is a NODE_FAILURE or TASK_FAILURE explained by `explain()`.
 */

/** A configuration finding that explains an Azure failure code, and where in the item it must point. */
interface Confirmation {
  readonly code: FindingCode;
  readonly at: RegExp;
}

/** The finding code each cause of a site's failure leads to. */
function findingCodeOf(site: IdentitySite, cause: FailureCause): FindingCode {
  if (cause === "no permission") return "PERMISSION_MISSING";
  if (cause === "node identity missing") return "NODE_IDENTITY_REFERENCE_MISSING";
  return site.kind === "autoStorage" ? "NODE_IDENTITY_NOT_IN_POOL" : "IDENTITY_NOT_IN_POOL";
}

/** A finding path at a site, in either dialect and under any base: `[]` matches any index. */
function sitePattern(site: IdentitySite): RegExp {
  const steps = holderPath(site.sdkPath).split(".").map((step) => step.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\\\[\\\]$/, "\\[\\d+\\]"));
  return new RegExp(`(^|\\.)${steps.join("\\.")}(\\.|\\[|$)`);
}

/** Which configuration findings explain each Azure failure code: read from the site table's failure columns. */
const confirmations: ReadonlyMap<string, readonly Confirmation[]> = (() => {
  const map = new Map<string, Confirmation[]>();
  for (const site of identitySites) {
    for (const failure of site.failures) {
      const list = map.get(failure.code) ?? [];
      const code = findingCodeOf(site, failure.cause);
      const at = sitePattern(site);
      if (!list.some((c) => c.code === code && c.at.source === at.source)) list.push({ code, at });
      map.set(failure.code, list);
    }
  }
  return map;
})();

/** Storage's own refusal of a token without a data role: not tied to one site (it shows in node logs and verify-identity). */
const storageRefusal = "AuthorizationPermissionMismatch";

/**
 * Azure failure codes that are about identities or storage access (others are not the doctor's business).
 *
 * @example
 * ```ts
 * isIdentityFailure("ApplicationPackageError"); // true
 * ```
 */
export function isIdentityFailure(code: string): boolean {
  return confirmations.has(code) || code === storageRefusal;
}

/**
 * The configuration finding that predicts `azureCode`, when there is one.
 *
 * @example
 * ```ts
 * confirmingFinding("ResourceContainerListMiscError", taskFindings)?.code; // "NODE_IDENTITY_NOT_IN_POOL"
 * ```
 */
export function confirmingFinding(azureCode: string, config: readonly Finding[]): Finding | undefined {
  for (const c of confirmations.get(azureCode) ?? []) {
    const hit = config.find((f) => f.code === c.code && c.at.test(f.path));
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/**
 * Lists ids, at most five, saying how many more.
 *
 * @example
 * ```ts
 * someIds(["a", "b"]); // "'a', 'b'"
 * ```
 */
export function someIds(ids: readonly string[]): string {
  const shown = ids.slice(0, 5).map((id) => `'${id}'`).join(", ");
  return ids.length > 5 ? `${shown} and ${ids.length - 5} more` : shown;
}

const recycle = "Nodes keep the identities they started with: once fixed, resize the pool to 0 nodes and back.";

/**
 * One group of nodes or tasks that failed the same way.
 *
 * @example
 * ```ts
 * const o: Observation = { kind: "task", path: 'jobs["frames"].tasks', seen: "1 task(s) failed", azureCode: "ResourceContainerAccessDenied" };
 * ```
 */
export interface Observation {
  /** `node` or `task`. */
  readonly kind: "node" | "task";
  /** Where the group is, e.g. `pools["render"].nodes`. */
  readonly path: string;
  /** What was seen, e.g. `2 nodes of pool 'render' are unusable`. */
  readonly seen: string;
  /** Azure's code (`ApplicationPackageError`) or log marker (`TvmJoinPoolInProgress`). */
  readonly azureCode: string;
  /** Azure's message, when it gave one. @default none */
  readonly azureMessage?: string;
  /** Extra evidence (a log line) or why there is none. @default none */
  readonly evidence?: string;
}

/**
 * The finding for an observation, given the configuration findings that may explain it.
 *
 * @example
 * ```ts
 * observationFinding({ kind: "node", path: 'pools["render"].nodes', seen: "1 node ('n1') is unusable", azureCode: "ApplicationPackageError" }, poolFindings);
 * ```
 */
export function observationFinding(o: Observation, config: readonly Finding[]): Finding {
  const quoted = o.azureMessage === undefined || o.azureMessage === "" ? "" : ` ("${o.azureMessage}")`;
  const evidence = o.evidence === undefined ? "" : `; ${o.evidence}`;
  const head = `${o.seen} with ${o.azureCode}${quoted}${evidence}`;
  const cause = confirmingFinding(o.azureCode, config);
  if (cause !== undefined) {
    const fix = o.kind === "node" ? `${cause.fix}. ${recycle}` : cause.fix;
    return liveFinding(cause.code, o.path, `${head}: ${cause.message}`, fix, cause.scenario);
  }
  const e = explain(o.azureCode);
  const why = e === undefined ? "" : `: ${e.cause}`;
  return liveFinding(o.kind === "node" ? "NODE_FAILURE" : "TASK_FAILURE", o.path, `${head}, which the current configuration does not explain${why}`, e?.fix ?? "Read the node's agent-debug.log (upload its Batch service logs).");
}
