import { z } from "zod";

/**
 * Compile-time and run-time recognition of user-assigned identity ARM resource ids.
 *
 * ARM ids are case-insensitive in their fixed segments and names, so both checks compare a
 * lower-cased form; the id keeps the spelling the user gave.
 */

type HexDigit = "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "a" | "b" | "c" | "d" | "e" | "f";

/** True when `S` (lower-cased) is exactly `N` hex digits long. Counts with a tuple; N is at most 12. */
type IsHexOfLength<S extends string, N extends number, Seen extends 0[] = []> = S extends `${infer C}${infer Rest}`
  ? C extends HexDigit
    ? IsHexOfLength<Rest, N, [...Seen, 0]>
    : false
  : Seen["length"] extends N
    ? true
    : false;

/** @internal True when `S` is a GUID in the 8-4-4-4-12 form (already lower-cased). */
export type IsGuid<S extends string> = S extends `${infer A}-${infer B}-${infer C}-${infer D}-${infer E}`
  ? [IsHexOfLength<A, 8>, IsHexOfLength<B, 4>, IsHexOfLength<C, 4>, IsHexOfLength<D, 4>, IsHexOfLength<E, 12>] extends [true, true, true, true, true]
    ? true
    : false
  : false;

type Letter = "a" | "b" | "c" | "d" | "e" | "f" | "g" | "h" | "i" | "j" | "k" | "l" | "m" | "n" | "o" | "p" | "q" | "r" | "s" | "t" | "u" | "v" | "w" | "x" | "y" | "z";
type Digit = "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9";
/** Characters of an identity name (after lower-casing): letters, digits, `-`, `_`. */
type NameChar = Letter | Digit | "-" | "_";
/** Characters of a resource group name: also `.`, `(` and `)`. */
type GroupChar = NameChar | "." | "(" | ")";

/** True when every character of `S` is in `Allowed` and `S` is not empty. */
type OnlyChars<S extends string, Allowed extends string> = S extends ""
  ? false
  : S extends `${infer C}${infer Rest}`
    ? C extends Allowed
      ? Rest extends ""
        ? true
        : OnlyChars<Rest, Allowed>
      : false
    : false;

/** @internal True when the literal `Id` is a well-formed user-assigned identity resource id. */
export type IsUserAssignedIdentityId<Id extends string> =
  Lowercase<Id> extends `/subscriptions/${infer Sub}/resourcegroups/${infer Group}/providers/microsoft.managedidentity/userassignedidentities/${infer Name}`
    ? [IsGuid<Sub>, OnlyChars<Group, GroupChar>, OnlyChars<Name, NameChar>] extends [true, true, true]
      ? true
      : false
    : false;

/** The shape of a user-assigned identity resource id, as a template-literal type. */
export type UserAssignedIdentityId =
  `/subscriptions/${string}/resourceGroups/${string}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${string}`;

// Names as ARM allows them: a resource group of letters, digits, `_ - . ( )`; an identity of letters,
// digits, `-` and `_` (so a URL with `?sig=...` pasted as an id is refused, not taken as a name).
const idPattern =
  /^\/subscriptions\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/resourcegroups\/([\w.()-]{1,90})\/providers\/microsoft\.managedidentity\/userassignedidentities\/([a-z0-9_-]{1,128})$/i;

/** The parts of a parsed identity id. */
export interface ParsedIdentityId {
  /** The id as given. */
  readonly resourceId: string;
  /** Lower-cased form used for every comparison. */
  readonly canonicalId: string;
  /** Subscription GUID. */
  readonly subscriptionId: string;
  /** Resource group name. */
  readonly resourceGroup: string;
  /** Identity name (the last segment). */
  readonly name: string;
}

// Not exported: a zod type in a public declaration pulls zod's ~95 declaration files into every
// user's program (about 2 s of checking with skipLibCheck: false).
const userAssignedIdentityIdSchema = z.string().transform((value, ctx): ParsedIdentityId => {
  const match = idPattern.exec(value);
  if (match === null) {
    ctx.addIssue({ code: "custom", message: "INVALID_RESOURCE_ID", input: value });
    return z.NEVER;
  }
  const [, subscriptionId = "", resourceGroup = "", name = ""] = match;
  return { resourceId: value, canonicalId: canonicalIdentityId(value), subscriptionId, resourceGroup, name };
});

/** The parts of a user-assigned identity id, or `undefined` when it is malformed. */
export function parseUserAssignedIdentityId(value: unknown): ParsedIdentityId | undefined {
  const parsed = userAssignedIdentityIdSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** True when `value` is a well-formed user-assigned identity resource id (any letter case). */
export function isUserAssignedIdentityId(value: unknown): value is string {
  return typeof value === "string" && idPattern.test(value);
}

/**
 * The canonical (comparison) form of an ARM resource id: lower-cased, without a trailing slash.
 * ARM treats `/resourcegroups/` and `/resourceGroups/` (and names) the same.
 */
export function canonicalIdentityId(resourceId: string): string {
  const trimmed = resourceId.trim();
  return (trimmed.endsWith("/") ? trimmed.replace(/\/+$/, "") : trimmed).toLowerCase();
}

/** True when two resource ids name the same resource. */
export function sameResourceId(a: string, b: string): boolean {
  return canonicalIdentityId(a) === canonicalIdentityId(b);
}
