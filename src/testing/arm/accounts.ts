/**
 * Microsoft.Batch/batchAccounts. Create is a long-running operation: the PUT
 * answers 202 with a `Location` that resolves at once to the account, which
 * is what `beginCreateAndWait` of @azure/arm-batch expects.
 */
import type { Env } from "../env.js";
import { armError } from "../errors.js";
import { isUserAssignedIdentityId, storageAccountName } from "../ids.js";
import type { Req, Res, Router } from "../router.js";
import type { AccountRecord, World } from "../state.js";
import { arm, asObject, objectBody } from "./common.js";
import { identityBlock, invalidIdentityId, parseIdentity } from "./identity-spec.js";

const ACCOUNT_IDENTITY_TYPES = ["SystemAssigned", "UserAssigned", "None"] as const;

/** ARM JSON of an account. @internal */
export function accountJson(env: Env, account: AccountRecord): Record<string, unknown> {
  const world = env.world;
  const auto = account.autoStorage;
  return {
    id: account.id,
    name: account.name,
    type: "Microsoft.Batch/batchAccounts",
    location: account.location,
    tags: account.tags,
    identity: identityBlock(world, account.identity, account.systemPrincipalId),
    properties: {
      ...account.extraProperties,
      // Host and path without the scheme, like Azure's "acct.region.batch.azure.com".
      accountEndpoint: env.accountUrl(account.name).replace(/^https:\/\//, ""),
      nodeManagementEndpoint: `${account.name}.emulated.node.batch.local`,
      provisioningState: "Succeeded",
      poolAllocationMode: "BatchService",
      publicNetworkAccess: "Enabled",
      allowedAuthenticationModes: ["SharedKey", "AAD", "TaskAuthenticationToken"],
      dedicatedCoreQuotaPerVMFamilyEnforced: false,
      dedicatedCoreQuota: 500,
      lowPriorityCoreQuota: 500,
      poolQuota: 100,
      activeJobAndJobScheduleQuota: 300,
      ...(auto
        ? {
            autoStorage: {
              storageAccountId: auto.storageAccountId,
              lastKeySync: auto.lastKeySync,
              authenticationMode: auto.authenticationMode,
              ...(auto.nodeIdentityReference !== undefined ? { nodeIdentityReference: { resourceId: auto.nodeIdentityReference } } : {}),
            },
          }
        : {}),
    },
  };
}

/** Validates and applies identity + properties to an account. */
function applyAccount(
  world: World,
  account: AccountRecord,
  body: Record<string, unknown>,
  patch: boolean,
): Res | undefined {
  let identity = account.identity;
  if (!patch || body["identity"] !== undefined) {
    const parsed = parseIdentity(world, body["identity"], ACCOUNT_IDENTITY_TYPES);
    if (!parsed.ok) return parsed.res;
    identity = parsed.value;
  }
  const props = asObject(body["properties"]) ?? {};
  let autoStorage = account.autoStorage;
  if (!patch || props["autoStorage"] !== undefined) {
    const auto = asObject(props["autoStorage"]);
    if (!auto) autoStorage = undefined;
    else {
      const storageAccountId = auto["storageAccountId"];
      const storageName = typeof storageAccountId === "string" ? storageAccountName(storageAccountId) : undefined;
      if (typeof storageAccountId !== "string" || storageName === undefined) {
        return armError(400, "InvalidParameter", "autoStorage.storageAccountId must be a storage account resource id.", "properties.autoStorage.storageAccountId");
      }
      const modeRaw = typeof auto["authenticationMode"] === "string" ? auto["authenticationMode"] : "StorageKeys";
      const mode = (["StorageKeys", "BatchAccountManagedIdentity"] as const).find((m) => m.toLowerCase() === modeRaw.toLowerCase());
      if (mode === undefined) {
        return armError(400, "InvalidParameter", `The value '${modeRaw}' is not valid for autoStorage.authenticationMode.`, "properties.autoStorage.authenticationMode");
      }
      const ref = asObject(auto["nodeIdentityReference"])?.["resourceId"];
      if (ref !== undefined && (typeof ref !== "string" || !isUserAssignedIdentityId(ref))) {
        return invalidIdentityId(String(ref), "properties.autoStorage.nodeIdentityReference.resourceId");
      }
      // Referencing a storage account registers it: the emulator has no storage RP.
      world.ensureStorage(storageName);
      autoStorage = {
        storageAccountId,
        authenticationMode: mode,
        ...(typeof ref === "string" ? { nodeIdentityReference: ref } : {}),
        lastKeySync: new Date(world.clock.now()).toISOString(),
      };
    }
  }
  if (autoStorage?.authenticationMode === "BatchAccountManagedIdentity" && identity.type === "None") {
    return armError(
      400,
      "AccountIdentityRequired",
      "The autoStorage authenticationMode 'BatchAccountManagedIdentity' requires the Batch account to have a managed identity (SystemAssigned or UserAssigned).",
      "properties.autoStorage.authenticationMode",
    );
  }
  account.identity = identity;
  if (identity.type === "SystemAssigned" && account.systemPrincipalId === undefined) {
    account.systemPrincipalId = world.random.uuid();
  }
  if (autoStorage) account.autoStorage = autoStorage;
  else delete account.autoStorage;
  const extra = { ...props };
  for (const k of ["autoStorage", "accountEndpoint", "provisioningState"]) delete extra[k];
  account.extraProperties = patch ? { ...account.extraProperties, ...extra } : extra;
  const tags = asObject(body["tags"]);
  if (tags) account.tags = tags as Record<string, string>;
  return undefined;
}

/** Registers account routes. @internal */
export function registerAccounts(router: Router, env: Env): void {
  const world = env.world;
  const base = "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Batch/batchAccounts";
  const notFound = (req: Req): Res =>
    armError(
      404,
      "ResourceNotFound",
      `The Resource 'Microsoft.Batch/batchAccounts/${req.params["account"] ?? ""}' under resource group '${req.params["rg"] ?? ""}' was not found.`,
    );

  router.on(
    "PUT",
    `${base}/:account`,
    arm(env, async (req) => {
      const parsed = objectBody(req);
      if (!parsed.ok) return parsed.res;
      const name = (req.params["account"] ?? "").toLowerCase();
      if (!/^[a-z0-9]{3,24}$/.test(name)) {
        return armError(400, "AccountNameInvalid", `Account name '${name}' is invalid: use 3 to 24 lowercase letters and numbers.`);
      }
      const rg = req.params["rg"] ?? world.resourceGroup;
      const existing = world.account(name);
      const account: AccountRecord = existing ?? {
        name,
        id: `/subscriptions/${world.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Batch/batchAccounts/${name}`,
        resourceGroup: rg,
        location: typeof parsed.body["location"] === "string" ? parsed.body["location"] : world.location,
        tags: {},
        identity: { type: "None", userAssigned: [] },
        extraProperties: {},
        applications: new Map(),
        pools: new Map(),
        jobs: new Map(),
        creationTime: world.clock.now(),
      };
      // Validate on a copy so a rejected request changes nothing.
      const draft: AccountRecord = { ...account };
      const error = applyAccount(world, draft, parsed.body, false);
      if (error) return error;
      Object.assign(account, draft);
      await env.openAccount(name);
      world.accounts.set(name, account);
      const operation = `${env.url()}/subscriptions/${world.subscriptionId}/providers/Microsoft.Batch/locations/${account.location}/accountOperationResults/${name}-${world.random.hex(8)}?api-version=${encodeURIComponent(req.query.get("api-version") ?? "")}`;
      return { status: 202, headers: { location: operation, "retry-after": "0" } };
    }),
  );
  router.on(
    "GET",
    "/subscriptions/:sub/providers/Microsoft.Batch/locations/:location/accountOperationResults/:operation",
    arm(env, (req) => {
      const name = (req.params["operation"] ?? "").replace(/-[0-9a-f]{8}$/, "");
      const account = world.account(name);
      return account ? { status: 200, body: accountJson(env, account) } : armError(404, "OperationNotFound", "The operation was not found.");
    }),
  );
  router.on(
    "GET",
    `${base}/:account`,
    arm(env, (req) => {
      const account = world.account(req.params["account"] ?? "");
      return account ? { status: 200, body: accountJson(env, account) } : notFound(req);
    }),
  );
  router.on(
    "PATCH",
    `${base}/:account`,
    arm(env, (req) => {
      const account = world.account(req.params["account"] ?? "");
      if (!account) return notFound(req);
      const parsed = objectBody(req);
      if (!parsed.ok) return parsed.res;
      const draft: AccountRecord = { ...account };
      const error = applyAccount(world, draft, parsed.body, true);
      if (error) return error;
      Object.assign(account, draft);
      return { status: 200, body: accountJson(env, account) };
    }),
  );
  router.on(
    "DELETE",
    `${base}/:account`,
    arm(env, (req) => {
      const existed = world.accounts.delete((req.params["account"] ?? "").toLowerCase());
      return { status: existed ? 200 : 204 };
    }),
  );
  // BatchAccount_List (BatchManagement.json): every account of the subscription; `az batch account list` asks for it.
  router.on(
    "GET",
    "/subscriptions/:sub/providers/Microsoft.Batch/batchAccounts",
    arm(env, () => ({ status: 200, body: { value: [...world.accounts.values()].map((a) => accountJson(env, a)) } })),
  );
  router.on(
    "GET",
    base,
    arm(env, (req) => {
      const rg = (req.params["rg"] ?? "").toLowerCase();
      const value = [...world.accounts.values()].filter((a) => a.resourceGroup.toLowerCase() === rg).map((a) => accountJson(env, a));
      return { status: 200, body: { value } };
    }),
  );
}
