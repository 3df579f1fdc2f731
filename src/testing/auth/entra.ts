/**
 * A token endpoint shaped like Microsoft Entra ID's v2.0 endpoint, for clients in other processes
 * and languages (MSAL-based `ClientSecretCredential` in Python, .NET, Node; the Azure CLI):
 *
 * - `GET /{tenant}/v2.0/.well-known/openid-configuration` (and the v1 form without `/v2.0`): the
 *   OpenID Connect discovery document MSAL reads to find `token_endpoint`;
 * - `POST /{tenant}/oauth2/v2.0/token` with `grant_type=client_credentials`, `client_id`,
 *   `client_secret` and `scope={resource}/.default`: answers `{ token_type, expires_in,
 *   ext_expires_in, access_token }` ("Microsoft identity platform and the OAuth 2.0 client
 *   credentials flow", learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow);
 * - `GET /common/discovery/instance`: the instance-discovery answer MSAL asks for when instance
 *   discovery is on, naming this host as its own authority.
 *
 * Errors use Entra's JSON shape `{ error, error_description, error_codes, timestamp, trace_id,
 * correlation_id }` ("Token Issuance Endpoint Errors", learn.microsoft.com/previous-versions/azure/dn645548)
 * with the AADSTS codes Microsoft documents for service principals (AADSTS7000215 invalid client
 * secret, AADSTS700016 application not found: "Troubleshoot service principal authentication",
 * learn.microsoft.com/azure/developer/java/sdk/troubleshooting-authentication-service-principal);
 * the other AADSTS codes (70003, 90002, 900144, 1002012) are from Entra's published list
 * ("Microsoft Entra authentication and authorization error codes",
 * learn.microsoft.com/entra/identity-platform/reference-error-codes), their texts paraphrased.
 *
 * The tokens are the emulator's unsigned JWTs (`tokens.ts`): `aud` is the scope minus `/.default`,
 * as Entra does, so each plane's audience and expiry checks apply to them unchanged.
 */
import { randomUUID, timingSafeEqual } from "node:crypto";
import type { Env } from "../env.js";
import type { Req, Res, Router } from "../router.js";
import { audienceOfScope, mintToken } from "../tokens.js";

/** A registered application (service principal) that may use the client credentials grant. @internal */
export interface ServicePrincipal {
  /** Application (client) id. */
  clientId: string;
  /** Client secret. */
  secret: string;
  /** Object id of the service principal: the `oid` of its tokens, the `principalId` of its role assignments. */
  principalId: string;
}

/** Token lifetime, as Entra's usual one hour (`expires_in` 3599). */
const LIFETIME_SECONDS = 3599;

