import type { Finding } from "../errors/issue.js";
import { describeScenario } from "../diagnose/scenarios.js";
import { clip, type Palette } from "./io.js";

/**
 * The human form of `check`'s findings: grouped by file, one block per finding, then a summary.
 */

/**
 * Lines for one file's findings: a header with the file name, then per finding its severity, code,
 * path, message, fix and the article's scenario in words.
 *
 * @example
 * ```ts
 * formatFileFindings("bundle.json", diagnose(bundle), pc.createColors(false)).join("\n");
 * ```
 */
export function formatFileFindings(file: string, findings: readonly Finding[], c: Palette): string[] {
  if (findings.length === 0) return [`${c.bold(file)}: ${c.green("no findings")}`];
  const lines = [c.bold(file)];
  for (const f of findings) {
    const severity = f.severity === "error" ? c.red("error  ") : c.yellow("warning");
    lines.push(`  ${severity} ${c.bold(f.code)} at ${c.cyan(clip(f.path === "" ? "(document)" : f.path))}`);
    lines.push(`          ${clip(f.message)}`);
    if (f.fix !== "") lines.push(`          ${c.dim("fix:")} ${clip(f.fix)}`);
    if (f.scenario !== undefined) lines.push(`          ${c.dim(describeScenario(f.scenario))}`);
  }
  return lines;
}

/** Counts for the summary line. */
export interface CheckTotals {
  /** Files given, usable or not. */
  readonly files: number;
  /** Files that could not be used (exit code 2). */
  readonly unusable: number;
  /** Error findings. */
  readonly errors: number;
  /** Warning findings. */
  readonly warnings: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * The summary line, e.g. `2 files checked: 3 errors, 1 warning; 1 file unreadable`.
 *
 * @example
 * ```ts
 * formatSummary({ files: 1, unusable: 0, errors: 0, warnings: 0 }, palette); // "1 file checked: no errors, no warnings"
 * ```
 */
export function formatSummary(t: CheckTotals, c: Palette): string {
  const errors = t.errors === 0 ? "no errors" : c.red(plural(t.errors, "error"));
  const warnings = t.warnings === 0 ? "no warnings" : c.yellow(plural(t.warnings, "warning"));
  const unusable = t.unusable === 0 ? "" : `; ${c.red(`${plural(t.unusable, "file")} unreadable`)}`;
  return `${plural(t.files - t.unusable, "file")} checked: ${errors}, ${warnings}${unusable}`;
}
