import type { BatchAccount, Pool } from "@azure/arm-batch";
import type { AnyAccountSpec, PoolSpec } from "../pool/pool-spec.js";
import type { UserAssignedIdentity } from "../identity/user-assigned-identity.js";
import { canonicalIdentityId } from "../identity/resource-id.js";
import { made, type Unbranded } from "../util/made.js";

/** A live identity read from Azure: keyed by the expected handle's key when it matches one, else by its resource id. */
function liveIdentity(resourceId: string, expected: readonly UserAssignedIdentity[]): UserAssignedIdentity {
  const canonicalId = canonicalIdentityId(resourceId);
  const match = expected.find((e) => e.canonicalId === canonicalId);
  if (match !== undefined) return match;
  return made<UserAssignedIdentity>(Object.freeze({ kind: "UserAssigned" as const, key: resourceId, resourceId, canonicalId, name: resourceId.split("/").pop() ?? resourceId }));
}

/** An account spec read back from ARM (its types are known only at run time). */
export function liveAccount(name: string, account: BatchAccount, expected: readonly UserAssignedIdentity[]): AnyAccountSpec {
  const nodeId = account.autoStorage?.nodeIdentityReference?.resourceId;
  const ids = Object.keys(account.identity?.userAssignedIdentities ?? {});
  return made<AnyAccountSpec>(Object.freeze({
    name,
    identityType: account.identity?.type ?? "None",
    identities: ids.map((id) => liveIdentity(id, expected)),
    autoStorageMode: account.autoStorage === undefined ? "None" : (account.autoStorage.authenticationMode ?? "StorageKeys"),
    nodeIdentity: nodeId === undefined ? undefined : liveIdentity(nodeId, expected),
    toArm: () => ({
      location: account.location ?? "",
      ...(account.identity !== undefined && { identity: account.identity }),
      ...(account.autoStorage !== undefined && { autoStorage: account.autoStorage }),
    }),
  }) as Unbranded<AnyAccountSpec>);
}

/** A pool spec read back from ARM. */
export function livePool<Name extends string, Ids extends string>(name: Name, pool: Pool, account: AnyAccountSpec, expected: readonly UserAssignedIdentity[]): PoolSpec<Name, AnyAccountSpec, Ids> {
  const ids = Object.keys(pool.identity?.userAssignedIdentities ?? {});
  const snapshot = structuredClone(pool);
  return made<PoolSpec<Name, AnyAccountSpec, Ids>>(
    Object.freeze({
      name,
      account,
      identities: ids.map((id) => liveIdentity(id, expected)) as UserAssignedIdentity<Ids>[],
      toArm: () => structuredClone(snapshot),
    }),
  );
}
