/**
 * Applications and application packages. Creating a package version is where
 * Batch first touches autostorage with the ACCOUNT identity: under
 * `BatchAccountManagedIdentity` that identity needs a blob data role that can
 * write (Contributor or Owner) on the autostorage account, else HTTP 409
 * `AutoStorageNoPermission` (seed article, "Use a managed identity to access
 * your autostorage account"). A version is activated only once its blob was
 * uploaded to its `storageUrl`, and only active versions can be a default
 * (src/azure ARM_ERRORS: ApplicationPackageBlobNotFound, RequestedDefaultVersionNotActive).
 */
import { ARM_ERRORS } from "../../azure/index.js";
import type { Env } from "../env.js";
import { armError } from "../errors.js";
import { storageAccountName } from "../ids.js";
import { hasBlobDataRole } from "../rbac.js";
import type { Req, Res, Router } from "../router.js";
import type { AccountRecord, ApplicationRecord, PackageRecord, World } from "../state.js";
import { arm, asObject, objectBody } from "./common.js";

/** Container the emulator keeps packages in, per application. @internal */
export function packageContainer(app: string): string {
  return `app-${app.toLowerCase()}`;
}

/** Blob name of a package version. @internal */
export function packageBlob(app: string, version: string): string {
  return `${app.toLowerCase()}-${version}.zip`;
}

/** Whether a package version's blob was uploaded to its `storageUrl`. */
function packageUploaded(world: World, account: AccountRecord, app: string, version: string): boolean {
  const storage = account.autoStorage ? storageAccountName(account.autoStorage.storageAccountId) : undefined;
  if (storage === undefined) return false;
  return world.storage.get(storage.toLowerCase())?.containers.get(packageContainer(app))?.has(packageBlob(app, version)) ?? false;
}

/** The ARM error for one of Azure's published codes (status and message from src/azure). */
function published(code: "ApplicationPackageBlobNotFound" | "RequestedDefaultVersionNotActive" | "ApplicationPackagesNotEmpty"): Res {
  const fact = ARM_ERRORS[code];
  return armError(fact.status, fact.code, fact.message);
}

/** A default version must name an active package version. */
function refuseDefaultVersion(app: ApplicationRecord | undefined, version: unknown): Res | undefined {
  if (typeof version !== "string") return undefined;
  return app?.versions.get(version)?.state === "Active" ? undefined : published("RequestedDefaultVersionNotActive");
}

/** Principals that act for the account itself against autostorage. */
function accountPrincipals(world: World, account: AccountRecord): string[] {
  if (account.identity.type === "SystemAssigned") return account.systemPrincipalId ? [account.systemPrincipalId] : [];
  return account.identity.userAssigned.map((id) => world.identity(id)?.principalId).filter((p): p is string => p !== undefined);
}

function appJson(account: AccountRecord, app: ApplicationRecord, world: World): Record<string, unknown> {
  return {
    id: `${account.id}/applications/${app.name}`,
    name: app.name,
    type: "Microsoft.Batch/batchAccounts/applications",
    etag: world.etag(),
    properties: {
      ...(app.displayName !== undefined ? { displayName: app.displayName } : {}),
      allowUpdates: app.allowUpdates,
      ...(app.defaultVersion !== undefined ? { defaultVersion: app.defaultVersion } : {}),
    },
  };
}

function packageJson(env: Env, account: AccountRecord, app: ApplicationRecord, pkg: PackageRecord): Record<string, unknown> {
  const storage = account.autoStorage ? storageAccountName(account.autoStorage.storageAccountId) : undefined;
  const expiry = new Date(env.world.clock.now() + 4 * 3600_000).toISOString();
  return {
    id: `${account.id}/applications/${app.name}/versions/${pkg.version}`,
    name: pkg.version,
    type: "Microsoft.Batch/batchAccounts/applications/versions",
    etag: pkg.etag,
    properties: {
      state: pkg.state,
      ...(pkg.format !== undefined ? { format: pkg.format } : {}),
      ...(pkg.lastActivationTime !== undefined ? { lastActivationTime: pkg.lastActivationTime } : {}),
      ...(storage !== undefined
        ? {
            storageUrl: `${env.url()}/blob/${storage}/${packageContainer(app.name)}/${packageBlob(app.name, pkg.version)}?sv=2021-12-02&sr=b&sp=rw&se=${encodeURIComponent(expiry)}&sig=emulated`,
            storageUrlExpiry: expiry,
          }
        : {}),
    },
  };
}

