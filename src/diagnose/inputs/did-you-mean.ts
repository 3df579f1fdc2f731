import { distance } from "fastest-levenshtein";

/**
 * "Did you mean" for a key that is not one we read: the closest known key within two edits (or the
 * same letters in another case), and a pointer for keys that exist one level down.
 */

/** Keys that belong inside another key, and where. */
const nested: Readonly<Record<string, string>> = {
  tasks: "tasks go inside their job: jobs[].tasks",
  task: "tasks go inside their job: jobs[].tasks",
  identity: "identities go on the account or a pool: account.identity, pools[].identity",
  properties: "properties go inside the account or a pool body",
  jobspecification: "a job specification goes inside a job schedule: jobSchedules[].jobSpecification",
};

/** The suggestion for `key` among `known`, as text for a message (`""` when there is none). */
export function suggestKey(key: string, known: readonly string[]): string {
  const lower = key.toLowerCase();
  const hint = nested[lower];
  if (hint !== undefined) return `; ${hint}`;
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = candidate.toLowerCase() === lower ? 0 : distance(lower, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best === undefined ? "" : `; did you mean '${best}'?`;
}

/** True when `key` is close to one of `known` (a misspelt key, not an unrelated document). */
export function isNearKey(key: string, known: readonly string[]): boolean {
  return suggestKey(key, known).startsWith("; did you mean") || nested[key.toLowerCase()] !== undefined;
}
