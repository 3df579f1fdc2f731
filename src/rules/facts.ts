import { canonicalIdentityId } from "../identity/resource-id.js";
import type { AccountFacts, Dialect, IdentityFact, PoolFacts } from "./context.js";

/** Reads facts from untrusted objects: own properties only, wrong types read as absent. */
function get(value: unknown, key: string): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  return Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The ARM `properties` envelope in the wire format; the object itself in the SDK model. */
export function propertiesOf(resource: unknown, dialect: Dialect): unknown {
  return dialect === "wire" ? get(resource, "properties") : resource;
}

/** An identity fact from a resource id. */
export function identityFact(resourceId: string, labels?: ReadonlyMap<string, string>): IdentityFact {
  const canonicalId = canonicalIdentityId(resourceId);
  return { canonicalId, display: labels?.get(canonicalId) ?? resourceId };
}

/** Facts of an account (`BatchAccountCreateParameters` or the REST account body). */
export function accountFacts(account: unknown, dialect: Dialect, name: string, labels?: ReadonlyMap<string, string>): AccountFacts {
  const autoStorage = get(propertiesOf(account, dialect), "autoStorage");
  const nodeId = str(get(get(autoStorage, "nodeIdentityReference"), "resourceId"));
  return {
    name: str(get(account, "name")) ?? name,
    autoStorageMode: autoStorage === undefined ? undefined : (str(get(autoStorage, "authenticationMode")) ?? "StorageKeys"),
    nodeIdentity: nodeId === undefined ? undefined : identityFact(nodeId, labels),
  };
}

/** The identities attached to a pool, by canonical id. */
export function poolIdentities(pool: unknown, labels?: ReadonlyMap<string, string>): Map<string, string> {
  const map = new Map<string, string>();
  const identity = get(pool, "identity");
  const ids = get(identity, "userAssignedIdentities");
  if (str(get(identity, "type")) === "None" || typeof ids !== "object" || ids === null) return map;
  for (const id of Object.keys(ids)) {
    const fact = identityFact(id, labels);
    map.set(fact.canonicalId, fact.display);
  }
  return map;
}

/** Facts of a pool (ARM `Pool` or the REST pool body). */
export function poolFacts(pool: unknown, name: string, account: AccountFacts | undefined, labels?: ReadonlyMap<string, string>): PoolFacts {
  return { name: str(get(pool, "name")) ?? name, autoPool: false, identities: poolIdentities(pool, labels), account };
}

/** Facts of a job's auto-pool: no identities can be attached. */
export function autoPoolFacts(jobId: string, account: AccountFacts | undefined): PoolFacts {
  return { name: `auto-pool of job '${jobId}'`, autoPool: true, job: jobId, identities: new Map(), account };
}

export { get as readOwn, str as readString };
