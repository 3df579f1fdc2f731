import type { InvalidResourceIdError, LabelMustBeLiteralError, LabelRequiredError } from "../rules/messages.js";
import { fixes, messages } from "../rules/messages.js";
import { finding } from "../rules/finding.js";
import { made, type Made } from "../util/made.js";
import { TypedBatchError } from "../errors/typed-batch-error.js";
import { canonicalIdentityId, isUserAssignedIdentityId, type IsUserAssignedIdentityId, parseUserAssignedIdentityId } from "./resource-id.js";

/**
 * A handle on a user-assigned managed identity.
 *
 * Its type carries a key: the literal resource id, or the label when the id is only known at run
 * time. Pools, jobs and tasks collect these keys in their types, which is how an identity that is
 * not attached to a pool becomes a compile error.
 *
 * @typeParam Key - the literal resource id, or the literal label.
 * @typeParam Id - for a labelled handle, the resource id when written as a literal (so one label
 *   given two different literal ids does not compile where they meet); `string` otherwise (a
 *   handle keyed by its literal id already carries it in `Key`).
 */
export interface UserAssignedIdentity<Key extends string = string, Id extends string = string> extends Made<"UserAssignedIdentity"> {
  /** Always `"UserAssigned"`: pools take user-assigned identities only. */
  readonly kind: "UserAssigned";
  /** The key the types use: the literal id or the label. */
  readonly key: Key;
  /** The resource id as given. */
  readonly resourceId: Id;
  /** Lower-cased id used for all run-time comparisons (ARM ids are case-insensitive). */
  readonly canonicalId: string;
  /** The identity's name (last segment of the id). */
  readonly name: string;
}

/** @internal The argument check for a resource id: the id itself when valid, else the error text. */
export type CheckIdentityId<Id extends string> = string extends Id
  ? LabelRequiredError
  : IsUserAssignedIdentityId<Id> extends true
    ? Id
    : InvalidResourceIdError<Id>;

/** @internal The argument check for a label. */
export type CheckLabel<L extends string> = string extends L ? LabelMustBeLiteralError : L;

/**
 * Declares a user-assigned managed identity by its ARM resource id.
 *
 * With a literal id the handle's type is keyed by the id, and a malformed id does not compile.
 * With an id known only at run time (an environment variable, a config file) a literal label is
 * required, and the id is checked when the call runs.
 *
 * @param id - `/subscriptions/{guid}/resourceGroups/{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}`.
 * @throws {@link TypedBatchError} with code `INVALID_RESOURCE_ID` when the id is malformed.
 * @example
 * ```ts
 * import { userAssignedIdentity } from "typed-batch";
 * const worker = userAssignedIdentity(
 *   "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/worker");
 * const reader = userAssignedIdentity(process.env.READER_ID ?? "", "reader");
 * ```
 * @see https://learn.microsoft.com/azure/batch/managed-identity-pools
 */
export function userAssignedIdentity<const Id extends string>(id: CheckIdentityId<Id>): UserAssignedIdentity<Id>;
/**
 * Declares a user-assigned managed identity whose id is known only at run time, under a literal label.
 *
 * @param id - the resource id (checked at run time).
 * @param label - a literal name for the identity; it is what the types and error messages show.
 * @example
 * ```ts
 * import { userAssignedIdentity } from "typed-batch";
 * const reader = userAssignedIdentity(process.env.READER_ID ?? "", "reader");
 * ```
 */
// `Label` first, `Id` defaulted: `typeof userAssignedIdentity<"reader">` keeps naming this overload.
export function userAssignedIdentity<const Label extends string, const Id extends string = string>(id: Id, label: CheckLabel<Label>): UserAssignedIdentity<Label, Id>;
// `unknown`: the overloads' parameter types are the error types when an argument is wrong.
export function userAssignedIdentity(given: unknown, labelGiven?: unknown): UserAssignedIdentity {
  const id = String(given);
  const label = labelGiven === undefined ? undefined : String(labelGiven);
  const parsed = typeof given === "string" ? parseUserAssignedIdentityId(id) : undefined;
  if (parsed === undefined) {
    throw new TypedBatchError([
      finding("INVALID_RESOURCE_ID", label === undefined ? "id" : `identity '${label}'`, messages.invalidResourceId(id), fixes.invalidResourceId.builder()),
    ]);
  }
  const handle = made<UserAssignedIdentity>(
    Object.freeze({
      kind: "UserAssigned" as const,
      key: label ?? id,
      resourceId: id,
      canonicalId: canonicalIdentityId(id),
      name: parsed.name,
    }),
  );
  madeHere.add(handle);
  return handle;
}

// Handles this copy of the library made: the common case of the check below, without re-parsing.
const madeHere = new WeakSet<object>();

/**
 * True for a value made by {@link userAssignedIdentity}, or one that says exactly what such a value
 * says (another copy of typed-batch made it): a well-formed id, its canonical form, a key and a name.
 * A hand-made object missing any of them is not a handle, so the guards refuse it by its path
 * instead of failing on a missing field.
 */
export function isUserAssignedIdentity(value: unknown): value is UserAssignedIdentity {
  if (typeof value !== "object" || value === null) return false;
  if (madeHere.has(value)) return true;
  const v = value as Partial<Record<keyof UserAssignedIdentity, unknown>>;
  return (
    v.kind === "UserAssigned" &&
    typeof v.key === "string" &&
    v.key !== "" &&
    typeof v.name === "string" &&
    isUserAssignedIdentityId(v.resourceId) &&
    v.canonicalId === canonicalIdentityId(v.resourceId)
  );
}
