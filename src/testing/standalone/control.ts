/**
 * The control endpoint of `typed-batch emulator`: what a test does outside Azure's API (seed blobs,
 * move simulated time, inject faults, look at nodes and their files), over HTTPS on the emulator's
 * own port under `/_emulator/`. Each route calls the same `Emulator` method an in-process test
 * calls, so both kinds of tests drive one world the same way. Documented in `docs/emulator.md`.
 */
import type { Emulator } from "../emulator.js";
import type { FaultKind, FaultOptions } from "../faults.js";
import type { Plane, Req, Res, Router } from "../router.js";
import type { World } from "../state.js";

/** Prefix of every control route. @internal */
export const CONTROL_PREFIX = "/_emulator";

const ok = (body: unknown): Res => ({ status: 200, body });
const bad = (message: string, status = 400): Res => ({ status, body: { error: { code: "BadControlRequest", message } } });

const FAULT_KINDS: readonly FaultKind[] = ["413", "429", "503", "drop"];
const PLANES: readonly Plane[] = ["arm", "batch", "blob", "imds"];

/** Reads a JSON object body; undefined when absent, a `Res` when malformed. */
function objectOf(req: Req): Record<string, unknown> | Res {
  let body: unknown;
  try {
    body = req.json();
  } catch {
    return bad("The body is not valid JSON.");
  }
  if (body === undefined) return {};
  return typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : bad("The body must be a JSON object.");
}
const isRes = (value: unknown): value is Res => typeof value === "object" && value !== null && "status" in value && typeof (value as Res).status === "number";

function faultsOf(body: Record<string, unknown>): FaultOptions | string {
  const rate = body["rate"];
  if (typeof rate !== "number" || rate < 0 || rate > 1) return "rate must be a number from 0 to 1";
  const out: FaultOptions = { rate };
  const kinds = body["kinds"];
  if (kinds !== undefined) {
    if (!Array.isArray(kinds) || !kinds.every((k) => FAULT_KINDS.includes(k as FaultKind))) return `kinds must be a list of ${FAULT_KINDS.join(", ")}`;
    out.kinds = kinds as FaultKind[];
  }
  const planes = body["planes"];
  if (planes !== undefined) {
    if (!Array.isArray(planes) || !planes.every((p) => PLANES.includes(p as Plane))) return `planes must be a list of ${PLANES.join(", ")}`;
    out.planes = planes as Plane[];
  }
  const paths = body["paths"];
  if (paths !== undefined) {
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === "string")) return "paths must be a list of strings";
    out.paths = paths as string[];
  }
  const perTaskRate = body["perTaskRate"];
  if (perTaskRate !== undefined) {
    if (typeof perTaskRate !== "number" || perTaskRate < 0 || perTaskRate > 1) return "perTaskRate must be a number from 0 to 1";
    out.perTaskRate = perTaskRate;
  }
  return out;
}

/** One line per route, served at `GET /_emulator` so the endpoint describes itself. */
const ROUTES = [
  "GET    /_emulator                                      this list, the simulated time and whether everything is settled",
  "POST   /_emulator/time/advance        {\"ms\": N}       move simulated time forward N ms",
  "POST   /_emulator/time/settle         {\"limitMs\"?: N} advance until nodes and tasks are steady",
  "PUT    /_emulator/storage/{account}[/{container}]       create a storage account (and container)",
  "PUT    /_emulator/blobs/{account}/{container}/{blob}   store the request body as a blob",
  "GET    /_emulator/blobs/{account}/{container}[/{blob}] list blob names, or read one blob",
  "POST   /_emulator/identities          {\"name\", \"resourceGroup\"?} create a user-assigned identity",
  "POST   /_emulator/roles               {\"principalId\", \"role\", \"scope\"} assign a storage data role",
  "POST   /_emulator/application-packages {\"account\", \"application\", \"version\"} create an active package",
  "PUT    /_emulator/faults              {\"rate\", \"kinds\"?, \"planes\"?, \"paths\"?} or {\"rate\": 0}: fault injection",
  "GET    /_emulator/nodes/{account}/{pool}               node ids",
  "GET    /_emulator/nodes/{account}/{pool}/{node}        node snapshot (state, identities, errors, packages, log)",
  "GET    /_emulator/nodes/{account}/{pool}/{node}/files[/{path}] node file paths, or one file's content",
  "GET    /_emulator/tasks/{account}/{job}/{task}/files   a task's file paths",
  "GET    /_emulator/pools/{account}/{pool}/identity-history  identity changes of a pool",
  "GET    /_emulator/requests                             request log (method, path, plane, status; no query strings)",
];

