/**
 * A small method + path router. Patterns use `:name` for one segment and are
 * matched case-insensitively (ARM paths are case-insensitive); a RegExp with
 * named groups can be given for the odd route (role assignment scopes).
 */
import type { IncomingHttpHeaders } from "node:http";

/**
 * Which part of Azure a request is addressed to.
 * @example
 * ```ts
 * await startEmulator({ faults: { rate: 0.1, planes: ["batch"] satisfies Plane[] } });
 * ```
 */
export type Plane = "arm" | "batch" | "blob" | "imds";

/** A parsed request handed to route handlers. @internal */
export interface Req {
  method: string;
  url: URL;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  params: Record<string, string>;
  /** Data-plane base URL the request was addressed to (Batch requests only). */
  base: string;
  /** Parsed JSON body; `undefined` when empty; throws `BadJson` when malformed. */
  json(): unknown;
}

/** What a handler returns; the server writes it. @internal */
export interface Res {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Handler signature. @internal */
export type Handler = (req: Req) => Res | Promise<Res>;

interface Route {
  method: string;
  regex: RegExp;
  handler: Handler;
}

/** Thrown by `Req.json()` for a body that is not JSON. @internal */
export class BadJson extends Error {}

function compile(pattern: string): RegExp {
  const source = pattern
    .split("/")
    .map((segment) =>
      segment.startsWith(":") ? `(?<${segment.slice(1)}>[^/]+)` : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("/");
  return new RegExp(`^${source}/?$`, "i");
}

/** Ordered route table. @internal */
export class Router {
  readonly #routes: Route[] = [];

  /** Adds a route; earlier routes win. */
  on(method: string, pattern: string | RegExp, handler: Handler): this {
    const regex = typeof pattern === "string" ? compile(pattern) : pattern;
    this.#routes.push({ method: method.toUpperCase(), regex, handler });
    return this;
  }

  /** Finds a handler: `undefined` for no path match, `"method"` for a path match with another method. */
  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | "method" | undefined {
    let pathMatched = false;
    for (const route of this.#routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method.toUpperCase()) continue;
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined) params[k] = decodeURIComponent(v);
      return { handler: route.handler, params };
    }
    return pathMatched ? "method" : undefined;
  }
}
