import { poolSpecProblems, strictInput } from "../task/strict-inputs.js";
import type { ManagedIdentityCredential } from "@azure/identity";
import { lazyRequire } from "../util/lazy-require.js";
import { isUserAssignedIdentity, type UserAssignedIdentity } from "../identity/user-assigned-identity.js";
import type { PoolLabelPairs, PoolSpec } from "../pool/pool-spec.js";
import { checkIdentityUsesOnPool } from "../rules/check.js";
import { poolFacts } from "../rules/facts.js";
import { finding } from "../rules/finding.js";
import { fixes, messages } from "../rules/messages.js";
import type { Checked, IdentityUse } from "../rules/type-checks.js";
import { TypedBatchError } from "../errors/typed-batch-error.js";
import { labelsInScope } from "../identity/labels-in-scope.js";

/**
 * On a compute node: a credential for one of the pool's identities. With several identities on a
 * pool, IMDS refuses a token request that does not name one (HTTP 400 "Multiple user assigned
 * identities exist"), so the credential is pinned to the identity's resource id.
 */

// Loaded when a node credential is made, not when typed-batch is imported.
const loadIdentity = lazyRequire<typeof import("@azure/identity")>("@azure/identity");

/** @internal The placement `nodeCredential` checks its identity against. */
type NodePlacement<P extends PoolSpec> = {
  readonly pool: P["name"];
  readonly ids: P["identities"][number]["key"];
  readonly checkNode: false;
  readonly mode: "None";
  readonly node: never;
  readonly account: P["account"]["name"];
  readonly autoPoolJob: never;
  readonly labels: PoolLabelPairs<P>;
};

/** @internal The identity argument, or the type error text when it is not on the pool. */
type NodeIdentityArg<P extends PoolSpec, I extends UserAssignedIdentity> = Checked<I, NodePlacement<P>> &
  IdentityUse<I["key"], NodePlacement<P>, I>;

/**
 * A `ManagedIdentityCredential` pinned to `identity`'s resource id, for code running on a node of
 * `pool`. An identity that is not attached to the pool is a compile error here, and a
 * {@link TypedBatchError} with `IDENTITY_NOT_IN_POOL` at run time (for pools known only then).
 * IMDS is `http://169.254.169.254` unless `AZURE_POD_IDENTITY_AUTHORITY_HOST` says otherwise.
 *
 * @example
 * ```ts
 * import { batchAccount, nodeCredential, pool, userAssignedIdentity } from "typed-batch";
 * const reader = userAssignedIdentity(
 *   "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/reader");
 * const account = batchAccount("acct", { location: "westeurope" }).build();
 * const render = pool("render", account).withIdentities(reader).withProperties({ vmSize: "STANDARD_D2S_V3" }).build();
 * const credential = nodeCredential(render, reader); // pass it to any Azure SDK client, e.g. @azure/storage-blob
 * const token = await credential.getToken("https://storage.azure.com/.default");
 * ```
 * @see https://learn.microsoft.com/azure/batch/managed-identity-pools
 */
export function nodeCredential<const P extends PoolSpec, const I extends UserAssignedIdentity>(pool: P, identity: NodeIdentityArg<P, I>): ManagedIdentityCredential;
// `unknown`: the overload's parameter is the error text when the identity is not on the pool, and a
// JavaScript caller can pass anything; the value is checked before it is used.
export function nodeCredential(pool: PoolSpec, identity: unknown): ManagedIdentityCredential {
  strictInput(pool, "pool", poolSpecProblems);
  if (!isUserAssignedIdentity(identity)) {
    throw new TypedBatchError([finding("INVALID_SHAPE", "identity", messages.invalidShape("expected an identity made by userAssignedIdentity(...)"), fixes.invalidShape.builder())]);
  }
  const id = identity;
  // The pool's and its account's identities, as every other check labels them (and as the types do).
  const labels = labelsInScope(pool, [id]);
  const facts = poolFacts(pool.toArm(), pool.name, undefined, labels);
  // The run-time twin of the type check: the same engine rule as every other identity reference.
  const issues = checkIdentityUsesOnPool("node", { identityReference: { resourceId: id.resourceId } }, facts, { dialect: "sdk", voice: "builder", base: "identity", labels });
  if (issues.some((i) => i.severity === "error")) throw new TypedBatchError(issues);
  return new (loadIdentity().ManagedIdentityCredential)({ resourceId: id.resourceId });
}