/**
 * Creates a package version as Batch does, or explains why it cannot.
 * Exposed for seeding helpers. @internal
 */
export function createPackage(env: Env, account: AccountRecord, appName: string, version: string): Res | PackageRecord {
  const world = env.world;
  const auto = account.autoStorage;
  if (!auto) {
    return armError(409, "AccountNotEnabledForAutoStorage", "The Batch account does not have an auto storage account configured.", "BatchAccount");
  }
  const storageName = storageAccountName(auto.storageAccountId) ?? "";
  const storage = world.ensureStorage(storageName);
  if (auto.authenticationMode === "BatchAccountManagedIdentity") {
    const allowed = accountPrincipals(world, account).some((p) => hasBlobDataRole(world, p, storage.id, undefined, "write"));
    if (!allowed) {
      return armError(
        409,
        "AutoStorageNoPermission",
        "The managed identity does not have permission to access auto storage account. Please use Azure RBAC to assign the managed identity access to auto storage.",
        "BatchAccount",
      );
    }
  }
  const key = appName.toLowerCase();
  let app = account.applications.get(key);
  if (!app) {
    app = { name: appName, allowUpdates: true, versions: new Map() };
    account.applications.set(key, app);
  }
  const existing = app.versions.get(version);
  if (existing && !app.allowUpdates) {
    return armError(409, "ApplicationPackageAlreadyExists", "The application package already exists and the application does not allow updates.");
  }
  const pkg: PackageRecord = { version, state: "Pending", etag: world.etag() };
  app.versions.set(version, pkg);
  if (!storage.containers.has(packageContainer(appName))) storage.containers.set(packageContainer(appName), new Map());
  return pkg;
}

