/**
 * Microsoft.Batch/batchAccounts/pools. Pools are the only place pool
 * identities can be set, and they take user-assigned identities only
 * (BatchManagement.json 2025-06-01, `BatchPoolIdentity.type`: UserAssigned
 * or None). Identity list changes are recorded with the node count at that
 * moment (see `Emulator.poolIdentityHistory`) and bump `lastModified`;
 * existing nodes keep the identities they were allocated with (`Pool.identity`:
 * "only the new vms which are created after the pool shrinks to 0 will have
 * the updated identities"). Every check here is listed with its source in
 * src/testing/provenance.ts (ARM_CHECKS).
 */
import { ARM_ERRORS } from "../../azure/index.js";
import { allocationState } from "../behaviour/node-lifecycle.js";
import type { Env } from "../env.js";
import { armError } from "../errors.js";
import { canonicalId } from "../ids.js";
import type { Req, Res, Router } from "../router.js";
import type { AccountRecord, IdentityAssignment, PoolRecord } from "../state.js";
import { resolvePackage } from "./applications.js";
import { arm, asObject, objectBody } from "./common.js";
import { identityBlock, parseIdentity } from "./identity-spec.js";

const POOL_IDENTITY_TYPES = ["UserAssigned", "None"] as const;

function poolJson(env: Env, account: AccountRecord, pool: PoolRecord): Record<string, unknown> {
  const iso = (t: number): string => new Date(t).toISOString();
  const nodes = [...pool.nodes.values()];
  return {
    id: pool.id,
    name: pool.name,
    type: "Microsoft.Batch/batchAccounts/pools",
    etag: pool.etag,
    identity: identityBlock(env.world, pool.identity),
    properties: {
      ...pool.properties,
      provisioningState: "Succeeded",
      provisioningStateTransitionTime: iso(pool.creationTime),
      creationTime: iso(pool.creationTime),
      lastModified: iso(pool.lastModified),
      // ARM spells the data plane's AllocationState in PascalCase.
      allocationState: allocationState(pool) === "resizing" ? "Resizing" : "Steady",
      allocationStateTransitionTime: iso(pool.allocationStateTransitionTime),
      currentDedicatedNodes: nodes.filter((n) => n.isDedicated).length,
      currentLowPriorityNodes: nodes.filter((n) => !n.isDedicated).length,
      interNodeCommunication: pool.properties["interNodeCommunication"] ?? "Disabled",
      taskSlotsPerNode: pool.properties["taskSlotsPerNode"] ?? 1,
    },
  };
}

/** Checks what ARM checks up front; returns the 400 or undefined. */
function validateProperties(account: AccountRecord, props: Record<string, unknown>, creating: boolean): Res | undefined {
  if (creating && typeof props["vmSize"] !== "string") {
    return armError(400, "MissingRequiredProperty", "The property 'vmSize' is required.", "properties.vmSize");
  }
  const packages = props["applicationPackages"];
  if (packages !== undefined) {
    if (!Array.isArray(packages)) return armError(400, "InvalidParameter", "applicationPackages must be an array.", "properties.applicationPackages");
    const invalid = (packages as Array<Record<string, unknown>>).filter((p) => {
      const id = typeof p["id"] === "string" ? p["id"] : "";
      return !resolvePackage(account, { id, version: typeof p["version"] === "string" ? p["version"] : undefined });
    });
    if (invalid.length > 0) {
      // 409 in both specs and on the status-code page (src/azure).
      return armError(
        ARM_ERRORS.InvalidApplicationPackageReferences.status,
        "InvalidApplicationPackageReferences",
        `${ARM_ERRORS.InvalidApplicationPackageReferences.message} (${invalid.map((p) => `${String(p["id"])}${typeof p["version"] === "string" ? `:${p["version"]}` : ""}`).join(", ")})`,
        "properties.applicationPackages",
      );
    }
  }
  const mounts = props["mountConfiguration"];
  if (Array.isArray(mounts)) {
    for (const [i, mount] of (mounts as Array<Record<string, unknown>>).entries()) {
      const blobfs = asObject(mount["azureBlobFileSystemConfiguration"]);
      if (!blobfs) continue;
      const given = ["accountKey", "sasKey", "identityReference"].filter((k) => blobfs[k] !== undefined && blobfs[k] !== null);
      if (given.length !== 1) {
        return armError(
          400,
          "InvalidParameter",
          `Exactly one of accountKey, sasKey or identityReference must be specified for azureBlobFileSystemConfiguration (found ${given.length === 0 ? "none" : given.join(", ")}).`,
          `properties.mountConfiguration[${i}].azureBlobFileSystemConfiguration`,
        );
      }
    }
  }
  return undefined;
}

function sameIdentities(a: IdentityAssignment, b: IdentityAssignment): boolean {
  const set = (x: IdentityAssignment): string => x.userAssigned.map(canonicalId).sort().join("|");
  return a.type === b.type && set(a) === set(b);
}

