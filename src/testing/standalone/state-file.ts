/**
 * The standalone server's state on disk: the whole world (identities, role assignments, storage
 * and blobs, accounts with their keys, applications, pools, nodes, jobs, tasks), the simulated
 * time, the data-plane port of each account and the server's own principal, in one JSON file.
 *
 * Written after every request that may change the world and before its answer leaves, by writing
 * a temporary file, syncing it and renaming it over the old one (rename is atomic on POSIX), so a
 * SIGKILL at any moment leaves either the previous state or the new one, never half of one: a
 * killed server loses at most the request in flight, and only if its answer was not sent yet.
 *
 * The encoding is generic (Maps, Buffers and Sets are tagged), so fields the behaviour code adds to
 * the records later are kept without changes here.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import type { World } from "../state.js";
import type { ServicePrincipal } from "../auth/entra.js";

/** Format version of the state file. */
const FORMAT = 1;

/** Everything the file holds. @internal */
export interface SavedState {
  format: number;
  /** Restarts so far; salts the seed so generated ids never repeat an earlier run's. */
  generation: number;
  /** Simulated now, ms since the epoch. */
  now: number;
  /** Subscription, resource group, tenant and location the world was made with. */
  subscriptionId: string;
  resourceGroup: string;
  tenantId: string;
  location: string;
  /** Principal behind the in-process credential. */
  principalId: string;
  /** The app registration the token endpoint knows. */
  servicePrincipal: ServicePrincipal;
  /** HTTPS port of the last run, by plane. */
  ports: { https: number; imds: number };
  /** Data-plane port of each account. */
  accountPorts: Record<string, number>;
  /** The world's maps, encoded. */
  world: unknown;
}

const TAG = "$typed-batch";

function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  // JSON.stringify calls Buffer#toJSON before the replacer: read the raw value from the holder.
  const raw = this[key];
  if (Buffer.isBuffer(raw)) return { [TAG]: "buffer", data: raw.toString("base64") };
  if (raw instanceof Map) return { [TAG]: "map", entries: [...raw.entries()] };
  if (raw instanceof Set) return { [TAG]: "set", values: [...raw.values()] };
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (typeof value !== "object" || value === null || !(TAG in value)) return value;
  const tagged = value as Record<string, unknown>;
  switch (tagged[TAG]) {
    case "buffer":
      return Buffer.from(String(tagged["data"]), "base64");
    case "map":
      return new Map(tagged["entries"] as Array<[unknown, unknown]>);
    case "set":
      return new Set(tagged["values"] as unknown[]);
    default:
      return value;
  }
}

/** The world's maps as one value. @internal */
export function encodeWorld(world: World): unknown {
  return { identities: world.identities, roleAssignments: world.roleAssignments, storage: world.storage, accounts: world.accounts };
}

/** Puts saved maps back into a fresh world (its maps are `readonly` fields: fill them in place). @internal */
export function restoreWorld(world: World, saved: unknown): void {
  const maps = saved as Record<"identities" | "roleAssignments" | "storage" | "accounts", Map<string, never>>;
  for (const name of ["identities", "roleAssignments", "storage", "accounts"] as const) {
    const target = world[name] as Map<string, unknown>;
    target.clear();
    for (const [key, value] of maps[name] ?? new Map()) target.set(key, value);
  }
}

/** Serialises a state. @internal */
export function stringifyState(state: SavedState): string {
  return JSON.stringify(state, replacer);
}

/** Reads a state file; undefined when there is none. Throws on a file it cannot read. @internal */
export function readState(path: string): SavedState | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const state = JSON.parse(text, reviver) as SavedState;
  if (state.format !== FORMAT) throw new Error(`${path}: state format ${String(state.format)} is not ${FORMAT}; move the directory away to start fresh`);
  return state;
}

/** Writes a file atomically (temp file, fsync, rename) with the given mode. @internal */
export function writeAtomic(path: string, content: string, mode = 0o600): void {
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, "w", mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

/** The state format version written. @internal */
export const STATE_FORMAT = FORMAT;
