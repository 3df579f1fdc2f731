/**
 * ARM resource id handling. ARM treats ids case-insensitively, so every
 * lookup in the emulator goes through `canonicalId`.
 */

/** Lower-cased, trailing-slash-free form used as a map key. @internal */
export function canonicalId(id: string): string {
  return id.trim().replace(/\/+$/, "").toLowerCase();
}

/** True when `scope` is `id` or one of its ancestors (segment-wise). @internal */
export function scopeCovers(scope: string, id: string): boolean {
  const s = canonicalId(scope);
  const t = canonicalId(id);
  if (s === "" || s === "/") return true;
  return t === s || t.startsWith(`${s}/`);
}

/** The last path segment of an id (the resource name). @internal */
export function lastSegment(id: string): string {
  const parts = id.replace(/\/+$/, "").split("/");
  return parts[parts.length - 1] ?? "";
}

const USER_ASSIGNED =
  /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.managedidentity\/userassignedidentities\/[^/]+$/i;

/**
 * Whether `id` has the shape of a user-assigned identity id. Strict: ARM
 * refuses a trailing slash in an identity id (map key or reference), so it is
 * not stripped here, unlike in `canonicalId` (which serves lookups of ids
 * already accepted, and scopes).
 * @internal
 */
export function isUserAssignedIdentityId(id: string): boolean {
  return USER_ASSIGNED.test(id);
}

const STORAGE =
  /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.storage\/storageaccounts\/([^/]+)$/i;

/** Storage account name from its ARM id, or undefined. @internal */
export function storageAccountName(id: string): string | undefined {
  return STORAGE.exec(id.trim().replace(/\/+$/, ""))?.[1]?.toLowerCase();
}
