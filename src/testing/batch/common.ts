/**
 * Batch data-plane front door: resolves the account from the path prefix
 * (`/batch/{account}/...`) and checks the bearer token. The audience must be
 * exactly `https://batch.core.windows.net/` (with the trailing slash), as
 * Batch requires; anything else is a 401 `AuthenticationFailed` whose detail
 * names the wrong audience.
 */
import type { BatchErrorCode } from "../../azure/index.js";
import type { Env } from "../env.js";
import { batchError } from "../errors.js";
import type { Req, Res } from "../router.js";
import type { AccountRecord } from "../state.js";
import { bearerOf, readToken } from "../tokens.js";
import { accountKeys } from "../arm/account-keys.js";
import { parseSharedKey, SHARED_KEY_FAILED, verifySharedKey } from "../auth/shared-key.js";

/** The one audience Batch accepts. @internal */
export const BATCH_AUDIENCE = "https://batch.core.windows.net/";

/** Context handed to data-plane handlers. @internal */
export interface BatchCtx {
  req: Req;
  account: AccountRecord;
  /** `https://host/batch/{account}` */
  base: string;
  error(status: number, code: BatchErrorCode, message: string, values?: Array<{ key: string; value: string }>): Res;
}

/**
 * Batch ids: letters, digits, hyphens and underscores, 1 to 64 characters (BatchService.json
 * 2024-07-01.20.0, `JobAddParameter.id`, `JobScheduleAddParameter.id`). @internal
 */
export function isBatchId(id: unknown): id is string {
  return typeof id === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(id);
}

/** Batch's refusal of an id that is not {@link isBatchId}. @internal */
export function refuseId(id: unknown, error: BatchCtx["error"]): Res {
  return error(400, "InvalidPropertyValue", "The value provided for one of the properties in the request body is invalid.", [
    { key: "PropertyName", value: "id" },
    { key: "PropertyValue", value: String(id) },
  ]);
}

/**
 * Batch's refusal of a `poolInfo` without exactly one of `poolId` and `autoPoolSpecification`
 * (`@azure/batch` 10.2 `PoolInformation.poolId`: "You must specify either the Pool ID or the auto
 * Pool specification, but not both"; the message text is ours, an assumption). `undefined` when
 * it is well formed. @internal
 */
export function refusePoolInfo(poolInfo: { poolId?: unknown; autoPoolSpecification?: unknown } | undefined, at: string, error: BatchCtx["error"]): Res | undefined {
  if (poolInfo && (typeof poolInfo.poolId === "string") !== (poolInfo.autoPoolSpecification !== undefined)) return undefined;
  return error(400, "InvalidPropertyValue", "Exactly one of poolInfo.poolId and poolInfo.autoPoolSpecification must be specified.", [{ key: "PropertyName", value: at }]);
}

const AUTH_FAILED = "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly.";

/** Wraps a data-plane handler with account lookup and authentication. @internal */
export function batch(env: Env, handler: (ctx: BatchCtx) => Res | Promise<Res>): (req: Req) => Res | Promise<Res> {
  return (req) => {
    const name = (req.params["account"] ?? "").toLowerCase();
    const base = req.base;
    const error = (status: number, code: BatchErrorCode, message: string, values?: Array<{ key: string; value: string }>): Res =>
      batchError(status, base, code, message, values);
    const header = req.headers.authorization ?? "";
    const token = bearerOf(header);
    const sharedKey = parseSharedKey(header);
    if (token === undefined && sharedKey === undefined) {
      return error(401, "AuthenticationFailed", AUTH_FAILED, [{ key: "AuthenticationErrorDetail", value: "The Authorization header is missing or malformed." }]);
    }
    if (token !== undefined) {
      const claims = readToken(token);
      if (!claims) {
        return error(401, "AuthenticationFailed", AUTH_FAILED, [{ key: "AuthenticationErrorDetail", value: "The access token is not a valid JWT." }]);
      }
      if (claims.exp * 1000 < Date.now()) {
        return error(401, "AuthenticationFailed", AUTH_FAILED, [{ key: "AuthenticationErrorDetail", value: "The access token has expired." }]);
      }
      if (claims.aud !== BATCH_AUDIENCE) {
        return error(401, "AuthenticationFailed", AUTH_FAILED, [
          {
            key: "AuthenticationErrorDetail",
            value: `The access token has been obtained from wrong audience or resource '${claims.aud}'. It should exactly match (including forward slash) with one of the allowed audiences '${BATCH_AUDIENCE}'`,
          },
        ]);
      }
    }
    // The emulator's page size applies when the client asks for none; the next links carry it on.
    if (env.pageSize !== undefined && !req.query.has("maxresults")) req.query.set("maxresults", String(env.pageSize));
    const account = env.world.account(name);
    if (!account) return error(404, "AccountNotFound", `The Batch account '${name}' does not exist.`);
    if (sharedKey !== undefined) {
      const { primary, secondary } = accountKeys(account);
      const signed = { method: req.method, rawPath: req.url.pathname, query: req.url.searchParams, headers: req.headers };
      const refused = verifySharedKey(signed, sharedKey, account.name, [primary, secondary]);
      if (refused) return error(refused.status, refused.code, SHARED_KEY_FAILED, [{ key: "AuthenticationErrorDetail", value: refused.detail }]);
    }
    return handler({ req, account, base, error });
  };
}

/** The JSON object body, or undefined. @internal */
export function bodyObject(req: Req): Record<string, unknown> | undefined {
  const body = req.json();
  return typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}

/** OData metadata URL for an entity set element. @internal */
export function odata(base: string, entity: string): string {
  return `${base}/$metadata#${entity}`;
}

/**
 * One page of a list, with `odata.nextLink` when more remain.
 * `maxresults` sets the page size (default 1000, like Batch).
 * @internal
 */
export function page<T>(req: Req, base: string, entity: string, items: T[]): Res {
  const size = Math.max(1, Math.min(1000, Number(req.query.get("maxresults") ?? 1000) || 1000));
  const skip = Math.max(0, Number(req.query.get("$skiptoken") ?? 0) || 0);
  const slice = items.slice(skip, skip + size);
  const body: Record<string, unknown> = { "odata.metadata": odata(base, entity), value: slice };
  if (skip + size < items.length) {
    // Same base the client used; the path below the account stays as it was.
    const rest = req.path.replace(/^\/batch\/[^/]+/i, "");
    const query = new URLSearchParams(req.query);
    query.set("$skiptoken", String(skip + size));
    body["odata.nextLink"] = `${base}${rest}?${query.toString()}`;
  }
  return { status: 200, headers: { "content-type": "application/json;odata=minimalmetadata" }, body };
}
