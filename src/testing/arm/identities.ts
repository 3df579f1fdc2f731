/**
 * Microsoft.ManagedIdentity/userAssignedIdentities: the store that accounts,
 * pools, IMDS and `Emulator.createIdentity` share.
 */
import type { Env } from "../env.js";
import { armError } from "../errors.js";
import { canonicalId } from "../ids.js";
import type { Router } from "../router.js";
import type { IdentityRecord, World } from "../state.js";
import { arm, asObject, objectBody } from "./common.js";

/** Creates (or returns the existing) identity. @internal */
export function upsertIdentity(
  world: World,
  resourceGroup: string,
  name: string,
  location: string = world.location,
  tags: Record<string, string> = {},
): { record: IdentityRecord; created: boolean } {
  const resourceId = `/subscriptions/${world.subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
  const existing = world.identity(resourceId);
  if (existing) {
    existing.tags = tags;
    return { record: existing, created: false };
  }
  const record: IdentityRecord = {
    resourceId,
    name,
    resourceGroup,
    location,
    clientId: world.random.uuid(),
    principalId: world.random.uuid(),
    tenantId: world.tenantId,
    tags,
  };
  world.identities.set(canonicalId(resourceId), record);
  return { record, created: true };
}

/** ARM JSON of an identity. @internal */
export function identityJson(record: IdentityRecord): Record<string, unknown> {
  return {
    id: record.resourceId,
    name: record.name,
    type: "Microsoft.ManagedIdentity/userAssignedIdentities",
    location: record.location,
    tags: record.tags,
    properties: {
      tenantId: record.tenantId,
      principalId: record.principalId,
      clientId: record.clientId,
      isolationScope: "None",
    },
  };
}

/** Registers the MSI routes. @internal */
export function registerIdentities(router: Router, env: Env): void {
  const base = "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities";
  const world = env.world;
  const idOf = (rg: string, name: string): string =>
    `/subscriptions/${world.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
  const missing = (name: string, rg: string) =>
    armError(
      404,
      "ResourceNotFound",
      `The Resource 'Microsoft.ManagedIdentity/userAssignedIdentities/${name}' under resource group '${rg}' was not found.`,
    );

  router.on(
    "PUT",
    `${base}/:name`,
    arm(env, (req) => {
      const parsed = objectBody(req);
      if (!parsed.ok) return parsed.res;
      const location = typeof parsed.body["location"] === "string" ? parsed.body["location"] : world.location;
      const tags = (asObject(parsed.body["tags"]) ?? {}) as Record<string, string>;
      const { record, created } = upsertIdentity(world, req.params["rg"] ?? "", req.params["name"] ?? "", location, tags);
      return { status: created ? 201 : 200, body: identityJson(record) };
    }),
  );
  router.on(
    "GET",
    `${base}/:name`,
    arm(env, (req) => {
      const rg = req.params["rg"] ?? "";
      const name = req.params["name"] ?? "";
      const record = world.identity(idOf(rg, name));
      return record ? { status: 200, body: identityJson(record) } : missing(name, rg);
    }),
  );
  router.on(
    "DELETE",
    `${base}/:name`,
    arm(env, (req) => {
      const key = canonicalId(idOf(req.params["rg"] ?? "", req.params["name"] ?? ""));
      const existed = world.identities.delete(key);
      return { status: existed ? 200 : 204 };
    }),
  );
  router.on(
    "GET",
    base,
    arm(env, (req) => {
      const rg = (req.params["rg"] ?? "").toLowerCase();
      const value = [...world.identities.values()].filter((i) => i.resourceGroup.toLowerCase() === rg).map(identityJson);
      return { status: 200, body: { value } };
    }),
  );
}