/** Registers the control routes; `emulator()` is read at request time (the routes exist before it does). @internal */
export function registerControl(router: Router, emulator: () => Emulator, world: () => World): void {
  const p = CONTROL_PREFIX;
  const seg = (name: string): string => `(?<${name}>[^/]+)`;
  const route = (method: string, pattern: string, handler: (req: Req) => Res): void => {
    router.on(method, pattern.startsWith("^") ? new RegExp(pattern, "i") : `${p}${pattern}`, handler);
  };
  route("GET", "", () => {
    const em = emulator();
    return ok({ now: em.now().toISOString(), settled: em.isSettled(), routes: ROUTES });
  });
  route("POST", "/time/advance", (req) => {
    const body = objectOf(req);
    if (isRes(body)) return body;
    const ms = body["ms"];
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) return bad("ms must be a non-negative number");
    emulator().advance(ms);
    return ok({ now: emulator().now().toISOString(), settled: emulator().isSettled() });
  });
  route("POST", "/time/settle", (req) => {
    const body = objectOf(req);
    if (isRes(body)) return body;
    const limitMs = body["limitMs"];
    if (limitMs !== undefined && (typeof limitMs !== "number" || limitMs < 0)) return bad("limitMs must be a non-negative number");
    const elapsedMs = emulator().settle(limitMs === undefined ? undefined : { limitMs });
    return ok({ elapsedMs, now: emulator().now().toISOString(), settled: emulator().isSettled() });
  });
  route("PUT", "/storage/:account", (req) => ok({ id: emulator().createStorageAccount(req.params["account"] ?? "") }));
  route("PUT", "/storage/:account/:container", (req) => {
    const em = emulator();
    const account = req.params["account"] ?? "";
    em.createContainer(account, req.params["container"] ?? "");
    return ok({ id: em.createStorageAccount(account), url: em.blobUrl(account, req.params["container"] ?? "") });
  });
  route("PUT", `^${p}/blobs/${seg("account")}/${seg("container")}/(?<blob>.+)$`, (req) => {
    const em = emulator();
    const account = req.params["account"] ?? "";
    const container = req.params["container"] ?? "";
    const blob = req.params["blob"] ?? "";
    em.seedBlob(account, container, blob, req.body);
    return ok({ url: em.blobUrl(account, container, blob), size: req.body.length });
  });
  route("GET", "/blobs/:account/:container", (req) => ok({ blobs: emulator().listBlobs(req.params["account"] ?? "", req.params["container"] ?? "") }));
  route("GET", `^${p}/blobs/${seg("account")}/${seg("container")}/(?<blob>.+)$`, (req) => {
    const content = emulator().readBlob(req.params["account"] ?? "", req.params["container"] ?? "", req.params["blob"] ?? "");
    return content === undefined ? bad("no such blob", 404) : { status: 200, headers: { "content-type": "application/octet-stream" }, body: content };
  });
  route("POST", "/identities", (req) => {
    const body = objectOf(req);
    if (isRes(body)) return body;
    const name = body["name"];
    const resourceGroup = body["resourceGroup"];
    if (typeof name !== "string" || name === "") return bad("name is required");
    if (resourceGroup !== undefined && typeof resourceGroup !== "string") return bad("resourceGroup must be a string");
    return ok(emulator().createIdentity(name, resourceGroup === undefined ? undefined : { resourceGroup }));
  });
  route("POST", "/roles", (req) => {
    const body = objectOf(req);
    if (isRes(body)) return body;
    const { principalId, role, scope } = body;
    if (typeof principalId !== "string" || typeof role !== "string" || typeof scope !== "string") return bad("principalId, role and scope are required strings");
    try {
      return ok(emulator().grantRole({ principalId, role, scope }));
    } catch (error) {
      return bad(error instanceof Error ? error.message : String(error));
    }
  });
  route("POST", "/application-packages", (req) => {
    const body = objectOf(req);
    if (isRes(body)) return body;
    const { account, application, version, content } = body;
    if (typeof account !== "string" || typeof application !== "string" || typeof version !== "string") return bad("account, application and version are required strings");
    try {
      emulator().seedApplicationPackage(account, application, version, typeof content === "string" ? content : undefined);
    } catch (error) {
      return bad(error instanceof Error ? error.message : String(error));
    }
    return ok({ account, application, version, state: "Active" });
  });
  route("PUT", "/faults", (req) => {
    const body = objectOf(req);
    if (isRes(body)) return body;
    if (body["rate"] === 0 && Object.keys(body).length === 1) {
      emulator().setFaults(undefined);
      return ok({ faults: null });
    }
    const faults = faultsOf(body);
    if (typeof faults === "string") return bad(faults);
    emulator().setFaults(faults);
    return ok({ faults });
  });
  route("GET", "/nodes/:account/:pool", (req) => ok({ nodes: emulator().nodeIds(req.params["account"] ?? "", req.params["pool"] ?? "") }));
  route("GET", "/nodes/:account/:pool/:node", (req) => {
    const node = emulator().inspectNode(req.params["account"] ?? "", req.params["pool"] ?? "", req.params["node"] ?? "");
    return node ? ok(node) : bad("no such node", 404);
  });
  route("GET", "/nodes/:account/:pool/:node/files", (req) =>
    ok({ files: emulator().nodeFiles(req.params["account"] ?? "", req.params["pool"] ?? "", req.params["node"] ?? "") }),
  );
  route("GET", `^${p}/nodes/${seg("account")}/${seg("pool")}/${seg("node")}/files/(?<file>.+)$`, (req) => {
    const pool = world().account(req.params["account"] ?? "")?.pools.get((req.params["pool"] ?? "").toLowerCase());
    const file = pool?.nodes.get(req.params["node"] ?? "")?.files.get(req.params["file"] ?? "")?.content;
    return file === undefined ? bad("no such file", 404) : { status: 200, headers: { "content-type": "application/octet-stream" }, body: file };
  });
  route("GET", "/tasks/:account/:job/:task/files", (req) =>
    ok({ files: emulator().taskFiles(req.params["account"] ?? "", req.params["job"] ?? "", req.params["task"] ?? "") }),
  );
  route("GET", "/pools/:account/:pool/identity-history", (req) =>
    ok({ history: emulator().poolIdentityHistory(req.params["account"] ?? "", req.params["pool"] ?? "") }),
  );
  route("GET", "/requests", () => ok({ requests: emulator().requests.map(({ query: _query, ...entry }) => entry) }));
}
