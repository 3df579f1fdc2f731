import { TypedBatchError } from "../errors/typed-batch-error.js";
import { finding } from "../rules/finding.js";
import { fixes, messages } from "../rules/messages.js";
import type { UserAssignedIdentity } from "./user-assigned-identity.js";

/**
 * How messages name an identity: its label, or for a literal resource id its last segment (the
 * identity's name). Compilers shorten long types in errors, and a full ARM id would push the fix
 * out of view; the compile-time and run-time forms below agree.
 */

/** @internal The display form of an identity key (distributes over unions). */
export type DisplayKey<K extends string> = K extends `${string}/${infer Rest}` ? DisplayKey<Rest> : K;

/**
 * @internal How the types name the two ids of a label conflict: by their names, or, when the names
 * are the same, by subscription, resource group and name. The run-time error gives the full ids;
 * a compiler would cut two full ids (and the fix after them) short.
 */
export type ConflictDisplay<A extends string, B extends string> = DisplayKey<A> extends DisplayKey<B> ? [ShortId<A>, ShortId<B>] : [DisplayKey<A>, DisplayKey<B>];

type ShortId<I extends string> = I extends `/subscriptions/${infer S}/${string}/${infer G}/providers/${string}` ? `${S}/${G}/${DisplayKey<I>}` : I;

/** The run-time twin of {@link DisplayKey}. */
export function displayKey(key: string): string {
  const slash = key.lastIndexOf("/");
  return slash === -1 ? key : key.slice(slash + 1);
}

/**
 * Display names of identities by canonical id, so run-time messages match the types.
 * @throws {@link TypedBatchError} `IDENTITY_LABEL_CONFLICT` when one key names two different ids.
 */
export function labelsOf(identities: Iterable<UserAssignedIdentity | undefined>): Map<string, string> {
  const labels = new Map<string, string>();
  const byKey = new Map<string, UserAssignedIdentity>();
  for (const identity of identities) {
    if (identity === undefined) continue;
    const other = byKey.get(identity.key);
    if (other !== undefined && other.canonicalId !== identity.canonicalId) {
      throw new TypedBatchError([
        finding("IDENTITY_LABEL_CONFLICT", `identity '${identity.key}'`, messages.identityLabelConflict(identity.key, other.resourceId, identity.resourceId), fixes.identityLabelConflict.builder()),
      ]);
    }
    byKey.set(identity.key, identity);
    labels.set(identity.canonicalId, displayKey(identity.key));
  }
  return labels;
}