/** Registers pool routes. @internal */
export function registerPools(router: Router, env: Env): void {
  const world = env.world;
  const base = "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Batch/batchAccounts/:account/pools";
  const withAccount = (req: Req, f: (account: AccountRecord) => Res): Res => {
    const account = world.account(req.params["account"] ?? "");
    if (!account) {
      return armError(404, "ResourceNotFound", `The Resource 'Microsoft.Batch/batchAccounts/${req.params["account"] ?? ""}' under resource group '${req.params["rg"] ?? ""}' was not found.`);
    }
    return f(account);
  };
  const poolNotFound = (): Res => armError(404, "PoolNotFound", "The specified pool does not exist.");

  const write = (req: Req, patch: boolean): Res =>
    withAccount(req, (account) => {
      const parsed = objectBody(req);
      if (!parsed.ok) return parsed.res;
      const name = req.params["pool"] ?? "";
      const existing = account.pools.get(name.toLowerCase());
      if (patch && !existing) return poolNotFound();
      const ifMatch = req.headers["if-match"];
      if (ifMatch !== undefined && ifMatch !== "*" && existing && ifMatch !== existing.etag) {
        return armError(412, "PreconditionFailed", "The condition specified using HTTP conditional header(s) is not met.");
      }
      if (req.headers["if-none-match"] === "*" && existing) {
        return armError(409, "PoolExists", "The specified pool already exists.");
      }
      let identity = existing?.identity ?? { type: "None", userAssigned: [] };
      if (!patch || parsed.body["identity"] !== undefined) {
        const id = parseIdentity(world, parsed.body["identity"], POOL_IDENTITY_TYPES);
        if (!id.ok) return id.res;
        identity = id.value;
      }
      const incoming = asObject(parsed.body["properties"]) ?? {};
      const props = patch && existing ? { ...existing.properties, ...incoming } : { ...incoming };
      for (const k of ["provisioningState", "allocationState", "currentDedicatedNodes", "currentLowPriorityNodes", "creationTime", "lastModified"]) {
        delete props[k];
      }
      const invalid = validateProperties(account, props, existing === undefined);
      if (invalid) return invalid;

      const now = world.clock.now();
      const pool: PoolRecord = existing ?? {
        name,
        id: `${account.id}/pools/${name}`,
        identity,
        properties: props,
        etag: world.etag(),
        creationTime: now,
        lastModified: now,
        allocationStateTransitionTime: now,
        identityHistory: [{ at: new Date(now).toISOString(), identities: [...identity.userAssigned], nodeCount: 0, nodesExisted: false }],
        nodes: new Map(),
        nodeCounter: 0,
      };
      if (existing) {
        if (!sameIdentities(existing.identity, identity)) {
          existing.identityHistory.push({
            at: new Date(now).toISOString(),
            identities: [...identity.userAssigned],
            nodeCount: existing.nodes.size,
            nodesExisted: existing.nodes.size > 0,
          });
        }
        existing.identity = identity;
        existing.properties = props;
        existing.lastModified = now;
        existing.etag = world.etag();
      }
      account.pools.set(name.toLowerCase(), pool);
      env.resize(account, pool);
      return { status: 200, headers: { etag: pool.etag }, body: poolJson(env, account, pool) };
    });

  router.on("PUT", `${base}/:pool`, arm(env, (req) => write(req, false)));
  router.on("PATCH", `${base}/:pool`, arm(env, (req) => write(req, true)));
  router.on(
    "GET",
    `${base}/:pool`,
    arm(env, (req) =>
      withAccount(req, (account) => {
        const pool = account.pools.get((req.params["pool"] ?? "").toLowerCase());
        return pool ? { status: 200, headers: { etag: pool.etag }, body: poolJson(env, account, pool) } : poolNotFound();
      }),
    ),
  );
  router.on(
    "DELETE",
    `${base}/:pool`,
    arm(env, (req) =>
      withAccount(req, (account) => ({ status: account.pools.delete((req.params["pool"] ?? "").toLowerCase()) ? 200 : 204 })),
    ),
  );
  router.on(
    "GET",
    base,
    arm(env, (req) => withAccount(req, (account) => poolPage(env, req, [...account.pools.values()].map((p) => poolJson(env, account, p))))),
  );
}

/**
 * One page of the pool list, Azure's management list shape: `{ value, nextLink }` with `nextLink`
 * only while more remain (`@azure/arm-batch` 9.1.0 `ListPoolsResult`, from BatchManagement.json's
 * `Pool_ListByBatchAccount`, whose `maxresults` query sets the page size). The page size when none
 * is asked for is the emulator's `pageSize` (an assumption: Azure does not document its default).
 */
function poolPage(env: Env, req: Req, items: readonly Record<string, unknown>[]): Res {
  const asked = Number(req.query.get("maxresults"));
  const size = Math.max(1, Number.isInteger(asked) && asked > 0 ? asked : (env.pageSize ?? 1000));
  const skip = Math.max(0, Number(req.query.get("$skiptoken") ?? 0) || 0);
  const body: Record<string, unknown> = { value: items.slice(skip, skip + size) };
  if (skip + size < items.length) {
    const query = new URLSearchParams(req.query);
    query.set("$skiptoken", String(skip + size));
    body["nextLink"] = `${env.url()}${req.path}?${query.toString()}`;
  }
  return { status: 200, body };
}