/** Registers application routes. @internal */
export function registerApplications(router: Router, env: Env): void {
  const world = env.world;
  const base = "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Batch/batchAccounts/:account/applications";
  const withAccount = (req: Req, f: (account: AccountRecord) => Res): Res => {
    const account = world.account(req.params["account"] ?? "");
    if (!account) {
      return armError(404, "ResourceNotFound", `The Resource 'Microsoft.Batch/batchAccounts/${req.params["account"] ?? ""}' under resource group '${req.params["rg"] ?? ""}' was not found.`);
    }
    return f(account);
  };
  const appNotFound = (name: string): Res => armError(404, "ApplicationNotFound", `The specified application '${name}' does not exist.`);

  router.on(
    "PUT",
    `${base}/:app`,
    arm(env, (req) =>
      withAccount(req, (account) => {
        const props = asObject(asObject(req.json())?.["properties"]) ?? {};
        const name = req.params["app"] ?? "";
        const app: ApplicationRecord = account.applications.get(name.toLowerCase()) ?? { name, allowUpdates: true, versions: new Map() };
        const refused = refuseDefaultVersion(app, props["defaultVersion"]);
        if (refused) return refused;
        if (typeof props["displayName"] === "string") app.displayName = props["displayName"];
        if (typeof props["allowUpdates"] === "boolean") app.allowUpdates = props["allowUpdates"];
        if (typeof props["defaultVersion"] === "string") app.defaultVersion = props["defaultVersion"];
        account.applications.set(name.toLowerCase(), app);
        return { status: 200, body: appJson(account, app, world) };
      }),
    ),
  );
  router.on(
    "PATCH",
    `${base}/:app`,
    arm(env, (req) =>
      withAccount(req, (account) => {
        const app = account.applications.get((req.params["app"] ?? "").toLowerCase());
        if (!app) return appNotFound(req.params["app"] ?? "");
        const props = asObject(asObject(req.json())?.["properties"]) ?? {};
        const refused = refuseDefaultVersion(app, props["defaultVersion"]);
        if (refused) return refused;
        if (typeof props["displayName"] === "string") app.displayName = props["displayName"];
        if (typeof props["allowUpdates"] === "boolean") app.allowUpdates = props["allowUpdates"];
        if (typeof props["defaultVersion"] === "string") app.defaultVersion = props["defaultVersion"];
        return { status: 200, body: appJson(account, app, world) };
      }),
    ),
  );
  router.on(
    "GET",
    `${base}/:app`,
    arm(env, (req) =>
      withAccount(req, (account) => {
        const app = account.applications.get((req.params["app"] ?? "").toLowerCase());
        return app ? { status: 200, body: appJson(account, app, world) } : appNotFound(req.params["app"] ?? "");
      }),
    ),
  );
  router.on(
    "DELETE",
    `${base}/:app`,
    arm(env, (req) =>
      withAccount(req, (account) => {
        const key = (req.params["app"] ?? "").toLowerCase();
        if ((account.applications.get(key)?.versions.size ?? 0) > 0) return published("ApplicationPackagesNotEmpty");
        return { status: account.applications.delete(key) ? 200 : 204 };
      }),
    ),
  );
  router.on(
    "GET",
    base,
    arm(env, (req) =>
      withAccount(req, (account) => ({ status: 200, body: { value: [...account.applications.values()].map((a) => appJson(account, a, world)) } })),
    ),
  );

  router.on(
    "PUT",
    `${base}/:app/versions/:version`,
    arm(env, (req) =>
      withAccount(req, (account) => {
        const appName = req.params["app"] ?? "";
        const result = createPackage(env, account, appName, req.params["version"] ?? "");
        if ("status" in result) return result;
        const app = account.applications.get(appName.toLowerCase());
        return app ? { status: 200, body: packageJson(env, account, app, result) } : appNotFound(appName);
      }),
    ),
  );
  router.on(
    "GET",
    `${base}/:app/versions/:version`,
    arm(env, (req) =>
      withAccount(req, (account) => {
        const app = account.applications.get((req.params["app"] ?? "").toLowerCase());
        const pkg = app?.versions.get(req.params["version"] ?? "");
        if (!app || !pkg) return armError(404, "ApplicationPackageNotFound", "The specified application package does not exist.");
        return { status: 200, body: packageJson(env, account, app, pkg) };
      }),
    ),
  );
  router.on(
    "GET",
    `${base}/:app/versions`,
    arm(env, (req) =>
      withAccount(req, (account) => {
        const app = account.applications.get((req.params["app"] ?? "").toLowerCase());
        if (!app) return appNotFound(req.params["app"] ?? "");
        return { status: 200, body: { value: [...app.versions.values()].map((p) => packageJson(env, account, app, p)) } };
      }),
    ),
  );
  router.on(
    "DELETE",
    `${base}/:app/versions/:version`,
    arm(env, (req) =>
      withAccount(req, (account) => {
        const app = account.applications.get((req.params["app"] ?? "").toLowerCase());
        return { status: app?.versions.delete(req.params["version"] ?? "") ? 200 : 204 };
      }),
    ),
  );
  router.on(
    "POST",
    `${base}/:app/versions/:version/activate`,
    arm(env, (req) =>
      withAccount(req, (account) => {
        const parsed = objectBody(req);
        if (!parsed.ok) return parsed.res;
        const app = account.applications.get((req.params["app"] ?? "").toLowerCase());
        const pkg = app?.versions.get(req.params["version"] ?? "");
        if (!app || !pkg) return armError(404, "ApplicationPackageNotFound", "The specified application package does not exist.");
        const format = parsed.body["format"];
        if (typeof format !== "string" || format === "") {
          return armError(400, "InvalidParameter", "The package format is required.", "format");
        }
        if (!packageUploaded(world, account, app.name, pkg.version)) return published("ApplicationPackageBlobNotFound");
        pkg.state = "Active";
        pkg.format = format;
        pkg.lastActivationTime = new Date(world.clock.now()).toISOString();
        pkg.etag = world.etag();
        return { status: 200, body: packageJson(env, account, app, pkg) };
      }),
    ),
  );
}

/**
 * Resolves a pool's `applicationPackages[].id` (an application resource id,
 * optionally with `/versions/{v}`, or a bare name) to an active package.
 * @internal
 */
export function resolvePackage(
  account: AccountRecord,
  ref: { id: string; version?: string | undefined },
): { app: ApplicationRecord; version: string; pkg: PackageRecord } | undefined {
  const m = /\/applications\/([^/]+)(?:\/versions\/([^/]+))?\/?$/i.exec(ref.id);
  const appName = m?.[1] ?? ref.id;
  const app = account.applications.get(appName.toLowerCase());
  const version = ref.version ?? m?.[2] ?? app?.defaultVersion;
  if (!app || version === undefined) return undefined;
  const pkg = app.versions.get(version);
  if (!pkg || pkg.state !== "Active") return undefined;
  return { app, version, pkg };
}
