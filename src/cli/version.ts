import { readFileSync } from "node:fs";

/**
 * The package version, read from package.json at run time (two levels up from both
 * `src/cli/` and `dist/cli/`), so a release never prints a stale number.
 *
 * @example
 * ```ts
 * packageVersion(); // "0.1.0"
 * ```
 */
export function packageVersion(): string {
  try {
    const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === "string" ? version : "unknown";
  } catch {
    return "unknown";
  }
}
