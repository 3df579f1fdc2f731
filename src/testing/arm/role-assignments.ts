/**
 * Microsoft.Authorization role assignments and the three built-in storage
 * blob data role definitions. Scopes are arbitrary ARM ids, so these routes
 * use regular expressions rather than segment patterns.
 */
import type { ArmErrorCode } from "../../azure/index.js";
import type { Env } from "../env.js";
import { armError } from "../errors.js";
import { canonicalId, scopeCovers } from "../ids.js";
import { BUILT_IN_ROLES, resolveRole, roleDefinitionId, type BuiltInRole } from "../rbac.js";
import type { Router } from "../router.js";
import type { RoleAssignmentRecord, World } from "../state.js";
import { arm, asObject, objectBody } from "./common.js";

/** Creates a role assignment; returns an error text when it cannot. @internal */
export function addRoleAssignment(
  world: World,
  input: { scope: string; name?: string; principalId: string; role: string; principalType?: string },
): { ok: true; record: RoleAssignmentRecord; created: boolean } | { ok: false; status: number; code: ArmErrorCode; message: string } {
  const role = resolveRole(input.role);
  if (!role) {
    return { ok: false, status: 400, code: "RoleDefinitionDoesNotExist", message: `The specified role definition with ID '${input.role}' does not exist.` };
  }
  const scope = input.scope.replace(/\/+$/, "");
  const name = input.name ?? world.random.uuid();
  const key = `${canonicalId(scope)}|${name.toLowerCase()}`;
  const existing = world.roleAssignments.get(key);
  if (existing) return { ok: true, record: existing, created: false };
  for (const other of world.roleAssignments.values()) {
    if (
      canonicalId(other.scope) === canonicalId(scope) &&
      other.principalId.toLowerCase() === input.principalId.toLowerCase() &&
      resolveRole(other.roleDefinitionId)?.guid === role.guid
    ) {
      return { ok: false, status: 409, code: "RoleAssignmentExists", message: "The role assignment already exists." };
    }
  }
  const record: RoleAssignmentRecord = {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    scope,
    principalId: input.principalId,
    roleDefinitionId: roleDefinitionId(world.subscriptionId, role.guid),
    principalType: input.principalType ?? "ServicePrincipal",
    createdOn: new Date(world.clock.now()).toISOString(),
  };
  world.roleAssignments.set(key, record);
  return { ok: true, record, created: true };
}

function assignmentJson(r: RoleAssignmentRecord): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    type: "Microsoft.Authorization/roleAssignments",
    properties: {
      scope: r.scope,
      roleDefinitionId: r.roleDefinitionId,
      principalId: r.principalId,
      principalType: r.principalType,
      createdOn: r.createdOn,
      updatedOn: r.createdOn,
    },
  };
}

function definitionJson(world: World, role: BuiltInRole): Record<string, unknown> {
  return {
    id: roleDefinitionId(world.subscriptionId, role.guid),
    name: role.guid,
    type: "Microsoft.Authorization/roleDefinitions",
    properties: {
      roleName: role.roleName,
      type: "BuiltInRole",
      description: role.description,
      assignableScopes: ["/"],
      permissions: [{ actions: [], notActions: [], dataActions: role.dataActions, notDataActions: [] }],
    },
  };
}

/** Applies the list filters ARM understands: `atScope()`, `principalId eq '…'`, `assignedTo('…')`. */
function filterAssignments(all: RoleAssignmentRecord[], scope: string, filter: string | null): RoleAssignmentRecord[] {
  const f = filter ?? "";
  const atScope = /atScope\(\)/i.test(f);
  const principal = /principalId\s+eq\s+'([^']+)'/i.exec(f)?.[1] ?? /assignedTo\('([^']+)'\)/i.exec(f)?.[1];
  return all.filter((a) => {
    if (principal !== undefined && a.principalId.toLowerCase() !== principal.toLowerCase()) return false;
    const above = scopeCovers(a.scope, scope);
    const below = scopeCovers(scope, a.scope);
    return atScope ? above : above || below;
  });
}

/** Registers role assignment and role definition routes. @internal */
export function registerRoleAssignments(router: Router, env: Env): void {
  const world = env.world;
  const one = /^(?<scope>.*)\/providers\/Microsoft\.Authorization\/roleAssignments\/(?<name>[^/]+)\/?$/i;
  const list = /^(?<scope>.*)\/providers\/Microsoft\.Authorization\/roleAssignments\/?$/i;
  const def = /^(?<scope>.*)\/providers\/Microsoft\.Authorization\/roleDefinitions\/(?<id>[^/]+)\/?$/i;
  const defs = /^(?<scope>.*)\/providers\/Microsoft\.Authorization\/roleDefinitions\/?$/i;
  const keyOf = (scope: string, name: string): string => `${canonicalId(scope)}|${name.toLowerCase()}`;

  router.on(
    "PUT",
    one,
    arm(env, (req) => {
      const parsed = objectBody(req);
      if (!parsed.ok) return parsed.res;
      const props = asObject(parsed.body["properties"]) ?? {};
      const roleId = props["roleDefinitionId"];
      const principalId = props["principalId"];
      if (typeof roleId !== "string" || typeof principalId !== "string") {
        return armError(400, "InvalidRoleAssignmentRequest", "roleDefinitionId and principalId are required.");
      }
      const result = addRoleAssignment(world, {
        scope: req.params["scope"] ?? "",
        name: req.params["name"] ?? "",
        principalId,
        role: roleId,
        ...(typeof props["principalType"] === "string" ? { principalType: props["principalType"] } : {}),
      });
      if (!result.ok) return armError(result.status, result.code, result.message);
      return { status: result.created ? 201 : 200, body: assignmentJson(result.record) };
    }),
  );
  router.on(
    "GET",
    one,
    arm(env, (req) => {
      const record = world.roleAssignments.get(keyOf(req.params["scope"] ?? "", req.params["name"] ?? ""));
      return record
        ? { status: 200, body: assignmentJson(record) }
        : armError(404, "RoleAssignmentNotFound", "The role assignment '" + (req.params["name"] ?? "") + "' is not found.");
    }),
  );
  router.on(
    "DELETE",
    one,
    arm(env, (req) => {
      const key = keyOf(req.params["scope"] ?? "", req.params["name"] ?? "");
      const record = world.roleAssignments.get(key);
      if (!record) return { status: 204 };
      world.roleAssignments.delete(key);
      return { status: 200, body: assignmentJson(record) };
    }),
  );
  router.on(
    "GET",
    list,
    arm(env, (req) => {
      const value = filterAssignments([...world.roleAssignments.values()], req.params["scope"] ?? "", req.query.get("$filter")).map(
        assignmentJson,
      );
      return { status: 200, body: { value } };
    }),
  );
  router.on(
    "GET",
    def,
    arm(env, (req) => {
      const role = resolveRole(req.params["id"] ?? "");
      return role
        ? { status: 200, body: definitionJson(world, role) }
        : armError(404, "RoleDefinitionDoesNotExist", `The specified role definition with ID '${req.params["id"] ?? ""}' does not exist.`);
    }),
  );
  router.on(
    "GET",
    defs,
    arm(env, (req) => {
      const name = /roleName\s+eq\s+'([^']+)'/i.exec(req.query.get("$filter") ?? "")?.[1];
      const value = BUILT_IN_ROLES.filter((r) => name === undefined || r.roleName.toLowerCase() === name.toLowerCase()).map((r) =>
        definitionJson(world, r),
      );
      return { status: 200, body: { value } };
    }),
  );
}
