/**
 * The Instance Metadata Service token endpoint of a compute node. A node can
 * only get tokens for the identities it received when it was allocated; this
 * is the mechanism behind scenario 4 of both article tables.
 */
import { canonicalId, isUserAssignedIdentityId } from "../ids.js";
import type { Req, Res, Router } from "../router.js";
import type { NodeRecord, World } from "../state.js";
import { mintToken } from "../tokens.js";

/** Outcome of an IMDS token request, as IMDS would answer it. @internal */
export type ImdsOutcome =
  | { ok: true; status: 200; body: Record<string, string>; principalId: string; resourceId: string }
  | { ok: false; status: number; body: { error: string; error_description: string } };

const invalid = (description: string, status = 400): ImdsOutcome => ({
  ok: false,
  status,
  body: { error: "invalid_request", error_description: description },
});

/**
 * Answers `GET /metadata/identity/oauth2/token` for `node`. Used both by the
 * HTTP listener and by the node's own agent (resource files, packages, mounts).
 * @internal
 */
export function imdsToken(
  world: World,
  node: NodeRecord | undefined,
  query: URLSearchParams,
  metadataHeader: string | undefined,
): ImdsOutcome {
  if (metadataHeader?.toLowerCase() !== "true") return invalid("Required metadata header not specified");
  const resource = query.get("resource");
  if (!resource) return invalid("Required audience parameter not specified");
  if (!node) return invalid("Identity not found");
  const onNode = node.identities.map((id) => world.identity(id)).filter((i) => i !== undefined);

  const resId = query.get("mi_res_id") ?? query.get("msi_res_id");
  const clientId = query.get("client_id") ?? query.get("clientid");
  const objectId = query.get("object_id") ?? query.get("principal_id");
  let chosen;
  // A malformed id (a trailing slash included) names no identity, whatever the case-insensitive match says.
  if (resId !== null) chosen = isUserAssignedIdentityId(resId) ? onNode.find((i) => canonicalId(i.resourceId) === canonicalId(resId)) : undefined;
  else if (clientId !== null) chosen = onNode.find((i) => i.clientId.toLowerCase() === clientId.toLowerCase());
  else if (objectId !== null) chosen = onNode.find((i) => i.principalId.toLowerCase() === objectId.toLowerCase());
  else if (onNode.length > 1) {
    return invalid(
      "Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request",
    );
  } else chosen = onNode[0];
  if (!chosen) return invalid("Identity not found");

  const { token, claims } = mintToken({
    aud: resource,
    oid: chosen.principalId,
    tid: chosen.tenantId,
    appid: chosen.clientId,
    xms_mirid: chosen.resourceId,
    lifetimeSeconds: 86400,
  });
  // IMDS sends numbers as strings.
  return {
    ok: true,
    status: 200,
    principalId: chosen.principalId,
    resourceId: chosen.resourceId,
    body: {
      access_token: token,
      client_id: chosen.clientId,
      expires_in: String(claims.exp - claims.iat),
      expires_on: String(claims.exp),
      ext_expires_in: String(claims.exp - claims.iat),
      not_before: String(claims.nbf),
      resource,
      token_type: "Bearer",
    },
  };
}

/** Finds a node by account, pool and node id. @internal */
export function findNode(world: World, account: string, pool: string, nodeId: string): NodeRecord | undefined {
  return world.account(account)?.pools.get(pool.toLowerCase())?.nodes.get(nodeId);
}

/** Registers the IMDS routes (plain HTTP listener). @internal */
export function registerImds(router: Router, world: World): void {
  const handle = (req: Req): Res => {
    const node = findNode(world, req.params["account"] ?? "", req.params["pool"] ?? "", req.params["node"] ?? "");
    const header = req.headers["metadata"];
    const outcome = imdsToken(world, node, req.query, Array.isArray(header) ? header[0] : header);
    return { status: outcome.status, body: outcome.body };
  };
  router.on("GET", "/nodes/:account/:pool/:node/metadata/identity/oauth2/token", handle);
  // Off any node: nothing to hand out, but answer like IMDS so probes see a live endpoint.
  router.on("GET", "/metadata/identity/oauth2/token", handle);
}
