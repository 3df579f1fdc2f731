import type { Finding } from "../errors/issue.js";
import { fixes, messages } from "../rules/messages.js";
import { liveFinding } from "./live-codes.js";
import { someIds } from "./observations.js";

/**
 * Identity changes seen from outside: nodes keep the identity list they were allocated with ("If the
 * pool identity is updated during update an existing pool, only the new vms which are created after
 * the pool shrinks to 0 will have the updated identities": BatchManagement.json 2025-06-01,
 * `Pool.identity`, as `@azure/arm-batch` 9.x prints it on `BatchPoolIdentity`). Azure does not
 * say which identities a node got, so the doctor infers it:
 *
 * - a node allocated before the pool's `lastModified` may predate an identity change (ARM bumps
 *   `lastModified` on any pool update, identities included);
 * - the pool must carry identities now (a change that removed all of them leaves nothing to miss);
 * - when such a node also shows an identity failure that the current configuration does not
 *   explain, the change is the likely cause, and the message says so.
 *
 * Resizes also bump `lastModified`, so the warning says "may" unless a failure backs it. One
 * finding per pool; a second of clock skew is tolerated.
 */

/**
 * The facts the heuristic reads from the live pool and its nodes.
 *
 * @example
 * ```ts
 * const input: StaleNodeInput = { pool: "render", base: 'pools["render"]', lastModified, creationTime, identityCount: 1, nodes: [], unexplainedFailures: new Set() };
 * ```
 */
export interface StaleNodeInput {
  /** Pool name. */
  readonly pool: string;
  /** Path of the pool in the findings. */
  readonly base: string;
  /** The pool's `lastModified` (ARM). */
  readonly lastModified: Date | undefined;
  /** The pool's `creationTime`. */
  readonly creationTime: Date | undefined;
  /** Number of identities attached now. */
  readonly identityCount: number;
  /** Nodes with their allocation time. */
  readonly nodes: ReadonlyArray<{ readonly id: string; readonly allocationTime: Date | undefined }>;
  /** Ids of nodes that failed for an identity reason the configuration does not explain. */
  readonly unexplainedFailures: ReadonlySet<string>;
}

const skewMs = 1000;

/**
 * The POOL_IDENTITY_STALE_NODES warning, or undefined.
 *
 * @example
 * ```ts
 * staleNodes({ pool: "render", base: 'pools["render"]', lastModified, creationTime, identityCount: 2, nodes, unexplainedFailures: new Set() });
 * ```
 */
export function staleNodes(input: StaleNodeInput): Finding | undefined {
  const modified = input.lastModified?.getTime();
  if (modified === undefined || input.identityCount === 0) return undefined;
  if (input.creationTime !== undefined && modified - input.creationTime.getTime() <= skewMs) return undefined;
  const older = input.nodes.filter((n) => n.allocationTime !== undefined && n.allocationTime.getTime() < modified - skewMs).map((n) => n.id);
  if (older.length === 0) return undefined;
  const failing = older.filter((id) => input.unexplainedFailures.has(id));
  const when = new Date(modified).toISOString();
  const detail =
    failing.length > 0
      ? ` Node(s) ${someIds(failing)} fail for an identity reason the current configuration does not explain: they most likely still have the old identities.`
      : ` ${older.length} node(s) (${someIds(older)}) were allocated before the pool was last modified at ${when}; if that change was to the identities, they do not have it.`;
  return liveFinding("POOL_IDENTITY_STALE_NODES", `${input.base}.identity`, `${messages.poolIdentityStaleNodes(input.pool)}.${detail}`, fixes.poolIdentityStaleNodes.json());
}
