/**
 * `typed-batch emulator` as a long-running server: the in-process emulator plus an Entra-shaped
 * token endpoint, a control endpoint, connection files for clients in any language and, with a
 * state directory, state kept across restarts (see `state-file.ts`).
 */
import { randomBytes, randomUUID, X509Certificate } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { registerEntra, type ServicePrincipal } from "../auth/entra.js";
import { startEmulatorWith, type Emulator, type EmulatorHandle } from "../emulator.js";
import type { RequestLogEntry } from "../server.js";
import { createCertificate, type TlsMaterial } from "../tls.js";
import { CONTROL_PREFIX, registerControl } from "./control.js";
import { connectionInfo, writeConnectionFiles, type ConnectionInfo } from "./connection-files.js";
import { encodeWorld, readState, restoreWorld, STATE_FORMAT, stringifyState, writeAtomic, type SavedState } from "./state-file.js";

/** Options of {@link startStandalone}. @internal */
export interface StandaloneOptions {
  /** HTTPS port; 0 picks a free one. Default: the last run's port (with a state directory), else 0. */
  port?: number;
  /** Address to bind. @default "127.0.0.1" */
  host?: string;
  /** Directory for state and connection files; without it state lives in memory and files go to a temporary directory. */
  stateDir?: string;
  /** Seed of the pseudo-random streams. @default 1 */
  seed?: number;
  /** Where log lines go; never given a secret. */
  log?: (level: "info" | "debug" | "warn", line: string) => void;
}

/** A running server. @internal */
export interface Standalone {
  readonly info: ConnectionInfo;
  readonly emulator: Emulator;
  /** Saves the state (when persistent) and closes every listener; removes a temporary directory. */
  stop(): Promise<void>;
}

const DEFAULTS = {
  subscriptionId: "6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55",
  resourceGroup: "typed-batch-emulator",
  tenantId: "72f988bf-0000-4000-8000-00000000e1ec",
  location: "westeurope",
};

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The kept certificate, or a new one when there is none or it expires within the hour. */
async function certificate(dir: string, host: string): Promise<TlsMaterial> {
  const keyPath = join(dir, "tls-key.pem");
  const certPath = join(dir, "ca.pem");
  if (existsSync(keyPath) && existsSync(certPath)) {
    const cert = readFileSync(certPath, "utf8");
    const validTo = Date.parse(new X509Certificate(cert).validTo);
    if (validTo - Date.now() > 3600_000) return { key: readFileSync(keyPath, "utf8"), cert };
  }
  const tls = await createCertificate(host);
  writeAtomic(keyPath, tls.key, 0o600);
  writeAtomic(certPath, tls.cert, 0o644);
  return tls;
}

/** Starts the server. @internal */
export async function startStandalone(options: StandaloneOptions = {}): Promise<Standalone> {
  const log = options.log ?? (() => undefined);
  const host = options.host ?? "127.0.0.1";
  const persistent = options.stateDir !== undefined;
  const dir = persistent ? resolve(options.stateDir ?? ".") : mkdtempSync(join(tmpdir(), "typed-batch-emulator-"));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const statePath = join(dir, "state.json");
  const saved = persistent ? readState(statePath) : undefined;
  const generation = saved === undefined ? 0 : saved.generation + 1;
  const seed = ((options.seed ?? 1) + Math.imul(generation, 0x9e3779b9)) >>> 0;
  const world0 = {
    subscriptionId: saved?.subscriptionId ?? DEFAULTS.subscriptionId,
    resourceGroup: saved?.resourceGroup ?? DEFAULTS.resourceGroup,
    tenantId: saved?.tenantId ?? DEFAULTS.tenantId,
    location: saved?.location ?? DEFAULTS.location,
  };
  const principal: ServicePrincipal = saved?.servicePrincipal ?? {
    clientId: randomUUID(),
    secret: randomBytes(30).toString("base64url"),
    principalId: randomUUID(),
  };
  const tls = await certificate(dir, host);
  let handle: EmulatorHandle | undefined;
  let info: ConnectionInfo | undefined;
  let lastAccounts = "";

  const snapshot = (h: EmulatorHandle): SavedState => ({
    format: STATE_FORMAT,
    generation,
    now: h.world.clock.now(),
    ...world0,
    principalId: principal.principalId,
    servicePrincipal: principal,
    ports: { https: Number(new URL(h.emulator.url).port), imds: Number(new URL(h.emulator.imdsUrl).port) },
    accountPorts: h.accountPorts(),
    world: encodeWorld(h.world),
  });
  const accountEndpoints = (h: EmulatorHandle): Record<string, string> =>
    Object.fromEntries(Object.entries(h.accountPorts()).map(([name]) => [name, h.env.accountUrl(name)]));
  const refreshFiles = (h: EmulatorHandle): void => {
    const accounts = accountEndpoints(h);
    const key = JSON.stringify(accounts);
    if (info !== undefined && key === lastAccounts) return;
    lastAccounts = key;
    info = connectionInfo({
      url: h.emulator.url,
      imdsUrl: h.emulator.imdsUrl,
      caCertPath: join(dir, "ca.pem"),
      ...world0,
      principal,
      batchAccounts: accounts,
      stateDir: dir,
      persistent,
    });
    writeConnectionFiles(dir, info, principal.secret);
  };
  const handled = (entry: RequestLogEntry): void => {
    log("debug", `${entry.method} ${entry.path} ${entry.status}${entry.fault ? ` (fault ${entry.fault})` : ""}`);
    if (handle === undefined || !MUTATING.has(entry.method)) return;
    if (persistent) writeAtomic(statePath, stringifyState(snapshot(handle)));
    refreshFiles(handle);
  };

  const start = (port: number): Promise<EmulatorHandle> =>
    startEmulatorWith(
      { seed, port, batchAccounts: [], ...world0 },
      {
        host,
        tls,
        principalId: principal.principalId,
        accountPorts: saved?.accountPorts ?? {},
        restore: (world) => {
          if (saved === undefined) return;
          restoreWorld(world, saved.world);
          world.clock.set(saved.now);
        },
        routes: (router, env) => {
          registerControl(router, () => handle?.emulator as Emulator, () => (handle as EmulatorHandle).world);
          registerEntra(router, env, () => [principal]);
        },
        exempt: (path) => path.startsWith(CONTROL_PREFIX) || /^\/[^/]+\/(oauth2|v2\.0|\.well-known|discovery)\//i.test(path),
        handled,
      },
    );
  const wanted = options.port ?? saved?.ports.https ?? 0;
  try {
    handle = await start(wanted);
  } catch (error) {
    // The last run's port is taken: take another one (the connection files say which).
    if (options.port !== undefined || wanted === 0 || (error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    log("warn", `port ${wanted} of the last run is in use; using a free one`);
    handle = await start(0);
  }
  const running = handle;
  refreshFiles(running);
  if (persistent) writeAtomic(statePath, stringifyState(snapshot(running)));
  let stopped = false;
  return {
    get info() {
      return info as ConnectionInfo;
    },
    emulator: running.emulator,
    async stop() {
      if (stopped) return;
      stopped = true;
      await running.emulator.stop();
      if (persistent) writeAtomic(statePath, stringifyState(snapshot(running)));
      else rmSync(dir, { recursive: true, force: true });
    },
  };
}
