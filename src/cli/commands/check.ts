import type { Command } from "commander";
import { diagnoseParts } from "../../diagnose/diagnose.js";
import type { Finding } from "../../errors/issue.js";
import { type ExitCode, exitCodes } from "../exit-codes.js";
import { formatFileFindings, formatSummary } from "../format-findings.js";
import type { Io } from "../io.js";
import { readInput, stdinName } from "../read-input.js";

/**
 * `typed-batch check FILE... [--json]`: `diagnose` on bundle files (or bare ARM pool/account or
 * Batch job bodies). Exit codes: see `exit-codes.ts`.
 */

/** Options of `check`. */
export interface CheckOptions {
  /** Print `{ "findings": [...] }` and nothing else on standard output. @default false */
  readonly json?: boolean;
}

/** A finding of `check --json`: the finding and the file it was found in. */
export type FileFinding = { readonly file: string } & Finding;

/**
 * Checks every file and reports; resolves to the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await runCheck(["bundle.json"], { json: true }, processIo());
 * ```
 */
export async function runCheck(files: readonly string[], options: CheckOptions, io: Io): Promise<ExitCode> {
  const all: FileFinding[] = [];
  let unusable = 0;
  let errors = 0;
  let warnings = 0;
  for (const file of files) {
    const shown = file === stdinName ? "(stdin)" : file;
    const read = await readInput(file);
    if (!read.ok) {
      unusable++;
      io.err(`typed-batch: ${shown}: ${read.reason}`);
      continue;
    }
    const findings = diagnoseParts(read.parts);
    for (const f of findings) {
      if (f.severity === "error") errors++;
      else warnings++;
    }
    if (options.json === true) for (const f of findings) all.push({ file: shown, ...f });
    // One write per file: half a million small writes cost more than the checks.
    else io.out(formatFileFindings(shown, findings, io.color).join("\n"));
  }
  if (options.json === true) io.json({ findings: all });
  else io.out(formatSummary({ files: files.length, unusable, errors, warnings }, io.color));
  if (unusable > 0) return exitCodes.unusableInput;
  return errors > 0 ? exitCodes.findings : exitCodes.ok;
}

/**
 * Registers `check` on the program.
 *
 * @example
 * ```ts
 * registerCheck(program, processIo());
 * ```
 */
export function registerCheck(program: Command, io: Io): void {
  program
    .command("check")
    .description("check bundle files (Azure REST JSON) for managed-identity mistakes, offline")
    .argument("<file...>", "bundle files, or bare ARM pool/account or Batch job bodies; - reads standard input")
    .option("--json", "print { \"findings\": [...] } and nothing else on standard output")
    .addHelpText(
      "after",
      "\nExit codes: 0 no error findings, 1 error findings, 2 input that cannot be read (missing file, invalid JSON, not a bundle).",
    )
    .action(async (files: string[], options: CheckOptions) => {
      process.exitCode = await runCheck(files, options, io);
    });
}
