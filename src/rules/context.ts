/**
 * What the checks know about the account and pool a resource belongs to, extracted once from
 * the wire format or the SDK model.
 */

/** `wire`: REST payloads (ARM `properties` envelope). `sdk`: the Azure SDK models (flattened). */
export type Dialect = "wire" | "sdk";

/** Whose words the fix uses: the builders' calls or the JSON fields. */
export type Voice = "builder" | "json";

/** An identity as the messages show it. */
export interface IdentityFact {
  /** Lower-cased resource id. */
  readonly canonicalId: string;
  /** How messages name it: the builder's key (literal id or label) or the id as written. */
  readonly display: string;
}

/** What a pool check needs to know of its account. */
export interface AccountFacts {
  /** The account's name. */
  readonly name: string;
  /** `autoStorage.authenticationMode`, when autostorage is set. */
  readonly autoStorageMode: string | undefined;
  /** The node identity reference, when given. */
  readonly nodeIdentity: IdentityFact | undefined;
}

/** What a job or task check needs to know of its pool. */
export interface PoolFacts {
  /** The pool's name (or a description of the auto-pool). */
  readonly name: string;
  /** True for a job's auto-pool, which cannot carry identities. */
  readonly autoPool: boolean;
  /** For an auto-pool: the job it belongs to. */
  readonly job?: string;
  /** Attached identities by canonical id. */
  readonly identities: ReadonlyMap<string, string>;
  /**
   * True when the pool itself is unknown (not in a bundle): membership is not checked, only the
   * rules that do not depend on the pool's identity list.
   */
  readonly membershipUnknown?: boolean;
  /** The account, when known. */
  readonly account: AccountFacts | undefined;
}

/** Options shared by every check. */
export interface CheckOptions {
  /** Payload dialect. */
  readonly dialect: Dialect;
  /** Voice of the fixes. */
  readonly voice: Voice;
  /** Path prefix for findings (e.g. `pools[0]`). */
  readonly base: string;
  /** Display names for identities, by canonical id (builders pass their keys). */
  readonly labels?: ReadonlyMap<string, string>;
}