function entraError(status: number, error: string, code: number, description: string): Res {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store, no-cache" },
    body: {
      error,
      error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
    },
  };
}

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Registers the discovery documents and the token endpoint. @internal */
export function registerEntra(router: Router, env: Env, principals: () => readonly ServicePrincipal[]): void {
  const tenantId = env.world.tenantId;
  // "adfs": MSAL treats an authority ending in /adfs as known to the developer and skips Microsoft's
  // instance discovery, which is the one way the Azure CLI 2.45 (no switch for it) reaches a local
  // authority. It is served as the same tenant. See docs/emulator.md, "ARM commands of the Azure CLI".
  const knownTenant = (tenant: string): boolean => tenant.toLowerCase() === tenantId.toLowerCase() || tenant.toLowerCase() === "adfs";
  const unknownTenant = (tenant: string): Res =>
    entraError(400, "invalid_request", 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);

  const discovery = (v2: boolean) => (req: Req): Res => {
    const tenant = req.params["tenant"] ?? "";
    if (!knownTenant(tenant)) return unknownTenant(tenant);
    const base = `${env.url()}/${tenant.toLowerCase() === "adfs" ? "adfs" : tenantId}`;
    const suffix = v2 ? "/v2.0" : "";
    return {
      status: 200,
      body: {
        token_endpoint: `${base}/oauth2${suffix}/token`,
        token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        jwks_uri: `${base}/discovery${suffix}/keys`,
        response_modes_supported: ["query", "fragment", "form_post"],
        subject_types_supported: ["pairwise"],
        id_token_signing_alg_values_supported: ["RS256"],
        response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
        scopes_supported: ["openid", "profile", "email", "offline_access"],
        issuer: v2 ? `${base}/v2.0` : `https://sts.windows.net/${tenantId}/`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: `${base}/openid/userinfo`,
        authorization_endpoint: `${base}/oauth2${suffix}/authorize`,
        device_authorization_endpoint: `${base}/oauth2${suffix}/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${base}/oauth2${suffix}/logout`,
        claims_supported: ["sub", "iss", "aud", "exp", "iat", "nbf", "oid", "tid"],
        tenant_region_scope: "EU",
        cloud_instance_name: "emulated.local",
        cloud_graph_host_name: "graph.emulated.local",
        msgraph_host: "graph.emulated.local",
      },
    };
  };
  router.on("GET", "/:tenant/v2.0/.well-known/openid-configuration", discovery(true));
  router.on("GET", "/:tenant/.well-known/openid-configuration", discovery(false));
  // Tokens are unsigned (alg "none"), so there is no key to publish; the set is empty but present.
  router.on("GET", "/:tenant/discovery/v2.0/keys", () => ({ status: 200, body: { keys: [] } }));
  router.on("GET", "/:tenant/discovery/keys", () => ({ status: 200, body: { keys: [] } }));
  router.on("GET", "/common/discovery/instance", () => {
    const host = new URL(env.url()).host;
    return {
      status: 200,
      body: {
        tenant_discovery_endpoint: `${env.url()}/${tenantId}/v2.0/.well-known/openid-configuration`,
        "api-version": "1.1",
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      },
    };
  });

  const token = (req: Req): Res => {
    const tenant = req.params["tenant"] ?? "";
    if (!knownTenant(tenant)) return unknownTenant(tenant);
    const form = new URLSearchParams(req.body.toString("utf8"));
    // client_secret_basic: the id and secret may come in an Authorization: Basic header instead.
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const [basicId, basicSecret] = basic ? Buffer.from(basic, "base64").toString("utf8").split(":").map(decodeURIComponent) : [];
    const grant = form.get("grant_type") ?? "";
    const clientId = form.get("client_id") ?? basicId ?? "";
    const secret = form.get("client_secret") ?? basicSecret;
    const scopes = (form.get("scope") ?? "").split(/\s+/).filter((s) => s !== "");
    if (grant !== "client_credentials") {
      return entraError(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grant}'. The emulator supports client_credentials only.`);
    }
    if (clientId === "") return entraError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
    const principal = principals().find((p) => p.clientId.toLowerCase() === clientId.toLowerCase());
    if (!principal) {
      return entraError(400, "unauthorized_client", 700016, `Application with identifier '${clientId}' was not found in the directory '${tenantId}'.`);
    }
    if (secret === undefined) {
      return entraError(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }
    if (!sameSecret(secret, principal.secret)) {
      return entraError(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.");
    }
    const resourceScopes = scopes.filter((s) => s.endsWith("/.default"));
    const scope = resourceScopes[0];
    if (scope === undefined || resourceScopes.length > 1) {
      return entraError(
        400,
        "invalid_scope",
        1002012,
        `The provided value for scope ${scopes.join(" ")} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    const { token: accessToken } = mintToken({
      aud: audienceOfScope(scope),
      oid: principal.principalId,
      tid: tenantId,
      appid: principal.clientId,
      lifetimeSeconds: LIFETIME_SECONDS + 1,
    });
    return {
      status: 200,
      headers: { "cache-control": "no-store, no-cache", pragma: "no-cache" },
      body: { token_type: "Bearer", expires_in: LIFETIME_SECONDS, ext_expires_in: LIFETIME_SECONDS, access_token: accessToken },
    };
  };
  router.on("POST", "/:tenant/oauth2/v2.0/token", token);
  // The v1 path the v1 discovery document names (ADFS-style authorities use it).
  router.on("POST", "/:tenant/oauth2/token", token);
}
