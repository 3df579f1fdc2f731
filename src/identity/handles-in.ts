import { isUserAssignedIdentity, type UserAssignedIdentity } from "./user-assigned-identity.js";

/**
 * Every identity handle inside a builder input (resource files, output files, registries, mounts,
 * keys, at any depth). The builders name identities in run-time messages by the handles' keys, as
 * the types do; collecting handles wherever they sit means a new site needs no new collector here.
 */
export function handlesIn(value: unknown, out: UserAssignedIdentity[] = []): UserAssignedIdentity[] {
  visit(value, out, 0);
  return out;
}

// Builder inputs are small object literals; the bound only stops a cyclic object from looping.
const maxDepth = 16;

function visit(value: unknown, out: UserAssignedIdentity[], depth: number): void {
  if (typeof value !== "object" || value === null || depth > maxDepth) return;
  if (isUserAssignedIdentity(value)) {
    out.push(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) visit(item, out, depth + 1);
    return;
  }
  for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key], out, depth + 1);
}
