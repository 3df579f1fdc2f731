import type { Finding } from "../errors/issue.js";
import type { AccountFacts, PoolFacts } from "./context.js";
import { autoPoolFacts, readOwn } from "./facts.js";
import { finding } from "./finding.js";
import { fixes, messages } from "./messages.js";

/**
 * Where a job's work runs, resolved once for every entry point: `diagnose` (pools of a bundle),
 * `validateJob`/`validateTask` and the builders (the pool they are given), and the client (which
 * uses the builders' and guards' answer). Same job, same pool facts, same findings.
 */

/**
 * A pool that is not known (not in a bundle, not given to a guard): membership is not checked, so
 * only the rules that do not depend on the pool (resource file shape, missing node identity
 * reference) report. The UNKNOWN_POOL warning says the rest was not checked.
 */
export function unknownPoolFacts(name: string, account: AccountFacts | undefined): PoolFacts {
  return { name, autoPool: false, identities: new Map(), membershipUnknown: true, account };
}

const join = (base: string, key: string) => (base === "" ? key : `${base}.${key}`);

/**
 * The pool facts a job's work is checked against.
 *
 * @param job - the job (REST or SDK shape).
 * @param base - the job's path in the input (`""` for a guard's own argument).
 * @param jobId - the job's id, for messages.
 * @param findPool - the known pool for a `poolInfo.poolId` (a bundle's pool of that name, or the pool a guard was given).
 * @param account - the account, when known.
 * @param out - receives UNKNOWN_POOL and INVALID_SHAPE findings.
 */
export function placeJob(
  job: unknown,
  base: string,
  jobId: string,
  findPool: (poolId: string) => PoolFacts | undefined,
  account: AccountFacts | undefined,
  out: Finding[],
): PoolFacts {
  const poolInfoPath = join(base, "poolInfo");
  const poolInfo = readOwn(job, "poolInfo");
  const poolId = readOwn(poolInfo, "poolId");
  if (typeof poolId === "string") {
    const facts = findPool(poolId);
    if (facts !== undefined) return facts;
    out.push(finding("UNKNOWN_POOL", join(poolInfoPath, "poolId"), messages.unknownPool(jobId, poolId), fixes.unknownPool.json()));
    return unknownPoolFacts(poolId, account);
  }
  const auto = readOwn(poolInfo, "autoPoolSpecification");
  if (typeof auto === "object" && auto !== null && !Array.isArray(auto)) return autoPoolFacts(jobId, account);
  const detail = poolInfo === undefined ? "a job needs poolInfo with poolId or autoPoolSpecification" : "poolInfo needs a string poolId or an autoPoolSpecification object";
  out.push(finding("INVALID_SHAPE", poolInfo === undefined ? base : poolInfoPath, messages.invalidShape(detail), fixes.invalidShape.json()));
  return unknownPoolFacts("(no pool)", account);
}
