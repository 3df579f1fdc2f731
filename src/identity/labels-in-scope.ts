import type { UserAssignedIdentity } from "./user-assigned-identity.js";
import { labelsOf } from "./display-key.js";

/**
 * One set of labels for a resource's identities and those of everything above it: the pool's handles
 * and its account's (own identities and autostorage node identity). The guards check one label
 * against this whole set (`IDENTITY_LABEL_CONFLICT`), and the types do the same with their label
 * pairs (account pairs seed a pool's, a pool's seed its jobs' and tasks').
 */

/** What an account contributes: its own identities and its node identity. */
export interface AccountHandles {
  readonly identities: readonly UserAssignedIdentity[];
  readonly nodeIdentity?: UserAssignedIdentity | undefined;
}

/** What a pool (or an auto-pool) contributes: its handles, if it has any, and its account's. */
export interface PoolHandles {
  readonly identities?: readonly UserAssignedIdentity[];
  readonly account?: AccountHandles | undefined;
}

/** The handles of an account: its own identities and its node identity. */
export function accountHandles(account: AccountHandles | undefined): (UserAssignedIdentity | undefined)[] {
  return account === undefined ? [] : [account.nodeIdentity, ...account.identities];
}

/**
 * Display labels for `uses` on a pool, with the pool's handles and its account's.
 * @throws {@link TypedBatchError} `IDENTITY_LABEL_CONFLICT` when one label names two different ids.
 */
// From the account down to the uses: a conflict's message names the id the label had first (the
// account's or the pool's), then the use's, in the order the compile-time message names them.
export function labelsInScope(pool: PoolHandles, uses: readonly (UserAssignedIdentity | undefined)[]): Map<string, string> {
  return labelsOf([...accountHandles(pool.account), ...(pool.identities ?? []), ...uses]);
}
