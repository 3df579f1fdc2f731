/**
 * Values that cannot be known offline (a template expression not evaluated, a Terraform value
 * known after apply) are replaced by a well-formed stand-in identity id in a reserved resource
 * group, so the rules run on the rest of the resource; every finding that mentions the stand-in or
 * sits under an unresolved path is then dropped, and one `VALUE_UNRESOLVED` warning says what was
 * not checked. No false error can come from a value we do not know.
 */

/** The resource group no real identity lives in. */
export const unresolvedMark = "typed-batch-unresolved";

let counter = 0;

/** A fresh stand-in for an unknown value. */
export function unresolvedValue(): string {
  counter = (counter + 1) % 1_000_000;
  return `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${unresolvedMark}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/value-${counter}`;
}

/** True when `text` holds a stand-in. */
export function mentionsUnresolved(text: string): boolean {
  return text.includes(unresolvedMark);
}

/** True when any string inside `value` is a stand-in (bounded: identity blocks are small). */
export function containsUnresolved(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return mentionsUnresolved(value);
  if (depth > 8 || typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return value.some((v) => containsUnresolved(v, depth + 1));
  for (const [key, v] of Object.entries(value)) if (mentionsUnresolved(key) || containsUnresolved(v, depth + 1)) return true;
  return false;
}

/** True when `path` is `prefix` or lies under it. */
export function isUnder(path: string, prefix: string): boolean {
  return path === prefix || (path.startsWith(prefix) && (path[prefix.length] === "." || path[prefix.length] === "["));
}
