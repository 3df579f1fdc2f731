/**
 * Azure Blob Storage, the parts nodes and tests use: list a container, get,
 * put, create a container. Authorization follows Storage: a bearer token for
 * `https://storage.azure.com/` whose principal holds a blob data role, or a SAS.
 */
import { xmlEscape, storageError } from "../errors.js";
import { hasBlobDataRole } from "../rbac.js";
import type { Req, Res, Router } from "../router.js";
import type { BlobRecord, StorageRecord, World } from "../state.js";
import { bearerOf, readToken } from "../tokens.js";

/** How a blob request authenticates. @internal */
export type BlobAuth = { kind: "bearer"; token: string } | { kind: "sas" } | { kind: "anonymous" };

const STORAGE_AUDIENCES = new Set(["https://storage.azure.com/", "https://storage.azure.com"]);

/**
 * Storage's authorization decision. Returns the error response, or undefined
 * when the request may proceed. Shared by the HTTP plane and the node agent.
 * @internal
 */
export function authorizeBlob(
  world: World,
  auth: BlobAuth,
  hasVersionHeader: boolean,
  storage: StorageRecord,
  container: string,
  access: "read" | "write",
): Res | undefined {
  if (auth.kind === "sas") return undefined;
  if (auth.kind === "anonymous") {
    return storageError(
      401,
      "NoAuthenticationInformation",
      "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.",
    );
  }
  if (!hasVersionHeader) {
    return storageError(400, "MissingRequiredHeader", "An HTTP header that's mandatory for this request is not specified.", {
      HeaderName: "x-ms-version",
    });
  }
  const claims = readToken(auth.token);
  if (!claims || claims.exp * 1000 < Date.now()) {
    return storageError(401, "InvalidAuthenticationInfo", "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.", {
      AuthenticationErrorDetail: "Lifetime validation failed. The token is expired or malformed.",
    });
  }
  if (!STORAGE_AUDIENCES.has(claims.aud)) {
    return storageError(401, "InvalidAuthenticationInfo", "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.", {
      AuthenticationErrorDetail: "Audience validation failed. Audience did not match.",
    });
  }
  if (!hasBlobDataRole(world, claims.oid, storage.id, container, access)) {
    return storageError(
      403,
      "AuthorizationPermissionMismatch",
      "This request is not authorized to perform this operation using this permission.",
    );
  }
  return undefined;
}

/** A blob location parsed from a URL. @internal */
export interface BlobLocation {
  account: string;
  container: string;
  blob: string | undefined;
  sas: boolean;
}

/**
 * Understands both the emulator's `{url}/blob/{account}/{container}/{blob}`
 * and Azure's `https://{account}.blob.core.windows.net/{container}/{blob}`.
 * @internal
 */
export function parseBlobUrl(raw: string, emulatorUrl: string): BlobLocation | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  const sas = (url.searchParams.get("sig") ?? "") !== "";
  let segments: string[];
  let account: string | undefined;
  const azure = /^([a-z0-9]+)\.blob\.core\.windows\.net$/i.exec(url.hostname);
  if (azure) {
    account = azure[1];
    segments = url.pathname.split("/").filter((s) => s !== "");
  } else if (url.origin === new URL(emulatorUrl).origin && url.pathname.startsWith("/blob/")) {
    const rest = url.pathname.slice("/blob/".length).split("/").filter((s) => s !== "");
    account = rest.shift();
    segments = rest;
  } else return undefined;
  const container = segments.shift();
  if (account === undefined || container === undefined) return undefined;
  const blob = segments.length > 0 ? segments.map(decodeURIComponent).join("/") : undefined;
  return { account: account.toLowerCase(), container: container.toLowerCase(), blob, sas };
}

/** Stores a blob, creating its container when asked to. @internal */
export function putBlob(
  world: World,
  storage: StorageRecord,
  container: string,
  name: string,
  content: Buffer,
  contentType = "application/octet-stream",
): BlobRecord {
  let blobs = storage.containers.get(container);
  if (!blobs) {
    blobs = new Map();
    storage.containers.set(container, blobs);
  }
  const record: BlobRecord = { content, contentType, lastModified: world.clock.now(), etag: world.etag() };
  blobs.set(name, record);
  return record;
}

function authOf(req: Req): BlobAuth {
  const token = bearerOf(req.headers.authorization);
  if (token !== undefined) return { kind: "bearer", token };
  if ((req.query.get("sig") ?? "") !== "") return { kind: "sas" };
  return { kind: "anonymous" };
}

function blobProps(blob: BlobRecord): string {
  return (
    `<Properties><Last-Modified>${new Date(blob.lastModified).toUTCString()}</Last-Modified><Etag>${xmlEscape(blob.etag)}</Etag>` +
    `<Content-Length>${blob.content.length}</Content-Length><Content-Type>${xmlEscape(blob.contentType)}</Content-Type>` +
    `<BlobType>BlockBlob</BlobType><AccessTier>Hot</AccessTier><LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState></Properties>`
  );
}

