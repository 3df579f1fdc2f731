/**
 * The `identity` block of accounts and pools: parse, validate against the
 * MSI store, and render with principal and client ids filled in.
 */
import { armError } from "../errors.js";
import { canonicalId, isUserAssignedIdentityId } from "../ids.js";
import type { Res } from "../router.js";
import type { IdentityAssignment, World } from "../state.js";
import { asObject } from "./common.js";

/**
 * ARM's 400 for an identity id that is not a user-assigned identity resource
 * id (a trailing slash included).
 * @internal
 */
export function invalidIdentityId(id: string, target: string): Res {
  return armError(
    400,
    "InvalidIdentityId",
    `The identity id '${id}' is not a valid user assigned identity resource id. Expected '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{identityName}', without a trailing slash.`,
    target,
  );
}

/**
 * Parses an ARM identity block. `allowed` lists the types the resource takes
 * (pools: UserAssigned and None only).
 * @internal
 */
export function parseIdentity(
  world: World,
  raw: unknown,
  allowed: readonly string[],
): { ok: true; value: IdentityAssignment } | { ok: false; res: Res } {
  const identity = asObject(raw);
  if (!identity) return { ok: true, value: { type: "None", userAssigned: [] } };
  const typeRaw = typeof identity["type"] === "string" ? identity["type"] : "None";
  const type = allowed.find((t) => t.toLowerCase() === typeRaw.toLowerCase());
  if (type === undefined) {
    return {
      ok: false,
      res: armError(
        400,
        "InvalidParameter",
        `The value '${typeRaw}' is not valid for identity.type. Allowed values: ${allowed.map((t) => `'${t}'`).join(", ")}.`,
        "identity.type",
      ),
    };
  }
  const ids = Object.keys(asObject(identity["userAssignedIdentities"]) ?? {});
  if (type === "UserAssigned" && ids.length === 0) {
    return {
      ok: false,
      res: armError(400, "MissingIdentityIds", "The identity ids must not be null or empty for 'UserAssigned' identity type.", "identity"),
    };
  }
  if (type !== "UserAssigned" && ids.length > 0) {
    return {
      ok: false,
      res: armError(
        400,
        "InvalidIdentityIds",
        `The identity type '${type}' does not take user assigned identities; use 'UserAssigned'.`,
        "identity.userAssignedIdentities",
      ),
    };
  }
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const id of ids) {
    // Checked before the lookup: the lookup is case- and slash-insensitive, ARM's id parser is not.
    if (!isUserAssignedIdentityId(id)) return { ok: false, res: invalidIdentityId(id, "identity.userAssignedIdentities") };
    if (!world.identity(id)) {
      return {
        ok: false,
        res: armError(
          400,
          "FailedIdentityOperation",
          `Identity operation for resource failed: the user assigned identity '${id}' was not found.`,
          "identity.userAssignedIdentities",
        ),
      };
    }
    if (!seen.has(canonicalId(id))) {
      seen.add(canonicalId(id));
      unique.push(id);
    }
  }
  return { ok: true, value: { type, userAssigned: unique } };
}

/** ARM JSON of an identity block. @internal */
export function identityBlock(
  world: World,
  identity: IdentityAssignment,
  systemPrincipalId?: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { type: identity.type };
  if (identity.type === "SystemAssigned" && systemPrincipalId !== undefined) {
    out["principalId"] = systemPrincipalId;
    out["tenantId"] = world.tenantId;
  }
  if (identity.userAssigned.length > 0) {
    const map: Record<string, unknown> = {};
    for (const id of identity.userAssigned) {
      const record = world.identity(id);
      map[id] = { principalId: record?.principalId, clientId: record?.clientId };
    }
    out["userAssignedIdentities"] = map;
  }
  return out;
}
