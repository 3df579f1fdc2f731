import type { UserAssignedIdentity } from "../identity/user-assigned-identity.js";
import type { JobSpec } from "../job/job-builder.js";
import type { AnyAccountSpec, PoolIds, PoolSpec } from "./pool-spec.js";

type AnyPoolSpec = PoolSpec<string, AnyAccountSpec, string>;

/**
 * The handle of any identity attached to a pool, or to the pool a job runs on (`never` for a job on
 * an auto-pool, which carries none): for helpers that take an identity and use it on that pool.
 *
 * @example
 * ```ts
 * import { batchAccount, pool, userAssignedIdentity, type IdentityOf } from "typed-batch";
 * const reader = userAssignedIdentity(process.env.READER_ID ?? "", "reader");
 * const render = pool("render", batchAccount("acct", { location: "westeurope" }).build()).withIdentities(reader).build();
 * const pick = (): IdentityOf<typeof render> => reader;
 * ```
 */
export type IdentityOf<T extends AnyPoolSpec | JobSpec> = UserAssignedIdentity<
  T extends JobSpec ? (T["pool"] extends AnyPoolSpec ? PoolIds<T["pool"]> : never) : T extends AnyPoolSpec ? PoolIds<T> : never
>;
