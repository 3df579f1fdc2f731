/**
 * Azure's REST API examples write subscriptions as `subid` (Azure/azure-rest-api-specs,
 * `specification/batch/resource-manager/Microsoft.Batch/stable/2024-07-01/examples/`, e.g.
 * `PoolCreate_UserAssignedIdentities.json`: `"subscriptionId": "subid"`). The identity rules do not depend on the subscription, so
 * such ids are checked as if `subid` were a GUID: the stand-in GUID below replaces it while the
 * rules run and is written back as `subid` in what is printed.
 */

/** The GUID that stands for `subid` while the rules run. */
export const placeholderGuid = "5ab1d000-0000-4000-8000-00000000c0de";

const pattern = /\/subscriptions\/subid(?=\/|$)/gi;

/** The document with every `/subscriptions/subid` replaced, and how many strings had one. */
export function replacePlaceholders(doc: unknown): { value: unknown; count: number } {
  let count = 0;
  // A budget of values, not a memo: parsed JSON is a tree (linear), and a value built in code that
  // shares sub-objects cannot make the walk exponential.
  let budget = 5_000_000;
  const visit = (value: unknown, depth: number): unknown => (--budget < 0 ? value : visitNew(value, depth));
  const visitNew = (value: unknown, depth: number): unknown => {
    if (typeof value === "string") {
      if (!value.includes("/subscriptions/") && !/\/subscriptions\//i.test(value)) return value;
      pattern.lastIndex = 0;
      if (!pattern.test(value)) return value;
      count++;
      return value.replace(pattern, `/subscriptions/${placeholderGuid}`);
    }
    if (typeof value !== "object" || value === null || depth > 200) return value;
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const next = visit(value[i], depth + 1);
        if (next !== value[i]) (copy ??= value.slice())[i] = next;
      }
      return copy ?? value;
    }
    let copy: Record<string, unknown> | undefined;
    for (const key of Object.keys(value)) {
      const before = (value as Record<string, unknown>)[key];
      const after = visit(before, depth + 1);
      const newKey = typeof key === "string" && /\/subscriptions\/subid(?=\/|$)/i.test(key) ? key.replace(pattern, `/subscriptions/${placeholderGuid}`) : key;
      if (newKey !== key) count++;
      if (after !== before || newKey !== key) {
        copy ??= { ...(value as Record<string, unknown>) };
        if (newKey !== key) delete copy[key];
        copy[newKey] = after;
      }
    }
    return copy ?? value;
  };
  const value = visit(doc, 0);
  return { value, count };
}

/** True when JSON text may hold a placeholder id (a fast scan that spares the walk for most files). */
export function textMayHavePlaceholders(text: string): boolean {
  return /\/subscriptions\/subid(?=\/|"|\\)/i.test(text);
}

/** Writes `subid` back into a printed text. */
export function restorePlaceholders(text: string): string {
  return text.includes(placeholderGuid) ? text.replaceAll(placeholderGuid, "subid") : text;
}
