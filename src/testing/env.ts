/**
 * What every route module gets: the world, the base URLs and the hooks into
 * the behaviour engine.
 */
import type { FaultInjector } from "./faults.js";
import type { PoolRecord, AccountRecord, World } from "./state.js";

/** Shared context of route modules. @internal */
export interface Env {
  world: World;
  /** HTTPS base URL, e.g. `https://127.0.0.1:5555`. */
  url(): string;
  faults: FaultInjector | undefined;
  /** Data-plane base URL of an account: its own port once opened, else the path-prefixed form. */
  accountUrl(name: string): string;
  /** Opens the account's data-plane port (idempotent). */
  openAccount(name: string): Promise<void>;
  /** Brings a pool's node count to its target (behaviour engine). */
  resize(account: AccountRecord, pool: PoolRecord): void;
  /** Default page size of data-plane lists. @default 1000 */
  pageSize?: number;
}
