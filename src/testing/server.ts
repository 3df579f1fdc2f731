/**
 * The listeners: HTTPS for ARM, Batch and Blob (path-prefixed), plain HTTP
 * for IMDS (IMDS is plain HTTP on a real VM too), and one HTTPS port per Batch
 * account for its data plane. The per-account port exists because
 * `@azure/batch` 10.x (ms-rest-js) drops any path in the account URL when it
 * builds request URLs, so `https://host/batch/{account}` cannot work as a
 * base URL for it; `https://127.0.0.1:{accountPort}` does. Every request goes through
 * the same pipeline: read body, wait the configured latency, maybe inject a
 * fault, route, write, log.
 */
import http from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { armError, batchError, storageError } from "./errors.js";
import { type FaultInjector, faultResponse } from "./faults.js";
import { BadJson, type Plane, type Req, type Res, type Router } from "./router.js";
import type { TlsMaterial } from "./tls.js";

/**
 * One request the emulator received.
 * @example
 * ```ts
 * const batchCalls = emulator.requests.filter((r: RequestLogEntry) => r.plane === "batch");
 * ```
 */
export interface RequestLogEntry {
  /** HTTP method. */
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** Query string, without the leading `?` (empty when none). */
  readonly query: string;
  /** Which plane served it. */
  readonly plane: Plane;
  /** Status sent; `0` when the connection was dropped. */
  readonly status: number;
  /** The injected fault, when there was one. */
  readonly fault?: "413" | "429" | "503" | "drop";
}

/** Pipeline settings. @internal */
export interface PipelineOptions {
  latencyMs: number;
  faults: FaultInjector | undefined;
  log: RequestLogEntry[];
  /** Paths never given a fault (the standalone server's control and token endpoints). */
  exempt?: (path: string) => boolean;
  /** Runs after a request was handled and before its answer is written (the standalone server saves state here). */
  handled?: (entry: RequestLogEntry) => void;
}

/** Running listeners. @internal */
export interface Listeners {
  httpsPort: number;
  imdsPort: number;
  /** Opens (once) the data-plane port of an account, on `preferredPort` when given; resolves to its port. */
  openAccountPort(account: string, preferredPort?: number): Promise<number>;
  /** Gives an account a port right away if a spare listener is ready. */
  claimAccountPort(account: string): number | undefined;
  /** The data-plane port of an account, if opened. */
  accountPort(account: string): number | undefined;
  close(): Promise<void>;
}

