/**
 * ARM front door checks: bearer token with a management audience, the
 * subscription, and an api-version (any value is accepted: the SDKs pin
 * different versions and the emulator serves all of them the same way).
 */
import type { Env } from "../env.js";
import { armError } from "../errors.js";
import type { Handler, Req, Res } from "../router.js";
import { bearerOf, readToken } from "../tokens.js";

const MANAGEMENT_AUDIENCES = [
  "https://management.core.windows.net/",
  "https://management.core.windows.net",
  "https://management.azure.com/",
  "https://management.azure.com",
];

/** ARM authentication error, or undefined when the token is acceptable. @internal */
export function armAuth(req: Req): Res | undefined {
  const token = bearerOf(req.headers.authorization);
  if (token === undefined) {
    return armError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
  }
  const claims = readToken(token);
  if (!claims) {
    return armError(401, "InvalidAuthenticationToken", "The access token is invalid.");
  }
  if (claims.exp * 1000 < Date.now()) {
    return armError(401, "ExpiredAuthenticationToken", "The access token expiry UTC time is earlier than current UTC time.");
  }
  if (!MANAGEMENT_AUDIENCES.includes(claims.aud)) {
    return armError(
      401,
      "InvalidAuthenticationTokenAudience",
      `The access token has been obtained for wrong audience or resource '${claims.aud}'. It should exactly match with one of the allowed audiences ${MANAGEMENT_AUDIENCES.map((a) => `'${a}'`).join(",")}.`,
    );
  }
  return undefined;
}

/** Wraps an ARM handler with the front-door checks. @internal */
export function arm(env: Env, handler: Handler): Handler {
  return (req) => {
    const denied = armAuth(req);
    if (denied) return denied;
    if (!req.query.get("api-version")) {
      return armError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
    }
    const sub = req.params["sub"];
    if (sub !== undefined && sub.toLowerCase() !== env.world.subscriptionId.toLowerCase()) {
      return armError(404, "SubscriptionNotFound", `The subscription '${sub}' could not be found.`);
    }
    return handler(req);
  };
}

/** The JSON object body of a request, or an ARM 400. @internal */
export function objectBody(req: Req): { ok: true; body: Record<string, unknown> } | { ok: false; res: Res } {
  const body = asObject(req.json());
  if (!body) {
    return { ok: false, res: armError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.") };
  }
  return { ok: true, body };
}

/** `value` as a plain object, or undefined. @internal */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
