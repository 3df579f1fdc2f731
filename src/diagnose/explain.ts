import { azureErrorEntries } from "./azure-errors.js";
import type { Explanation, ExplanationEntry } from "./explanation.js";
import { findingEntries } from "./finding-explanations.js";

/** Every entry `explain` knows: Azure's codes first, then typed-batch's finding codes. */
const entries: readonly ExplanationEntry[] = [...azureErrorEntries, ...findingEntries];

const byName = new Map<string, Explanation>();
for (const entry of entries) {
  for (const name of [entry.explanation.code, ...entry.aliases]) {
    if (!byName.has(name.toLowerCase())) byName.set(name.toLowerCase(), entry.explanation);
  }
}

const wordChar = /[A-Za-z0-9_]/;

/** Where `phrase` (lower-cased) occurs in `haystack` (lower-cased); single words only between non-word characters. */
function occurs(haystack: string, phrase: string): boolean {
  const word = /^\w+$/.test(phrase);
  for (let at = haystack.indexOf(phrase); at !== -1; at = haystack.indexOf(phrase, at + 1)) {
    if (!word) return true;
    const before = haystack[at - 1];
    const after = haystack[at + phrase.length];
    if ((before === undefined || !wordChar.test(before)) && (after === undefined || !wordChar.test(after))) return true;
  }
  return false;
}

/**
 * Explains an Azure error code, a pasted log line or error message, or a typed-batch finding code.
 *
 * An exact code (any letter case) wins; otherwise the longest known code or message text found in
 * the input decides (so `NODE_IDENTITY_NOT_IN_POOL` is not read as `IDENTITY_NOT_IN_POOL`).
 * Returns `undefined` when nothing is recognised.
 *
 * @example
 * ```ts
 * import { explain } from "typed-batch";
 * explain("ApplicationPackageError")?.scenario; // ["application-packages#4"]
 * explain("[agent] pool not fully joined yet, health=Status.TvmJoinPoolInProgress")?.code; // "TvmJoinPoolInProgress"
 * explain("NODE_IDENTITY_REFERENCE_MISSING")?.fix;
 * ```
 */
export function explain(codeOrLogLine: string): Explanation | undefined {
  if (typeof codeOrLogLine !== "string") return undefined;
  const input = codeOrLogLine.trim().toLowerCase();
  if (input === "") return undefined;
  const exact = byName.get(input);
  if (exact !== undefined) return exact;
  let best: { explanation: Explanation; length: number } | undefined;
  for (const entry of entries) {
    for (const phrase of [...entry.phrases, ...entry.aliases]) {
      const needle = phrase.toLowerCase();
      if ((best === undefined || needle.length > best.length) && occurs(input, needle)) best = { explanation: entry.explanation, length: needle.length };
    }
  }
  return best?.explanation;
}

/**
 * Every code `explain` knows, Azure's first.
 *
 * @example
 * ```ts
 * import { explainableCodes } from "typed-batch";
 * explainableCodes().includes("AutoStorageNoPermission"); // true
 * ```
 */
export function explainableCodes(): string[] {
  return entries.map((entry) => entry.explanation.code);
}