function planeOf(path: string): Plane {
  if (/^\/batch\//i.test(path)) return "batch";
  if (/^\/blob\//i.test(path)) return "blob";
  return "arm";
}

function notFound(plane: Plane, path: string, batchBase: string): Res {
  switch (plane) {
    case "batch":
      return batchError(400, batchBase, "InvalidUri", `The requested URI does not represent any resource on the server: ${path}`);
    case "blob":
      return storageError(400, "InvalidUri", "The requested URI does not represent any resource on the server.");
    case "imds":
      return { status: 404, body: { error: "not_found", error_description: "Resource not found" } };
    case "arm":
      return armError(404, "InvalidResourceType", `The resource type could not be found for path '${path}'.`);
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function write(res: http.ServerResponse, out: Res): void {
  const headers: Record<string, string> = { ...out.headers };
  let payload: Buffer | undefined;
  if (Buffer.isBuffer(out.body)) payload = out.body;
  else if (typeof out.body === "string") payload = Buffer.from(out.body, "utf8");
  else if (out.body !== undefined) {
    payload = Buffer.from(JSON.stringify(out.body), "utf8");
    headers["content-type"] ??= "application/json; charset=utf-8";
  }
  // A HEAD answer carries the length of the body it does not send.
  headers["content-length"] = payload !== undefined ? String(payload.length) : (headers["content-length"] ?? "0");
  res.writeHead(out.status, headers);
  res.end(payload);
}

/** Starts both listeners on `host` (127.0.0.1 unless the standalone server says otherwise). @internal */
export async function listen(
  tls: TlsMaterial,
  routers: { main: Router; imds: Router },
  options: PipelineOptions,
  port = 0,
  host = "127.0.0.1",
): Promise<Listeners> {
  const abort = new AbortController();
  const sockets = new Set<Socket>();

  const accountPorts = new Map<string, number>();
  const servers: http.Server[] = [];
  let mainPort = 0;

  /** `account` set: the request came in on that account's own port. */
  const handle = async (
    plane0: Plane | undefined,
    account: string | undefined,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> => {
    const body = await readBody(req);
    // Concatenate rather than resolve: "//subscriptions/..." (a scope with a
    // leading slash after "/") must stay a path, not become a host.
    const url = new URL(`https://127.0.0.1${req.url ?? "/"}`);
    // ARM tolerates doubled slashes; collapse them before routing.
    const rawPath = url.pathname.replace(/\/{2,}/g, "/");
    const path = account !== undefined ? `/batch/${account}${rawPath === "/" ? "" : rawPath}` : rawPath;
    const plane = plane0 ?? planeOf(path);
    const method = (req.method ?? "GET").toUpperCase();
    const batchAccount = (/^\/batch\/([^/]+)/i.exec(path)?.[1] ?? "").toLowerCase();
    const batchBase =
      account !== undefined
        ? `https://${host}:${accountPorts.get(account) ?? 0}`
        : `https://${host}:${mainPort}/batch/${batchAccount}`;
    const record = (status: number, fault?: RequestLogEntry["fault"]): void => {
      const entry: RequestLogEntry = { method, path, query: url.search.replace(/^\?/, ""), plane, status, ...(fault ? { fault } : {}) };
      options.log.push(entry);
      options.handled?.(entry);
    };

    if (options.latencyMs > 0) {
      try {
        await sleep(options.latencyMs, undefined, { signal: abort.signal });
      } catch {
        req.socket.destroy();
        return;
      }
    }

    const fault = options.exempt?.(path) ? undefined : options.faults?.decide(plane, body, path, method);
    if (fault !== undefined && fault !== "drop") {
      const out = faultResponse(fault, plane, batchBase, options.faults?.retryAfter(fault));
      record(out.status, fault);
      write(res, out);
      return;
    }

    const router = plane === "imds" ? routers.imds : routers.main;
    const found = router.match(method, path);
    let out: Res;
    if (found === undefined) out = notFound(plane, path, batchBase);
    else if (found === "method") {
      out =
        plane === "arm"
          ? armError(405, "MethodNotAllowed", `The method '${method}' is not allowed for '${path}'.`)
          : notFound(plane, path, batchBase);
    } else {
      const request: Req = {
        method,
        url,
        path,
        query: url.searchParams,
        headers: req.headers,
        body,
        params: found.params,
        base: batchBase,
        json() {
          if (body.length === 0) return undefined;
          try {
            return JSON.parse(body.toString("utf8")) as unknown;
          } catch {
            throw new BadJson("The request body is not valid JSON.");
          }
        },
      };
      try {
        out = await found.handler(request);
      } catch (error) {
        if (error instanceof BadJson) {
          out =
            plane === "batch"
              ? batchError(400, batchBase, "InvalidRequestBody", "The specified Request Body is not syntactically valid.")
              : armError(400, "InvalidRequestContent", error.message);
        } else {
          const message = error instanceof Error ? error.message : String(error);
          out =
            plane === "batch"
              ? batchError(500, batchBase, "InternalError", `emulator: ${message}`)
              : armError(500, "InternalServerError", `emulator: ${message}`);
        }
      }
    }

    if (fault === "drop") {
      // Applied, but the client never sees the answer.
      record(0, "drop");
      req.socket.destroy();
      return;
    }
    record(out.status);
    write(res, out);
  };

  const onRequest =
    (plane: Plane | undefined) =>
    (req: http.IncomingMessage, res: http.ServerResponse): void => {
      handle(plane, undefined, req, res).catch(() => req.socket.destroy());
    };

  const track = <S extends http.Server>(server: S): S => {
    server.on("connection", (socket: Socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    // Keep-alive sockets would otherwise hold the event loop after stop().
    server.keepAliveTimeout = 1000;
    servers.push(server);
    return server;
  };
  const start = (server: http.Server, p: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(p, host, () => resolve((server.address() as AddressInfo).port));
    });

  const main = track(https.createServer({ key: tls.key, cert: tls.cert }, onRequest(undefined)));
  const imds = track(http.createServer(onRequest("imds")));
  mainPort = await start(main, port);
  const imdsPort = await start(imds, 0);
  // Spare account listeners, so an account can get a port synchronously
  // (batchAccountUrl is synchronous); refilled in the background.
  const spares: Array<{ port: number; own: (account: string) => void }> = [];
  const SPARES = 4;
  const openListener = async (p: number, fixedOwner?: string): Promise<{ port: number; own: (account: string) => void }> => {
    let owner: string | undefined = fixedOwner;
    const server = track(
      https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
        if (owner === undefined) {
          req.socket.destroy();
          return;
        }
        handle("batch", owner, req, res).catch(() => req.socket.destroy());
      }),
    );
    return { port: await start(server, p), own: (account) => (owner = account) };
  };
  const openSpare = async (): Promise<void> => {
    spares.push(await openListener(0));
  };
  let refilling: Promise<void> | undefined;
  const refill = (): Promise<void> =>
    (refilling ??= (async () => {
      while (spares.length < SPARES && !closing) await openSpare();
    })().finally(() => (refilling = undefined)));
  let closing = false;
  const claim = (account: string): number | undefined => {
    const key = account.toLowerCase();
    const known = accountPorts.get(key);
    if (known !== undefined) return known;
    const spare = spares.shift();
    if (!spare) return undefined;
    spare.own(key);
    accountPorts.set(key, spare.port);
    void refill();
    return spare.port;
  };
  await refill();

  return {
    httpsPort: mainPort,
    imdsPort,
    accountPort: (account) => accountPorts.get(account.toLowerCase()),
    claimAccountPort: claim,
    async openAccountPort(account, preferredPort) {
      const key = account.toLowerCase();
      if (preferredPort !== undefined && !accountPorts.has(key)) {
        accountPorts.set(key, (await openListener(preferredPort, key)).port);
      }
      for (;;) {
        const p = claim(account);
        if (p !== undefined) return p;
        await refill();
      }
    },
    async close() {
      closing = true;
      await refilling;
      abort.abort();
      const closed = Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
      for (const server of servers) server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