/** Registers the blob routes under `/blob/{account}`. @internal */
export function registerBlob(router: Router, world: World, baseUrl: () => string): void {
  const gate = (req: Req, access: "read" | "write"): { storage: StorageRecord; container: string } | Res => {
    const storage = world.storage.get((req.params["account"] ?? "").toLowerCase());
    if (!storage) return storageError(404, "ResourceNotFound", "The specified resource does not exist.");
    const container = (req.params["container"] ?? "").toLowerCase();
    const denied = authorizeBlob(world, authOf(req), req.headers["x-ms-version"] !== undefined, storage, container, access);
    return denied ?? { storage, container };
  };
  const common = (req: Req): Record<string, string> => ({
    "x-ms-version": String(req.headers["x-ms-version"] ?? "2021-12-02"),
  });

  router.on("GET", "/blob/:account/:container", (req) => {
    if (req.query.get("restype") !== "container" || req.query.get("comp") !== "list") {
      return storageError(400, "InvalidQueryParameterValue", "Value for one of the query parameters specified in the request URI is invalid.");
    }
    const g = gate(req, "read");
    if ("status" in g) return g;
    const blobs = g.storage.containers.get(g.container);
    if (!blobs) return storageError(404, "ContainerNotFound", "The specified container does not exist.");
    const prefix = req.query.get("prefix") ?? "";
    const items = [...blobs.entries()]
      .filter(([name]) => name.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, blob]) => `<Blob><Name>${xmlEscape(name)}</Name>${blobProps(blob)}</Blob>`)
      .join("");
    const xml =
      `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="${xmlEscape(`${baseUrl()}/blob/${g.storage.name}/`)}" ContainerName="${xmlEscape(g.container)}">` +
      `${prefix ? `<Prefix>${xmlEscape(prefix)}</Prefix>` : ""}<Blobs>${items}</Blobs><NextMarker /></EnumerationResults>`;
    return { status: 200, headers: { ...common(req), "content-type": "application/xml" }, body: Buffer.from(xml, "utf8") };
  });

  router.on("PUT", "/blob/:account/:container", (req) => {
    if (req.query.get("restype") !== "container") {
      return storageError(400, "InvalidQueryParameterValue", "Value for one of the query parameters specified in the request URI is invalid.");
    }
    const g = gate(req, "write");
    if ("status" in g) return g;
    if (g.storage.containers.has(g.container)) {
      return storageError(409, "ContainerAlreadyExists", "The specified container already exists.");
    }
    g.storage.containers.set(g.container, new Map());
    return { status: 201, headers: { ...common(req), etag: world.etag() } };
  });

  const blobPath = /^\/blob\/(?<account>[^/]+)\/(?<container>[^/]+)\/(?<blob>.+)$/;
  router.on("GET", blobPath, (req) => {
    const g = gate(req, "read");
    if ("status" in g) return g;
    const blobs = g.storage.containers.get(g.container);
    if (!blobs) return storageError(404, "ContainerNotFound", "The specified container does not exist.");
    const blob = blobs.get(req.params["blob"] ?? "");
    if (!blob) return storageError(404, "BlobNotFound", "The specified blob does not exist.");
    return {
      status: 200,
      headers: {
        ...common(req),
        "content-type": blob.contentType,
        etag: blob.etag,
        "last-modified": new Date(blob.lastModified).toUTCString(),
        "x-ms-blob-type": "BlockBlob",
      },
      body: blob.content,
    };
  });

  // Delete Blob: 202 Accepted (Blob service REST reference); a missing blob is 404 BlobNotFound.
  router.on("DELETE", blobPath, (req) => {
    const g = gate(req, "write");
    if ("status" in g) return g;
    const blobs = g.storage.containers.get(g.container);
    if (!blobs) return storageError(404, "ContainerNotFound", "The specified container does not exist.");
    if (!blobs.delete(req.params["blob"] ?? "")) return storageError(404, "BlobNotFound", "The specified blob does not exist.");
    return { status: 202, headers: common(req) };
  });

  router.on("PUT", blobPath, (req) => {
    const g = gate(req, "write");
    if ("status" in g) return g;
    if (!g.storage.containers.has(g.container)) {
      return storageError(404, "ContainerNotFound", "The specified container does not exist.");
    }
    const type = req.headers["x-ms-blob-type"];
    if (type === undefined) {
      return storageError(400, "MissingRequiredHeader", "An HTTP header that's mandatory for this request is not specified.", {
        HeaderName: "x-ms-blob-type",
      });
    }
    const blob = putBlob(world, g.storage, g.container, req.params["blob"] ?? "", req.body, String(req.headers["content-type"] ?? "application/octet-stream"));
    return { status: 201, headers: { ...common(req), etag: blob.etag, "last-modified": new Date(blob.lastModified).toUTCString() } };
  });
}
